package io.juggler.server.tyrus;

import java.util.Arrays;

/**
 * Enforces the read limit on frame headers, before any payload is buffered (spec 2.4: the reference
 * checks the frame header): bytes from the client pass through {@link #filter}, which parses each
 * frame's header and, when a frame announces a payload longer than the limit, puts a client close
 * frame with code 1009 in its place and discards everything after it. Tyrus answers that close
 * frame with its own close 1009 and ends the connection.
 *
 * <p>Why: Tyrus buffers a whole frame before it checks its size against the session's limit, up to
 * its fixed 4 MB input buffer; a larger frame overflowed that buffer, closed the connection with
 * 1011 {@code Buffer overflow.} and logged a 28-line stack trace at WARNING, one per connection, so
 * any client could flood the log and make the server hold 4 MB per connection. With the guard a
 * frame over the limit costs nothing but its header.
 *
 * <p>Not thread-safe: one per connection, fed by the container's read callbacks one at a time.
 */
final class FrameSizeGuard {

  private static final int MAX_HEADER = 14;

  /** The close frame put in place of an oversized one: FIN + close, masked (key 0), code 1009. */
  private static final byte[] CLOSE_1009 = {
    (byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xF1
  };

  private final long limit;
  private final byte[] header = new byte[MAX_HEADER];
  private int headerLength;
  private long passing; // bytes of the current frame (mask and payload) still to pass through
  private boolean closed; // an oversized frame was replaced: discard everything from now on

  private byte[] pending = new byte[0];
  private int pendingStart;
  private byte[] scratch = new byte[0];

  FrameSizeGuard(long limit) {
    this.limit = limit;
  }

  /** Bytes produced by earlier calls that did not fit in the caller's buffer yet. */
  int pendingCount() {
    return pending.length - pendingStart;
  }

  /** Copies pending bytes into {@code b}; returns how many. */
  int drainPending(byte[] b, int off, int len) {
    int n = Math.min(len, pendingCount());
    System.arraycopy(pending, pendingStart, b, off, n);
    pendingStart += n;
    return n;
  }

  /**
   * Filters the {@code n} bytes just read into {@code b[off..off+n)}, in place: returns how many
   * bytes of {@code b} (from {@code off}, at most {@code capacity}) the websocket stack gets now;
   * what did not fit waits in {@link #pendingCount()}.
   */
  int filter(byte[] b, int off, int n, int capacity) {
    if (scratch.length < n + MAX_HEADER + CLOSE_1009.length) {
      scratch = new byte[n + MAX_HEADER + CLOSE_1009.length];
    }
    byte[] out = scratch;
    int produced = 0;
    int i = off;
    int end = off + n;
    while (i < end && !closed) {
      if (passing > 0) {
        int chunk = (int) Math.min(passing, end - i);
        System.arraycopy(b, i, out, produced, chunk);
        produced += chunk;
        passing -= chunk;
        i += chunk;
        continue;
      }
      header[headerLength++] = b[i++];
      int need = needed();
      if (headerLength < need) {
        continue;
      }
      long length = payloadLength();
      boolean masked = (header[1] & 0x80) != 0;
      if (length > limit) {
        System.arraycopy(CLOSE_1009, 0, out, produced, CLOSE_1009.length);
        produced += CLOSE_1009.length;
        closed = true;
        break;
      }
      System.arraycopy(header, 0, out, produced, headerLength);
      produced += headerLength;
      headerLength = 0;
      passing = (masked ? 4 : 0) + length;
    }
    int now = Math.min(produced, capacity);
    System.arraycopy(out, 0, b, off, now);
    if (produced > now) {
      pending = Arrays.copyOfRange(out, now, produced);
      pendingStart = 0;
    }
    return now;
  }

  /** Header bytes needed before the payload length is known: 2, 4 or 10. */
  private int needed() {
    if (headerLength < 2) {
      return 2;
    }
    int len7 = header[1] & 0x7f;
    return len7 == 126 ? 4 : len7 == 127 ? 10 : 2;
  }

  private long payloadLength() {
    int len7 = header[1] & 0x7f;
    if (len7 < 126) {
      return len7;
    }
    if (len7 == 126) {
      return ((header[2] & 0xffL) << 8) | (header[3] & 0xffL);
    }
    long v = 0;
    for (int k = 2; k < 10; k++) {
      v = (v << 8) | (header[k] & 0xffL);
    }
    return v < 0 ? Long.MAX_VALUE : v;
  }
}
