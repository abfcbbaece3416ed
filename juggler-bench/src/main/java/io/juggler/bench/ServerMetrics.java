package io.juggler.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Juggler EE server's MicroProfile Metrics ({@code GET /metrics}, Prometheus text), read the same
 * way on Payara Micro ({@code name{mp_scope="base"} 1.4E8}) and Open Liberty ({@code
 * name{mp_scope="base",} 1.4E8}: a trailing comma); the names are the same on both
 * (docs/metrics.md).
 */
final class ServerMetrics {

  private ServerMetrics() {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final Pattern SAMPLE =
      Pattern.compile("(?m)^([A-Za-z_:][A-Za-z0-9_:]*)(\\{([^}]*)\\})?\\s+(\\S+)\\s*$");
  private static final Pattern TAG = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)=\"([^\"]*)\"");

  /** The text of {@code <base>/metrics}. */
  static String scrape(String baseUrl) throws Exception {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(baseUrl + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IllegalStateException(baseUrl + "/metrics answered " + r.statusCode());
    }
    return r.body();
  }

  /**
   * The sum of the samples of {@code name} whose tags include {@code tags} (all of its samples when
   * empty), each series once: Payara Micro writes some base metrics twice with the same tags (e.g.
   * {@code memory_usedHeap_bytes{mp_scope="base"}}), which a plain sum would double; -1 when there
   * is none.
   */
  static double value(String text, String name, Map<String, String> tags) {
    Matcher m = SAMPLE.matcher(text);
    double sum = 0;
    boolean found = false;
    Set<String> seen = new HashSet<>();
    while (m.find()) {
      if (!m.group(1).equals(name)
          || !hasTags(m.group(3), tags)
          || !seen.add(String.valueOf(m.group(3)))) {
        continue;
      }
      try {
        sum += Double.parseDouble(m.group(4));
        found = true;
      } catch (NumberFormatException e) {
        // NaN spelled otherwise: not a reading
      }
    }
    return found ? sum : -1;
  }

  static double value(String text, String name) {
    return value(text, name, Map.of());
  }

  private static boolean hasTags(String labels, Map<String, String> tags) {
    if (tags.isEmpty()) {
      return true;
    }
    if (labels == null) {
      return false;
    }
    Matcher t = TAG.matcher(labels);
    int matched = 0;
    while (t.find()) {
      if (t.group(2).equals(tags.get(t.group(1)))) {
        matched++;
      }
    }
    return matched == tags.size();
  }
}
