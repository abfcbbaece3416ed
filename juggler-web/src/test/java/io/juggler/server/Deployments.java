package io.juggler.server;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/** The packaged WAR with test settings added as a MicroProfile Config source of ordinal 500. */
final class Deployments {

  private Deployments() {}

  static WebArchive war(Map<String, String> settings) {
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
  static boolean onLiberty() {
    return "liberty".equals(System.getProperty("arquillian.launch"));
  }

  static URI http(URL base) {
    return URI.create(base.toString());
  }

  static URI ws(URL base) {
    return URI.create(base.toString().replaceFirst("^http", "ws")).resolve("ws");
  }
}
