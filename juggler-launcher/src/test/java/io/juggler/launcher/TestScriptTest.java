package io.juggler.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's test command, {@code ./test.sh}, on machines that lack what the tests drive: its
 * programs are looked for under a folder of this test's ({@code JUGGLER_TEST_SYSROOT}), and it
 * installs and builds nothing ({@code JUGGLER_TEST_INSTALL=no} or {@code JUGGLER_TEST_DRY_RUN}).
 */
class TestScriptTest {

  static final Path SCRIPT = Repository.root().resolve("test.sh");

  @TempDir Path sysroot;

  record Run(int status, String output) {}

  Run run(Map<String, String> env) throws IOException, InterruptedException {
    ProcessBuilder pb = new ProcessBuilder("bash", SCRIPT.toString()).redirectErrorStream(true);
    pb.environment().put("JUGGLER_TEST_SYSROOT", sysroot.toString());
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), out);
    return new Run(p.exitValue(), out);
  }

  void install(String path, String script) throws IOException {
    Path file = sysroot.resolve(path.substring(1));
    Files.createDirectories(file.getParent());
    Files.writeString(file, "#!/bin/sh\n" + script + "\n");
    assertTrue(file.toFile().setExecutable(true));
  }

  void installAllBut(String... left) throws IOException {
    Map<String, String> tools = new HashMap<>();
    tools.put("/usr/bin/chromium", "echo Chromium 156.0");
    tools.put("/usr/bin/chromedriver", "echo ChromeDriver 156.0");
    tools.put("/usr/sbin/nginx", "echo nginx version: nginx/1.22.1 >&2");
    tools.put("/usr/bin/node", "echo v20.20.2");
    tools.put("/usr/bin/npm", "echo 9.2.0");
    tools.put("/usr/bin/redis-server", "echo Redis server v=7.0.15");
    List.of(left).forEach(tools::remove);
    for (Map.Entry<String, String> t : tools.entrySet()) {
      install(t.getKey(), t.getValue());
    }
  }

  @Test
  void aFreshMachineWhereItMayNotInstallStopsAtOnceWithTheInstallCommand() throws Exception {
    Run r = run(Map.of("JUGGLER_TEST_INSTALL", "no"));
    assertEquals(1, r.status(), r.output());
    assertTrue(
        r.output()
            .contains(
                "\n  sudo apt-get install -y chromium chromium-driver nginx nodejs npm redis-server\n"),
        r.output());
    assertFalse(r.output().contains("mvnw"), r.output());
  }

  @Test
  void aFreshMachineGetsEveryPackageInstalledOrTheCommandToDoIt() throws Exception {
    // as root (CI) it would install them; elsewhere without sudo it prints the command
    Run r = run(Map.of("JUGGLER_TEST_DRY_RUN", "1"));
    assertTrue(
        r.output()
            .contains("apt-get install -y chromium chromium-driver nginx nodejs npm redis-server"),
        r.output());
  }

  @Test
  void withEverythingThereItRunsTheBuild() throws Exception {
    installAllBut();
    Run r = run(Map.of("JUGGLER_TEST_DRY_RUN", "1"));
    assertEquals(0, r.status(), r.output());
    assertEquals("test.sh: would run: ./mvnw -B verify\n", r.output());
  }

  @Test
  void redisServerIsOptional() throws Exception {
    installAllBut("/usr/bin/redis-server");
    Run r = run(Map.of("JUGGLER_TEST_INSTALL", "no", "JUGGLER_TEST_DRY_RUN", "1"));
    assertEquals(0, r.status(), r.output());
    assertTrue(r.output().contains("bundled in embedded-redis"), r.output());
    assertTrue(r.output().endsWith("would run: ./mvnw -B verify\n"), r.output());
  }

  @Test
  void npmIsInstalledWhenMissing() throws Exception {
    // Debian's nodejs comes without npm, which NpmPackageTest runs
    installAllBut("/usr/bin/npm");
    Run r = run(Map.of("JUGGLER_TEST_INSTALL", "no"));
    assertEquals(1, r.status(), r.output());
    assertTrue(r.output().contains("missing on this machine: npm\n"), r.output());
    assertTrue(r.output().contains("\n  sudo apt-get install -y npm\n"), r.output());
  }

  @Test
  void anOldNodeStopsItNamingTheVersionNeeded() throws Exception {
    installAllBut("/usr/bin/node");
    install("/usr/bin/node", "echo v18.19.0");
    Run r = run(Map.of("JUGGLER_TEST_DRY_RUN", "1"));
    assertEquals(1, r.status(), r.output());
    assertTrue(r.output().contains("node v18.19.0 is too old"), r.output());
    assertTrue(r.output().contains("Node.js 20 or later"), r.output());
  }
}
