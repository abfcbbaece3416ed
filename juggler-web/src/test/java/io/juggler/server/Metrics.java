package io.juggler.server;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads one value from the server's Prometheus text at {@code /metrics}. */
final class Metrics {

  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private Metrics() {}

  /**
   * The value of {@code name} whose labels include {@code labels} (e.g. {@code stage="queue"}), or
   * 0 when absent. Tolerates both runtimes' label formats.
   */
  static double value(URI base, String name, String labels) {
    return value(base, name, new String[] {labels});
  }

  /** The value of {@code name} whose labels include every one of {@code labels}, or 0. */
  static double value(URI base, String name, String... labels) {
    String text;
    try {
      text =
          HTTP.send(
                  HttpRequest.newBuilder(base.resolve("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    } catch (Exception e) {
      throw new AssertionError("cannot read /metrics", e);
    }
    Pattern p = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)\\}\\s+(\\S+)$");
    Matcher m = p.matcher(text);
    while (m.find()) {
      String found = m.group(1);
      if (java.util.Arrays.stream(labels).allMatch(found::contains)) {
        return Double.parseDouble(m.group(2));
      }
    }
    return 0;
  }
}
