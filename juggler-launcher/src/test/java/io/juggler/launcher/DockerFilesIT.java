package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.config.JugglerConfig;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The files in {@code docker/} cannot be built here (no Docker engine), so this keeps them honest
 * against the build: every file they copy exists once the build has packaged everything (this runs
 * after the other modules), every {@code JUGGLER_*} variable they set is a key of the configuration
 * catalogue ({@link JugglerConfig}, documented in docs/configuration.md) or is consumed by the file
 * that the variable is for, and every Open Liberty variable is declared in server.xml.
 */
class DockerFilesIT {

  private static final Path ROOT = Repository.root();
  private static final Path DOCKER = ROOT.resolve("docker");
  private static final Pattern JUGGLER_VAR = Pattern.compile("\\bJUGGLER_[A-Z0-9_]+");

  /** Variables that are not application settings, and the file that must consume each. */
  private static final List<String[]> DEPLOYMENT_VARIABLES =
      List.of(
          new String[] {"JUGGLER_URL", "docker/cli.Dockerfile", "$JUGGLER_URL"},
          new String[] {
            "JUGGLER_LB_SERVER_1", "docker/nginx/juggler.conf.template", "${JUGGLER_LB_SERVER_1}"
          },
          new String[] {
            "JUGGLER_LB_SERVER_2", "docker/nginx/juggler.conf.template", "${JUGGLER_LB_SERVER_2}"
          },
          new String[] {
            "JUGGLER_LB_PORT", "docker/nginx/juggler.conf.template", "${JUGGLER_LB_PORT}"
          });

  @Test
  void everyCopiedFileExistsInTheBuild() throws IOException {
    List<Path> dockerfiles = dockerfiles();
    assertEquals(
        Set.of("payara.Dockerfile", "liberty.Dockerfile", "callee.Dockerfile", "cli.Dockerfile"),
        Set.copyOf(dockerfiles.stream().map(p -> p.getFileName().toString()).toList()));
    for (Path dockerfile : dockerfiles) {
      List<String> copies =
          Files.readAllLines(dockerfile).stream().filter(l -> l.startsWith("COPY ")).toList();
      assertFalse(copies.isEmpty(), dockerfile + " copies nothing");
      for (String copy : copies) {
        List<String> args = new ArrayList<>();
        for (String word : copy.substring(5).trim().split("\\s+")) {
          if (!word.startsWith("--")) {
            args.add(word);
          }
        }
        for (String source : args.subList(0, args.size() - 1)) {
          assertTrue(
              Files.isRegularFile(ROOT.resolve(source)),
              dockerfile.getFileName() + " copies " + source + ", which the build does not make");
        }
      }
    }
  }

  @Test
  void composeBuildsTheDockerfilesAndMountsExistingFiles() throws IOException {
    String compose = Files.readString(DOCKER.resolve("compose.yaml"));
    Matcher dockerfile = Pattern.compile("dockerfile:\\s*(\\S+)").matcher(compose);
    int builds = 0;
    while (dockerfile.find()) {
      builds++;
      assertTrue(Files.isRegularFile(ROOT.resolve(dockerfile.group(1))), dockerfile.group(1));
    }
    assertEquals(4, builds, "services built from docker/*.Dockerfile");
    Matcher context = Pattern.compile("context:\\s*(\\S+)").matcher(compose);
    while (context.find()) {
      assertEquals(ROOT, DOCKER.resolve(context.group(1)).normalize(), "build context");
    }
    Matcher volume = Pattern.compile("-\\s*(\\./\\S+?):").matcher(compose);
    while (volume.find()) {
      assertTrue(Files.exists(DOCKER.resolve(volume.group(1))), "volume " + volume.group(1));
    }
  }

  /**
   * Behind the load balancer every client would have the balancer's address (third hardening round,
   * item 8: ten wrong console passwords locked everyone out): each websocket server trusts the
   * balancer's fixed address.
   */
  @Test
  void composeServersTrustTheLoadBalancer() throws IOException {
    String compose = Files.readString(DOCKER.resolve("compose.yaml"));
    Matcher lb = Pattern.compile("ipv4_address:\\s*(\\S+)").matcher(compose);
    assertTrue(lb.find(), "the load balancer has no fixed address");
    Matcher trusted = Pattern.compile("JUGGLER_SERVER_TRUSTED_PROXIES:\\s*(\\S+)").matcher(compose);
    int servers = 0;
    while (trusted.find()) {
      servers++;
      assertEquals(lb.group(1), trusted.group(1), "a server trusts another address");
    }
    Matcher serverRole = Pattern.compile("JUGGLER_SERVER_ENABLED:\\s*\"true\"").matcher(compose);
    int roles = 0;
    while (serverRole.find()) {
      roles++;
    }
    assertEquals(roles, servers, "websocket servers that trust the load balancer");
  }

  @Test
  void everyJugglerVariableIsASettingOrConsumedWhereItIsFor() throws IOException {
    Set<String> catalogue = catalogueVariables();
    String docs = Files.readString(ROOT.resolve("docs/configuration.md"));
    Set<String> used = new TreeSet<>();
    for (Path file : dockerFiles()) {
      Matcher m = JUGGLER_VAR.matcher(Files.readString(file));
      while (m.find()) {
        used.add(m.group());
      }
    }
    assertTrue(used.contains("JUGGLER_REDIS_URL"), "docker/ sets no Redis URL: " + used);
    for (String variable : used) {
      String[] deployment =
          DEPLOYMENT_VARIABLES.stream().filter(d -> d[0].equals(variable)).findFirst().orElse(null);
      if (deployment != null) {
        assertTrue(
            Files.readString(ROOT.resolve(deployment[1])).contains(deployment[2]),
            variable + " is not used in " + deployment[1]);
        continue;
      }
      assertTrue(
          catalogue.contains(variable),
          variable + " is neither a configuration key (JugglerConfig) nor a deployment variable");
      String key = catalogueKey(variable);
      assertTrue(docs.contains("`" + key + "`"), key + " is missing from docs/configuration.md");
    }
    // every template variable of the load balancer is set in compose
    String compose = Files.readString(DOCKER.resolve("compose.yaml"));
    Matcher m =
        Pattern.compile("\\$\\{(JUGGLER_[A-Z0-9_]+)}")
            .matcher(Files.readString(Repository.root().resolve(Nginx.TEMPLATE)));
    while (m.find()) {
      assertTrue(compose.contains(m.group(1) + ":"), m.group(1) + " not set in compose.yaml");
    }
  }

  @Test
  void libertyVariablesAreDeclaredInServerXml() throws IOException {
    String serverXml = Files.readString(ROOT.resolve("src/main/liberty/config/server.xml"));
    String dockerfile = Files.readString(DOCKER.resolve("liberty.Dockerfile"));
    Matcher env = Pattern.compile("\\b(HTTPS?_[A-Z]+)=").matcher(dockerfile);
    int found = 0;
    while (env.find()) {
      found++;
      String variable = env.group(1).toLowerCase(Locale.ROOT).replace('_', '.');
      assertTrue(
          serverXml.contains("<variable name=\"" + variable + "\""),
          env.group(1) + " sets no variable of server.xml");
    }
    assertEquals(2, found, "HTTP_HOST and HTTP_PORT in liberty.Dockerfile");
  }

  private static List<Path> dockerfiles() throws IOException {
    try (Stream<Path> files = Files.list(DOCKER)) {
      return files.filter(p -> p.toString().endsWith(".Dockerfile")).sorted().toList();
    }
  }

  private static List<Path> dockerFiles() throws IOException {
    try (Stream<Path> files = Files.walk(DOCKER)) {
      return files.filter(Files::isRegularFile).sorted().toList();
    }
  }

  /** The environment variable names of the configuration keys declared in JugglerConfig. */
  private static Set<String> catalogueVariables() {
    Set<String> names = new TreeSet<>();
    for (String key : catalogueKeys()) {
      names.add(key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
    }
    assertTrue(names.size() > 10, "found too few keys in JugglerConfig: " + names);
    return names;
  }

  private static String catalogueKey(String variable) {
    for (String key : catalogueKeys()) {
      if (key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_').equals(variable)) {
        return key;
      }
    }
    throw new AssertionError(variable);
  }

  private static Set<String> catalogueKeys() {
    Set<String> keys = new TreeSet<>();
    for (Field f : JugglerConfig.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        try {
          String value = (String) f.get(null);
          if (value.startsWith("juggler.")) {
            keys.add(value);
          }
        } catch (IllegalAccessException e) {
          throw new AssertionError(e);
        }
      }
    }
    return keys;
  }
}
