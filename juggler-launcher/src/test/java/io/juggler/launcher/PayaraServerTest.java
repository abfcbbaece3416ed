package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parts of {@link PayaraServer} and {@link Asadmin} that need no server. */
class PayaraServerTest {

  @Test
  void multimodeFailuresAreFoundInItsOutput() {
    String out =
        """
        Unable to retrieve infocmp for type dumb
        configs.config.server-config.thread-pools.thread-pool.http-thread-pool.max-thread-pool-size=64
        Command set executed successfully.
        remote failure: Password alias for the alias juggler.admin.password does not exist.
        Command delete-password-alias failed.
        Command create-password-alias executed successfully.
        remote failure: Invalid property
        Command set-config-property failed.
        Command multimode executed successfully.
        """;
    assertEquals(
        List.of("delete-password-alias", "set-config-property"), Asadmin.failedCommands(out));
    assertEquals(List.of(), Asadmin.failedCommands("Command set executed successfully.\n"));
  }

  @Test
  void aDomainIsReusedOnlyForTheSameAdminAndHttpPorts(@TempDir Path dir) throws Exception {
    // default-config holds placeholders and other ports: only server-config counts
    Path domain =
        domain(
            dir,
            """
        <domain>
          <configs>
            <config name="server-config">
              <network-config><network-listeners>
                <network-listener name="http-listener-1" port="18080"/>
                <network-listener name="http-listener-2" port="18181"/>
                <network-listener name="admin-listener" port="14848"/>
              </network-listeners></network-config>
            </config>
            <config name="default-config">
              <network-config><network-listeners>
                <network-listener name="http-listener-1" port="${HTTP_LISTENER_PORT}"/>
                <network-listener name="admin-listener" port="24848"/>
              </network-listeners></network-config>
            </config>
          </configs>
        </domain>
        """);
    assertTrue(PayaraServer.madeFor(domain, 14848, 18080));
    assertFalse(PayaraServer.madeFor(domain, 14848, 8080));
    assertFalse(PayaraServer.madeFor(domain, 4848, 18080));
    assertFalse(PayaraServer.madeFor(dir.resolve("none"), 14848, 18080), "no domain.xml");
  }

  @Test
  void theHttpListenersOfServerConfigAreBoundToLoopbackInDomainXml(@TempDir Path dir)
      throws Exception {
    Path domain =
        domain(
            dir,
            """
        <domain>
          <configs>
            <config name="server-config">
              <network-config><network-listeners>
                <network-listener name="http-listener-1" port="18080"/>
                <network-listener name="http-listener-2" port="18181" address="0.0.0.0"/>
                <network-listener name="admin-listener" port="14848"/>
              </network-listeners></network-config>
            </config>
            <config name="default-config">
              <network-config><network-listeners>
                <network-listener name="http-listener-1" port="${HTTP_LISTENER_PORT}"/>
              </network-listeners></network-config>
            </config>
          </configs>
        </domain>
        """);
    Path file = domain.resolve("config/domain.xml");
    PayaraServer.bindToLoopback(domain);
    var doc =
        javax.xml.parsers.DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(file.toFile());
    var xpath = javax.xml.xpath.XPathFactory.newInstance().newXPath();
    String server = "//config[@name='server-config']//network-listener";
    assertEquals("127.0.0.1", xpath.evaluate(server + "[@name='http-listener-1']/@address", doc));
    assertEquals("127.0.0.1", xpath.evaluate(server + "[@name='http-listener-2']/@address", doc));
    assertEquals("", xpath.evaluate(server + "[@name='admin-listener']/@address", doc));
    assertEquals(
        "",
        xpath.evaluate("//config[@name='default-config']//network-listener/@address", doc),
        "only server-config is the running server's");
    assertTrue(PayaraServer.madeFor(domain, 14848, 18080), "ports kept");

    // bound already: the file is left as it is
    Files.writeString(file, Files.readString(file) + "<!-- kept -->");
    PayaraServer.bindToLoopback(domain);
    assertTrue(Files.readString(file).endsWith("<!-- kept -->"));
  }

  /** A domain folder in {@code dir} whose {@code config/domain.xml} holds {@code xml}. */
  private static Path domain(Path dir, String xml) throws IOException {
    Path domain = dir.resolve(PayaraServer.DOMAIN);
    Files.createDirectories(domain.resolve("config"));
    Files.writeString(domain.resolve("config/domain.xml"), xml);
    return domain;
  }
}
