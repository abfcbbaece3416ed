package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The JavaScript client's npm package ({@code src/main/js}) as a front-end project gets it: packed
 * with {@code npm pack} and installed from the tarball into a scratch project, offline, with an npm
 * cache of its own that starts empty (so nothing comes from a registry or an earlier run).
 *
 * @param tarball the packed package
 * @param pack what {@code npm pack --json} said about it (name, version, files)
 * @param project the scratch project, which depends on the package and nothing else
 */
record NpmPackage(Path tarball, JsonObject pack, Path project) {

  static final String NAME = "@juggler-ee/client";

  /** The package's folder: the client's sources, {@code package.json}, README and LICENSE. */
  static final Path SOURCE = Path.of("src", "main", "js").toAbsolutePath();

  /**
   * Skips the calling test when one of the tools (node, npm) is missing, but fails it when {@code
   * CI=true}: there a missing tool must not turn a test into a skip ({@code .ci/run}; {@code
   * ./test.sh} installs both).
   */
  static void assumeInstalled(String... tools) throws InterruptedException {
    for (String tool : tools) {
      boolean installed = succeeds(tool, "--version");
      assertTrue(
          installed || !"true".equals(System.getenv("CI")),
          tool
              + " is not installed, and CI=true: install Node.js 20 or later and npm (./test.sh"
              + " does)");
      Assumptions.assumeTrue(installed, tool + " is not installed (./test.sh installs it)");
    }
  }

  /** Packs {@link #SOURCE} into {@code work} (emptied first) and installs it in work/project. */
  static NpmPackage packAndInstall(Path work) throws IOException, InterruptedException {
    delete(work);
    Path project = Files.createDirectories(work.resolve("project"));
    String packed =
        npm(work, work, "pack", SOURCE.toString(), "--pack-destination", work.toString(), "--json");
    JsonObject pack = Json.createReader(new StringReader(packed)).readArray().getJsonObject(0);
    Path tarball = work.resolve(pack.getString("filename"));
    assertTrue(Files.isRegularFile(tarball), () -> tarball + " not written: " + packed);
    Files.writeString(
        project.resolve("package.json"),
        "{\"name\": \"scratch\", \"private\": true, \"type\": \"module\"}\n");
    npm(work, project, "install", tarball.toString(), "--offline", "--no-audit", "--no-fund");
    return new NpmPackage(tarball, pack, project);
  }

  /** The installed package's folder, under the scratch project's node_modules. */
  Path installed() {
    return project.resolve("node_modules").resolve(NAME);
  }

  /** Runs npm in {@code dir} with a cache of its own in {@code work}; returns its output. */
  private static String npm(Path work, Path dir, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("npm"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("npm_config_cache", work.resolve("npm-cache").toString());
    pb.environment().put("npm_config_update_notifier", "false");
    pb.environment().put("npm_config_loglevel", "warn");
    return run(pb, work.resolve("npm"));
  }

  /**
   * Runs {@code node ARGS} in {@code dir}, its output in LOG.out and LOG.err; returns the former.
   */
  static String node(Path dir, Path log, List<String> args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node"));
    command.addAll(args);
    return run(new ProcessBuilder(command).directory(dir.toFile()), log);
  }

  /** Whether the WebSocket class is global in this node (22 and later; 20 needs a flag). */
  static boolean globalWebSocket() throws InterruptedException {
    return succeeds("node", "-e", "process.exit(typeof WebSocket === 'function' ? 0 : 1)");
  }

  /** Runs {@code pb} with its output in LOG.out and LOG.err; returns the former. */
  private static String run(ProcessBuilder pb, Path log) throws IOException, InterruptedException {
    Path stdout = Path.of(log + ".out");
    Path stderr = Path.of(log + ".err");
    Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    try {
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), () -> pb.command() + " did not end in 60 s");
      String out = Files.readString(stdout);
      assertEquals(
          0,
          p.exitValue(),
          () ->
              pb.command()
                  + " failed:\n"
                  + out
                  + readString(stderr)
                  + "(in "
                  + pb.directory()
                  + ")");
      return out;
    } finally {
      p.destroyForcibly();
    }
  }

  static boolean succeeds(String... command) throws InterruptedException {
    try {
      Process p =
          new ProcessBuilder(command)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .redirectErrorStream(true)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  static String readString(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(f);
        }
      }
    }
  }
}
