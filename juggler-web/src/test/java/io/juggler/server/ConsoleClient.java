package io.juggler.server;

import java.net.CookieManager;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operations console over plain HTTP: a client that keeps its session cookie and does not
 * follow redirects, so tests see the login flow as the browser would.
 */
final class ConsoleClient {

  private static final Pattern FORM_TOKEN = Pattern.compile("name=\"_form\" value=\"([^\"]+)\"");

  private final URL base;
  private final String[] extraHeaders;
  private final HttpClient http =
      HttpClient.newBuilder()
          .cookieHandler(new CookieManager())
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  ConsoleClient(URL base) {
    this.base = base;
    this.extraHeaders = new String[0];
  }

  /**
   * A client behind a proxy the server trusts, which says the client is {@code address} ({@code
   * X-Forwarded-For} on every request).
   */
  ConsoleClient(URL base, String address) {
    this.base = base;
    this.extraHeaders = new String[] {"X-Forwarded-For", address};
  }

  /** GET of a console page, e.g. {@code index.xhtml}, with extra headers (name, value, ...). */
  HttpResponse<String> get(String page, String... headers) throws Exception {
    HttpRequest.Builder b = request("admin/" + page);
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path));
    return extraHeaders.length > 0 ? b.headers(extraHeaders) : b;
  }

  /** The form token of a login page's body. */
  static String formToken(String loginPage) {
    Matcher m = FORM_TOKEN.matcher(loginPage);
    if (!m.find()) {
      throw new AssertionError("no form token in the login page: " + loginPage);
    }
    return m.group(1);
  }

  /** Loads the login page, then posts its form as a browser would. */
  HttpResponse<String> login(String user, String password) throws Exception {
    String token = formToken(get("login").body());
    return post(user, password, token);
  }

  /** Posts the login form with {@code formToken} (null: without one, as a forged POST would). */
  HttpResponse<String> post(String user, String password, String formToken) throws Exception {
    String form =
        "j_username="
            + URLEncoder.encode(user, StandardCharsets.UTF_8)
            + "&j_password="
            + URLEncoder.encode(password, StandardCharsets.UTF_8)
            + (formToken == null
                ? ""
                : "&_form=" + URLEncoder.encode(formToken, StandardCharsets.UTF_8));
    return http.send(
        request("admin/j_security_check")
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
