package io.juggler.testing;

import io.juggler.testing.redis.RedisProcess;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The packaged server WAR (the build passes its path as the system property {@code juggler.war})
 * for Arquillian ITs, with test settings added as a MicroProfile Config source of ordinal 500, and
 * the URLs of a deployment.
 */
public final class Deployments {

  private Deployments() {}

  /** The WAR talking to {@code redis}, the demo callees on, plus {@code settings}. */
  public static WebArchive war(RedisProcess redis, Map<String, String> settings) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("juggler.redis.url", redis.url());
    all.put("juggler.callee.demo.enabled", "true");
    all.putAll(settings);
    return war(all);
  }

  /** The WAR with exactly {@code settings} on top of its defaults. */
  public static WebArchive war(Map<String, String> settings) {
    String config =
        "config_ordinal=500\n"
            + settings.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\n"));
    return ShrinkWrap.createFromZipFile(
            WebArchive.class, new File(System.getProperty("juggler.war")))
        .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
  }

  /**
   * True when the suite runs on Open Liberty ({@code -Pliberty-it}), for the few checks of the
   * container's own websocket framing that differ between runtimes (docs/runtimes.md).
   */
  public static boolean onLiberty() {
    return "liberty".equals(System.getProperty("arquillian.launch"));
  }

  public static URI http(URL base) {
    return URI.create(base.toString());
  }

  public static URI ws(URL base) {
    return URI.create(base.toString().replaceFirst("^http", "ws")).resolve("ws");
  }
}
