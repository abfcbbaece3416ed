// SPDX-License-Identifier: Apache-2.0
package com.example.greeter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * One application server process serving a WAR at context root {@code /} on a free loopback port,
 * configured as in production: environment variables ({@code JUGGLER_*}, {@code GREETER_*}), the
 * packaged WAR unchanged. Its output goes to {@code target/servers/<name>.log}.
 */
final class AppServer implements AutoCloseable {

  private static final Path WORK = Path.of("target", "servers").toAbsolutePath();

  private final String name;
  private final Process process;
  private final int port;
  private final Path log;
  private final Path scratch;

  private AppServer(String name, Process process, int port, Path log, Path scratch) {
    this.name = name;
    this.process = process;
    this.port = port;
    this.log = log;
    this.scratch = scratch;
  }

  /**
   * {@code java -jar payara-micro.jar --deploy WAR}: the Payara Micro JAR the build copied (system
   * property {@code payara.microJar}), the HTTP listener bound to loopback by a pre-boot command.
   */
  static AppServer payaraMicro(String name, Path war, Map<String, String> env) throws IOException {
    Path dir = fresh(name);
    Path preboot = dir.resolve("preboot.txt");
    Files.writeString(
        preboot,
        "set configs.config.server-config.network-config.network-listeners.network-listener"
            + ".http-listener.address=127.0.0.1\n");
    int port = freePort();
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(
        List.of(
            "-Djava.io.tmpdir=" + dir,
            "-jar",
            System.getProperty("payara.microJar"),
            "--deploy",
            war.toString(),
            "--contextroot",
            "/",
            "--port",
            Integer.toString(port),
            "--nocluster",
            "--nohostaware",
            "--prebootcommandfile",
            preboot.toString(),
            "--rootdir",
            dir.resolve("root").toString()));
    // the root directory, an unpacked runtime of about 100 MB, is deleted by close()
    return start(name, new ProcessBuilder(cmd), env, port, dir);
  }

  /**
   * {@code wlp/bin/server run NAME}: a server made here in the Open Liberty the build unpacked
   * (system property {@code liberty.wlp}), with the sample's {@code server.xml} and the WAR in its
   * {@code apps/}.
   */
  static AppServer openLiberty(String name, Path war, Map<String, String> env) throws IOException {
    Path wlp = Path.of(System.getProperty("liberty.wlp"));
    Path server = wlp.resolve("usr").resolve("servers").resolve(name);
    delete(server);
    Files.createDirectories(server.resolve("apps"));
    Files.copy(Path.of(System.getProperty("liberty.serverXml")), server.resolve("server.xml"));
    Files.copy(war, server.resolve("apps").resolve(war.getFileName()));
    int port = freePort();
    ProcessBuilder pb =
        new ProcessBuilder(wlp.resolve("bin").resolve("server").toString(), "run", name);
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("HTTP_PORT", Integer.toString(port));
    pb.environment().put("APP_WAR", war.getFileName().toString());
    return start(name, pb, env, port, null);
  }

  private static AppServer start(
      String name, ProcessBuilder pb, Map<String, String> env, int port, Path scratch)
      throws IOException {
    Path log = Files.createDirectories(WORK).resolve(name + ".log");
    pb.environment().putAll(env);
    pb.redirectErrorStream(true).redirectOutput(log.toFile());
    return new AppServer(name, pb.start(), port, log, scratch);
  }

  URI http() {
    return URI.create("http://127.0.0.1:" + port + "/");
  }

  URI ws() {
    return URI.create("ws://127.0.0.1:" + port + "/ws");
  }

  /**
   * Waits until MicroProfile Health says the application is ready ({@code /health/ready} answers
   * 200: Juggler EE's Redis connections are up and, on a callee instance, its workers started).
   */
  AppServer awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " stopped before it was ready: see " + log);
      }
      try {
        HttpURLConnection c =
            (HttpURLConnection) http().resolve("health/ready").toURL().openConnection();
        c.setConnectTimeout(1000);
        c.setReadTimeout(2000);
        if (c.getResponseCode() == 200) {
          return this;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(250);
    }
    throw new IllegalStateException(name + " not ready after " + timeout + ": see " + log);
  }

  /** SIGTERM (to the script's JVM too, on Liberty), then SIGKILL after 30 s. */
  @Override
  public void close() throws InterruptedException, IOException {
    List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
    all.add(process.toHandle());
    all.forEach(ProcessHandle::destroy);
    for (ProcessHandle p : all) {
      try {
        p.onExit().get(30, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        p.destroyForcibly();
      }
    }
    if (scratch != null) {
      delete(scratch);
    }
  }

  private static Path fresh(String name) throws IOException {
    Path dir = WORK.resolve(name);
    delete(dir);
    return Files.createDirectories(dir);
  }

  private static void delete(Path dir) throws IOException {
    if (Files.exists(dir)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(p);
        }
      }
    }
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
