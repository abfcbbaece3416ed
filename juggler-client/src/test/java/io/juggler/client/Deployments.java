package io.juggler.client;

import java.io.File;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The packaged server WAR (juggler-web, copied to {@code juggler.war} by the build) with test
 * settings added as a MicroProfile Config source of ordinal 500.
 */
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

  static URI ws(URL base) {
    return URI.create(base.toString().replaceFirst("^http", "ws")).resolve("ws");
  }
}
