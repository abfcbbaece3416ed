package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.message.Ack;
import io.juggler.message.MessageType;
import io.juggler.message.Uuids;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class ConnectionTest {

  private static final long SECOND = 1_000_000_000L;

  private final FakeSession session = new FakeSession();

  private Connection connection(int maxQueued) {
    return session.connection(maxQueued, 1 << 20);
  }

  private static Ack ack(String channel) {
    return new Ack(Uuids.random(), Uuids.random(), MessageType.PUB, null, channel);
  }

  @Test
  void writesOneMessageAtATimeInOrder() {
    Connection c = connection(8);
    assertTrue(c.send(ack("a")));
    assertTrue(c.send(ack("b")));
    assertTrue(c.send(ack("c")));
    assertEquals(1, session.written.size(), "the second write waits for the first");
    session.complete();
    assertEquals(2, session.written.size());
    session.complete();
    session.complete();
    assertEquals(3, session.written.size());
    assertTrue(session.written.get(0).contains("\"channel\":\"a\""));
    assertTrue(session.written.get(2).contains("\"channel\":\"c\""));
    assertEquals(3, c.messagesOut());
  }

  @Test
  void aReaderTooSlowForTheQueueIsClosedWith1008AndLaterMessagesAreDropped() {
    Connection c = connection(2);
    assertTrue(c.send(ack("1"))); // being written
    assertTrue(c.send(ack("2"))); // waiting
    assertFalse(c.send(ack("3"))); // over the queue
    assertFalse(c.isOpen());
    assertEquals(-1, session.closeCode(), "not on the sender's thread while a write is in flight");
    assertEquals(1, session.closes.size(), "handed to the closer");
    session.runCloses();
    assertEquals(1008, session.closeCode());
    session.complete();
    assertEquals(1, session.written.size(), "the queued message is dropped");
    assertTrue(session.closed.getReasonPhrase().contains("slow reader"));
    assertFalse(c.send(ack("4")));
    assertFalse(c.isOpen());
  }

  @Test
  void aReaderHoldingTooManyBytesIsClosedWith1008() {
    Connection c = session.connection(1000, 10_000);
    String big = "x".repeat(4_000);
    assertTrue(c.send(ack(big))); // being written: counts
    assertTrue(c.send(ack(big)));
    assertFalse(c.send(ack(big)), "over 10,000 characters waiting");
    session.runCloses();
    assertEquals(1008, session.closeCode());
    assertTrue(session.closed.getReasonPhrase().contains("bytes"));
  }

  @Test
  void writtenMessagesNoLongerCountAgainstTheByteBound() {
    Connection c = session.connection(1000, 10_000);
    String big = "x".repeat(4_000);
    for (int i = 0; i < 10; i++) {
      assertTrue(c.send(ack(big)), "message " + i);
      session.complete();
    }
    assertEquals(-1, session.closeCode());
  }

  @Test
  void oneMessageLargerThanTheBoundIsWrittenWhenNothingElseWaits() {
    Connection c = session.connection(1000, 1_000);
    assertTrue(c.send(ack("y".repeat(5_000))));
    assertEquals(1, session.written.size());
    assertFalse(c.send(ack("z")), "the big one still counts while it is written");
  }

  @Test
  void aFailedWriteClosesWith1011() {
    Connection c = connection(8);
    c.send(ack("1"));
    session.fail(new IOException("broken pipe"));
    assertEquals(1011, session.closeCode());
    assertFalse(c.send(ack("2")));
  }

  @Test
  void aWriteThatOutlivesTheTimeoutClosesWith1011() {
    Connection c = connection(8);
    c.send(ack("1"));
    long now = System.nanoTime();
    assertFalse(c.closeIfWriteStalled(now, 10 * SECOND));
    assertTrue(c.closeIfWriteStalled(now + 11 * SECOND, 10 * SECOND));
    assertFalse(c.isOpen());
    session.runCloses();
    assertEquals(1011, session.closeCode());
    assertFalse(c.closeIfWriteStalled(now + 12 * SECOND, 10 * SECOND), "closed once");
  }

  @Test
  void aCloseWithoutAWriteInFlightIsSentAtOnce() {
    Connection c = connection(8);
    c.send(ack("1"));
    session.complete();
    c.close(1008, "policy");
    assertEquals(1008, session.closeCode());
    assertTrue(session.closes.isEmpty(), "nothing in flight: closed on the caller's thread");
  }

  @Test
  void aCloseHandedOffIsSentOnceWhateverFinishesFirst() {
    Connection c = connection(8);
    c.send(ack("1"));
    c.close(1001, "away");
    session.complete(); // the write ends: its completion sends the close
    assertEquals(1001, session.closeCode());
    session.closed = null;
    session.runCloses(); // the closer's turn comes later: nothing more is sent
    assertEquals(-1, session.closeCode());
  }

  private static final Runnable NOTHING = () -> {};

  @Test
  void keepAlivePingsASilentPeerAndClosesOneThatStaysSilent() {
    Connection c = connection(8);
    long start = System.nanoTime();
    assertFalse(c.keepAlive(start, 30 * SECOND, NOTHING));
    assertEquals(0, session.pings, "not silent long enough");
    assertFalse(c.keepAlive(start + 31 * SECOND, 30 * SECOND, NOTHING));
    assertEquals(1, session.pings);
    assertFalse(c.keepAlive(start + 32 * SECOND, 30 * SECOND, NOTHING));
    assertEquals(1, session.pings, "one ping per half interval at most");
    int[] timeouts = {0};
    assertTrue(c.keepAlive(start + 61 * SECOND, 30 * SECOND, () -> timeouts[0]++));
    assertEquals(1, timeouts[0], "counted before the close");
    assertEquals(1, session.closes.size(), "the close is written by the closer, not the watchdog");
    session.runCloses();
    assertEquals(1001, session.closeCode());
    assertFalse(c.keepAlive(start + 62 * SECOND, 30 * SECOND, () -> timeouts[0]++));
    assertEquals(1, timeouts[0], "a closed connection times out once");
  }

  @Test
  void anythingHeardFromThePeerResetsTheKeepAlive() {
    Connection c = connection(8);
    c.heard();
    long heard = System.nanoTime();
    assertFalse(c.keepAlive(heard + 50 * SECOND, 30 * SECOND, NOTHING)); // pinged
    c.received(); // e.g. a request, or a pong via heard()
    assertFalse(c.keepAlive(System.nanoTime() + 10 * SECOND, 30 * SECOND, NOTHING));
    assertEquals(-1, session.closeCode());
  }

  @Test
  void noPingWhileAWriteIsInProgress() {
    Connection c = connection(8);
    c.send(ack("1")); // pending
    assertFalse(c.keepAlive(System.nanoTime() + 31 * SECOND, 30 * SECOND, NOTHING));
    assertEquals(0, session.pings);
  }

  @Test
  void closeIsSentOnce() {
    Connection c = connection(8);
    c.close(1000, "bye");
    c.close(1011, "again");
    assertEquals(1000, session.closeCode());
    assertEquals(1000, c.closeCode());
  }
}
