package io.juggler.server;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A bare RFC 6455 client on a socket, for what a well-behaved client library refuses to send
 * (unmasked frames, reserved bits, invalid UTF-8). Reads frames without interpreting them.
 */
final class RawSocket implements AutoCloseable {

  /** One frame as received. */
  record Frame(int opcode, byte[] payload) {
    int closeCode() {
      return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : -1;
    }
  }

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawSocket(URI ws) throws IOException {
    this(ws, 0);
  }

  /**
   * A connection whose receive buffer is {@code receiveBuffer} bytes (0: the system's), e.g. small
   * for a reader that stops reading, so that the server's queue is what fills.
   */
  RawSocket(URI ws, int receiveBuffer) throws IOException {
    socket = new Socket();
    if (receiveBuffer > 0) {
      socket.setReceiveBufferSize(receiveBuffer);
    }
    socket.connect(new InetSocketAddress(ws.getHost(), ws.getPort()), 10_000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
    out.write(upgradeRequest(ws));
    out.flush();
    String status = readHeaders(in);
    if (!status.startsWith("HTTP/1.1 101")) {
      throw new IOException("handshake refused: " + status);
    }
  }

  /**
   * What a hostile client does (hardening item 1): the upgrade request and a text frame in one TCP
   * write, then close, without waiting for the handshake's answer.
   */
  static void pipelinedUpgradeThenClose(URI ws, String text) throws IOException {
    try (Socket s = new Socket(ws.getHost(), ws.getPort())) {
      ByteArrayOutputStream both = new ByteArrayOutputStream();
      both.write(upgradeRequest(ws));
      both.write(frame(0x81, text.getBytes(StandardCharsets.UTF_8), true));
      s.getOutputStream().write(both.toByteArray());
      s.getOutputStream().flush();
    }
  }

  /**
   * What a refused handshake got: the status line, the body, and how long after the answer the
   * server closed the connection (null when it did not within 5 s).
   */
  record Refusal(String status, String body, Duration closedAfter) {}

  /**
   * Sends an upgrade request for {@code ws} with {@code headers} (each {@code Name: value};
   * offering no subprotocol unless one of them does), reads the answer to its end and waits for the
   * server to close the connection.
   */
  static Refusal handshake(URI ws, String... headers) throws IOException {
    try (Socket s = new Socket(ws.getHost(), ws.getPort())) {
      s.setSoTimeout(5_000);
      StringBuilder request =
          new StringBuilder("GET ")
              .append(ws.getRawPath())
              .append(" HTTP/1.1\r\nHost: ")
              .append(ws.getHost())
              .append(':')
              .append(ws.getPort())
              .append(
                  "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")
              .append("Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
      for (String h : headers) {
        request.append(h).append("\r\n");
      }
      s.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.UTF_8));
      InputStream in = s.getInputStream();
      String head = readHead(in);
      String status = head.lines().findFirst().orElse("");
      int length = 0;
      for (String line : head.lines().toList()) {
        if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
          length = Integer.parseInt(line.substring(15).trim());
        }
      }
      byte[] body = in.readNBytes(length);
      long answered = System.nanoTime();
      Duration closedAfter;
      try {
        closedAfter = in.read() < 0 ? Duration.ofNanos(System.nanoTime() - answered) : null;
      } catch (java.net.SocketTimeoutException e) {
        closedAfter = null;
      }
      return new Refusal(status, new String(body, StandardCharsets.UTF_8), closedAfter);
    }
  }

  /** A websocket upgrade request for {@code ws} offering {@code juggler.0}. */
  static byte[] upgradeRequest(URI ws) {
    byte[] nonce = new byte[16];
    ThreadLocalRandom.current().nextBytes(nonce);
    String request =
        "GET "
            + ws.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + ws.getHost()
            + ":"
            + ws.getPort()
            + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Key: "
            + Base64.getEncoder().encodeToString(nonce)
            + "\r\nSec-WebSocket-Protocol: juggler.0\r\n\r\n";
    return request.getBytes(StandardCharsets.US_ASCII);
  }

  private static String readHeaders(InputStream in) throws IOException {
    return readHead(in).lines().findFirst().orElse("");
  }

  /** The response head: status line and headers, up to the blank line. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed during handshake");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(StandardCharsets.US_ASCII);
  }

  /** Writes {@code bytes} as they are. */
  void sendRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  /** Sends one frame with the given first byte (FIN, RSV bits, opcode), masked or not. */
  void send(int firstByte, byte[] payload, boolean masked) throws IOException {
    out.write(frame(firstByte, payload, masked));
    out.flush();
  }

  /** One frame with the given first byte (FIN, RSV bits, opcode), masked or not. */
  static byte[] frame(int firstByte, byte[] payload, boolean masked) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(firstByte);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      f.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      f.write(maskBit | 126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(maskBit | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        f.write((int) ((long) payload.length >> shift) & 0xff);
      }
    }
    byte[] body = payload.clone();
    if (masked) {
      byte[] mask = new byte[4];
      ThreadLocalRandom.current().nextBytes(mask);
      f.write(mask, 0, 4);
      for (int i = 0; i < body.length; i++) {
        body[i] ^= mask[i % 4];
      }
    }
    f.write(body, 0, body.length);
    return f.toByteArray();
  }

  /** Reads the next frame (server frames are unmasked). */
  Frame read() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    long len = b1 & 0x7f;
    if (len == 126) {
      len = in.readUnsignedShort();
    } else if (len == 127) {
      len = in.readLong();
    }
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame(b0 & 0x0f, payload);
  }

  /** Reads the next frame as a JSON text message. */
  JsonObject readJson() throws IOException {
    Frame f = read();
    if (f.opcode() != 1) {
      throw new IOException("expected a text frame, got opcode " + f.opcode());
    }
    return Json.createReader(new StringReader(new String(f.payload(), StandardCharsets.UTF_8)))
        .readObject();
  }

  /** Reads frames until a close frame arrives and returns it. */
  Frame readUntilClose() throws IOException {
    Frame f;
    do {
      f = read();
    } while (f.opcode() != 8);
    return f;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
