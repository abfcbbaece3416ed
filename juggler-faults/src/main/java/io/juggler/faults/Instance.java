package io.juggler.faults;

import io.juggler.launcher.PayaraMicro;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One Payara Micro process of the system under test (a server or a callee instance), and its log.
 */
final class Instance implements AutoCloseable {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();

  /** A record's header: its level and logger, in Payara's format (levels may be coloured). */
  private static final Pattern LEVEL =
      Pattern.compile(
          "\\[(?:\u001b\\[[0-9;]*m)?(SEVERE|WARNING)(?:\u001b\\[[0-9;]*m)?\\] \\[[^\\]]*\\]"
              + " \\[(?:\u001b\\[[0-9;]*m)?([^\\]\u001b]*)");

  final String name;
  final int port;
  final Path log;
  private final Path runtime;
  private final Path work;
  private final Map<String, String> env;
  private PayaraMicro process;

  private Instance(String name, Path runtime, Path work, int port, Map<String, String> env) {
    this.name = name;
    this.runtime = runtime;
    this.work = work;
    this.port = port;
    this.env = env;
    this.log = work.resolve(name + ".log");
  }

  static Instance start(String name, Path runtime, Path work, int port, Map<String, String> env)
      throws IOException {
    Instance i = new Instance(name, runtime, work, port, env);
    i.launch();
    return i;
  }

  private void launch() throws IOException {
    Files.createDirectories(work);
    Files.deleteIfExists(log);
    process =
        PayaraMicro.start(
            runtime, work.resolve(name), port, env, List.of("-Xmx384m", "-Xss512k"), log);
  }

  void restart() throws IOException, InterruptedException {
    launch();
    awaitReady(300);
  }

  void awaitReady(int seconds) throws InterruptedException {
    if (!process.awaitReady(seconds)) {
      throw new IllegalStateException(name + " did not become ready; see " + log);
    }
  }

  String websocketUrl() {
    return "ws://127.0.0.1:" + port + "/ws";
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** SIGKILL. */
  void kill() throws InterruptedException {
    ProcessHandle.of(process.pid()).ifPresent(ProcessHandle::destroyForcibly);
    process.waitFor();
  }

  /** The status of {@code /health/ready}: 200, 503, or -1 when it does not answer within 2 s. */
  int readiness() {
    try {
      HttpResponse<Void> r =
          HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                  .timeout(Duration.ofSeconds(2))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      return r.statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -2; // not an answer: the probe was stopped
    }
  }

  /** A GET of {@code path} on this instance, as text ("" when it fails). */
  String get(String path) {
    try {
      return HTTP.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                  .timeout(Duration.ofSeconds(3))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** The log's length now: {@link #errorsSince} counts from there. */
  long logOffset() {
    try {
      return Files.size(log);
    } catch (IOException e) {
      return 0;
    }
  }

  /** WARNING and SEVERE records of the log written after {@code offset}, with a few samples. */
  LogErrors errorsSince(long offset) {
    int warnings = 0;
    int severe = 0;
    Set<String> samples = new LinkedHashSet<>();
    try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
      long len = f.length();
      if (len > offset) {
        f.seek(offset);
        byte[] b = new byte[(int) Math.min(len - offset, 64 << 20)];
        f.readFully(b);
        String text = new String(b, StandardCharsets.UTF_8);
        Matcher m = LEVEL.matcher(text);
        while (m.find()) {
          if (m.group(1).equals("SEVERE")) {
            severe++;
          } else {
            warnings++;
          }
          // the message follows the header's "[levelValue: N]", on the same line or, after "[[",
          // on the next
          int lv = text.indexOf("[levelValue:", m.end());
          int from = lv < 0 ? m.end() : text.indexOf(']', lv) + 1;
          int endRecord = text.indexOf("]]", from);
          int nextRecord = text.indexOf("\n[20", from);
          int end = endRecord < 0 ? text.length() : endRecord;
          if (nextRecord >= 0 && nextRecord < end) {
            end = nextRecord;
          }
          String message = text.substring(from, Math.max(from, end)).replace("[[", " ").trim();
          int nl = message.indexOf('\n');
          message = nl < 0 ? message : message.substring(0, nl).trim();
          if (samples.size() < 3) {
            samples.add(m.group(1) + " " + m.group(2) + ": " + truncate(message, 160));
          }
        }
      }
    } catch (IOException e) {
      samples.add("log unreadable: " + e);
    }
    return new LogErrors(warnings, severe, new ArrayList<>(samples));
  }

  private static String truncate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n) + "...";
  }

  /** Log records at WARNING and SEVERE. */
  record LogErrors(int warnings, int severe, List<String> samples) {}

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }
}
