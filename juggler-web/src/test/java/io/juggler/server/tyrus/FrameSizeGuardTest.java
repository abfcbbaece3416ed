package io.juggler.server.tyrus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameSizeGuardTest {

  /** A masked client frame with {@code payload}, its length in the shortest encoding. */
  static byte[] frame(int firstByte, byte[] payload) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write(firstByte);
    if (payload.length < 126) {
      f.write(0x80 | payload.length);
    } else if (payload.length < 65536) {
      f.write(0x80 | 126);
      f.write(payload.length >> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(0x80 | 127);
      f.writeBytes(ByteBuffer.allocate(8).putLong(payload.length).array());
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) {
      f.write(payload[i] ^ mask[i % 4]);
    }
    return f.toByteArray();
  }

  /**
   * What the websocket stack reads from {@code stream} through a guard, in reads of {@code chunk}.
   */
  static byte[] through(FrameSizeGuard guard, byte[] stream, int chunk, int readBuffer) {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    int at = 0;
    while (at < stream.length || guard.pendingCount() > 0) {
      byte[] b = new byte[readBuffer];
      int n;
      if (guard.pendingCount() > 0) {
        n = guard.drainPending(b, 0, b.length);
      } else {
        int len = Math.min(Math.min(chunk, readBuffer), stream.length - at);
        System.arraycopy(stream, at, b, 0, len);
        at += len;
        n = guard.filter(b, 0, len, b.length);
      }
      got.write(b, 0, n);
    }
    return got.toByteArray();
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 7, 13, 100, 4096})
  void framesWithinTheLimitPassUnchangedHoweverTheyAreSplit(int chunk) {
    byte[] stream =
        concat(
            frame(0x81, "{\"a\":1}".getBytes()),
            frame(0x01, new byte[300]), // 16-bit length, not final
            frame(0x80, new byte[70_000]), // 64-bit length, continuation
            frame(0x89, new byte[3]), // ping
            frame(0x81, new byte[0]));
    assertArrayEquals(stream, through(new FrameSizeGuard(100_000), stream, chunk, 4096));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 5, 9, 1000})
  void aFrameOverTheLimitBecomesAClose1009AndTheRestIsDropped(int chunk) {
    byte[] before = frame(0x81, "ok".getBytes());
    byte[] stream = concat(before, frame(0x81, new byte[2_000]), frame(0x81, "after".getBytes()));
    byte[] got = through(new FrameSizeGuard(1_000), stream, chunk, 64);
    byte[] close = {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xF1};
    assertArrayEquals(concat(before, close), got);
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 10})
  void aHugeAnnouncedLengthIsCaughtFromTheHeaderAlone(int chunk) {
    byte[] header = {(byte) 0x81, (byte) 0xFF, 0x7f, -1, -1, -1, -1, -1, -1, -1, 1, 2, 3, 4};
    byte[] got = through(new FrameSizeGuard(1 << 20), header, chunk, 16);
    assertArrayEquals(
        new byte[] {(byte) 0x88, (byte) 0x82, 0, 0, 0, 0, 0x03, (byte) 0xF1},
        Arrays.copyOf(got, 8));
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 3})
  void aFrameOfExactlyTheLimitPasses(int chunk) {
    byte[] stream = frame(0x82, new byte[1_000]);
    assertArrayEquals(stream, through(new FrameSizeGuard(1_000), stream, chunk, 16));
  }
}
