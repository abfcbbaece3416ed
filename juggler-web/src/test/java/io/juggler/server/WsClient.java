package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.juggler.message.Uuids;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A websocket test client on the JDK's {@code java.net.http.WebSocket} that records every frame and
 * offers bounded waits: {@link #next()}, {@link #expect}, {@link #awaitClose()}. Nothing here
 * sleeps: every wait ends when the awaited frame arrives or after {@link #WAIT}.
 */
final class WsClient implements AutoCloseable {

  static final Duration WAIT = Duration.ofSeconds(10);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final BlockingQueue<JsonObject> frames = new LinkedBlockingQueue<>();
  private final CompletableFuture<Integer> closed = new CompletableFuture<>();
  private volatile String closeReason;
  final WebSocket ws;

  private WsClient(URI uri, Map<String, String> headers, String... protocols) {
    WebSocket.Builder b = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
    if (protocols.length > 0) {
      b.subprotocols(protocols[0], java.util.Arrays.copyOfRange(protocols, 1, protocols.length));
    }
    headers.forEach(b::header);
    this.ws =
        b.buildAsync(uri, new Listener()).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  static WsClient connect(URI uri) {
    return new WsClient(uri, Map.of(), "juggler.0");
  }

  static WsClient connect(URI uri, Map<String, String> headers, String... protocols) {
    return new WsClient(uri, headers, protocols);
  }

  /** The HTTP status of a handshake the server refuses; fails if it opens a websocket. */
  static int refusedStatus(URI uri, Map<String, String> headers, String... protocols) {
    try {
      WsClient opened = new WsClient(uri, headers, protocols);
      opened.close();
      return fail("the handshake was accepted");
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
        return refused.getResponse().statusCode();
      }
      throw e;
    }
  }

  private final class Listener implements WebSocket.Listener {
    private final StringBuilder partial = new StringBuilder();

    @Override
    public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        frames.add(Json.createReader(new StringReader(partial.toString())).readObject());
        partial.setLength(0);
      }
      w.request(1);
      return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket w, int code, String reason) {
      closeReason = reason;
      closed.complete(code);
      return null;
    }

    @Override
    public void onError(WebSocket w, Throwable error) {
      closed.complete(1006);
    }
  }

  String subprotocol() {
    return ws.getSubprotocol();
  }

  void send(String text) {
    ws.sendText(text, true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  void sendBinary(byte[] data) {
    ws.sendBinary(ByteBuffer.wrap(data), true).orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  /** Sends a CALL and returns its uuid. */
  String call(String uri, long timeoutNanos, String argsJson) {
    String uuid = Uuids.random();
    send(
        request(
            1, uuid, "\"uri\":" + quote(uri) + ",\"timeout\":" + timeoutNanos + args(argsJson)));
    return uuid;
  }

  String pub(String channel, String argsJson) {
    String uuid = Uuids.random();
    send(request(2, uuid, "\"channel\":" + quote(channel) + args(argsJson)));
    return uuid;
  }

  /** A PUB with the optional {@code echo} member. */
  String pub(String channel, String argsJson, boolean echo) {
    String uuid = Uuids.random();
    send(request(2, uuid, "\"channel\":" + quote(channel) + args(argsJson) + ",\"echo\":" + echo));
    return uuid;
  }

  String sub(String channel, boolean pattern) {
    String uuid = Uuids.random();
    send(request(3, uuid, "\"channel\":" + quote(channel) + ",\"pattern\":" + pattern));
    return uuid;
  }

  String unsb(String channel, boolean pattern) {
    String uuid = Uuids.random();
    send(request(4, uuid, "\"channel\":" + quote(channel) + ",\"pattern\":" + pattern));
    return uuid;
  }

  static String request(int type, String uuid, String payloadMembers) {
    return "{\"meta\":{\"type\":"
        + type
        + ",\"uuid\":\""
        + uuid
        + "\"},\"payload\":{"
        + payloadMembers
        + "}}";
  }

  private static String args(String json) {
    return json == null ? "" : ",\"args\":" + json;
  }

  static String quote(String s) {
    return Json.createValue(s).toString();
  }

  /** The next frame, failing the test if none arrives in time. */
  JsonObject next() {
    try {
      JsonObject f = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      if (f == null) {
        fail(
            "no frame within " + WAIT + (closed.isDone() ? " (closed " + closed.join() + ")" : ""));
      }
      return f;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** The next frame, asserting its type code and {@code payload.for}; returns the payload. */
  JsonObject expect(int type, String forUuid) {
    JsonObject f = next();
    assertEquals(type, f.getJsonObject("meta").getInt("type"), () -> "frame " + f);
    assertNotNull(Uuids.normalize(f.getJsonObject("meta").getString("uuid")));
    JsonObject p = f.getJsonObject("payload");
    assertEquals(forUuid, p.getString("for"), () -> "frame " + f);
    return p;
  }

  JsonObject expectAck(String forUuid) {
    return expect(8, forUuid);
  }

  JsonObject expectNack(String forUuid) {
    return expect(7, forUuid);
  }

  JsonObject expectRes(String forUuid) {
    return expect(9, forUuid);
  }

  /** Asserts that no frame has been received and not consumed yet. */
  void assertNoFrame() {
    assertNull(frames.peek(), "unexpected frame");
  }

  /** Waits for the server to close and returns the close code. */
  int awaitClose() {
    return closed.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
  }

  boolean isClosed() {
    return closed.isDone();
  }

  String closeReason() {
    return closeReason;
  }

  @Override
  public void close() {
    if (!closed.isDone()) {
      ws.abort();
    }
  }
}
