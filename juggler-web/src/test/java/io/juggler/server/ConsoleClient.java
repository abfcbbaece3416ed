package io.juggler.server;

import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * The operations console over plain HTTP: a client that keeps its session cookie and does not
 * follow redirects, so tests see the login flow as the browser would.
 */
final class ConsoleClient {

  private final URL base;
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  ConsoleClient(URL base) {
    this.base = base;
  }

  /** GET of a console page, e.g. {@code index.xhtml}. */
  HttpResponse<String> get(String page) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "admin/" + page)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Posts the login form (after a GET of a protected page, as a browser would). */
  HttpResponse<String> login(String user, String password) throws Exception {
    String form =
        "j_username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&j_password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8);
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "admin/j_security_check"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
