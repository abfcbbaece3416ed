package io.juggler.faults;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The JavaScript client of scenario 4: {@code juggler.js} under Node ({@code js-client.mjs}),
 * calling through the load balancer while a server is killed; it reconnects by itself.
 */
final class JsClient {

  private final Process process;
  private final Path out;

  private JsClient(Process process, Path out) {
    this.process = process;
    this.out = out;
  }

  static JsClient start(
      Path work, URI url, String uri, Duration duration, Duration interval, Duration timeout)
      throws IOException {
    Path script = work.resolve("js-client.mjs");
    try (InputStream in = JsClient.class.getResourceAsStream("js-client.mjs")) {
      Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
    }
    Path module = Path.of("juggler-web/src/main/js/juggler.js").toAbsolutePath();
    List<String> cmd = new ArrayList<>(List.of("node"));
    if (!globalWebSocket()) {
      cmd.add("--experimental-websocket"); // Node 20; global from Node 22
    }
    cmd.addAll(
        List.of(
            script.toString(),
            module.toString(),
            url.toString(),
            uri,
            Long.toString(duration.toMillis()),
            Long.toString(interval.toMillis()),
            Long.toString(timeout.toMillis())));
    Path out = work.resolve("js-client.out");
    Process p =
        new ProcessBuilder(cmd)
            .redirectOutput(out.toFile())
            .redirectError(work.resolve("js-client.err").toFile())
            .start();
    return new JsClient(p, out);
  }

  private static boolean globalWebSocket() {
    try {
      Process p =
          new ProcessBuilder("node", "-e", "process.exit(typeof WebSocket === 'function' ? 0 : 1)")
              .start();
      return p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      throw new IllegalStateException("scenario 4 needs node (20 or later) on the PATH", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** What the client printed (one JSON object), once it ended. */
  String result() throws InterruptedException, IOException {
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "did not end";
    }
    return Files.readString(out, StandardCharsets.UTF_8).trim();
  }
}
