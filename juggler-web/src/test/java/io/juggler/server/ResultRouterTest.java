package io.juggler.server;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerUnavailableException;
import io.juggler.broker.CallerBroker;
import io.juggler.broker.TakenResult;
import io.juggler.message.Call;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ResultRouter} on an in-memory broker: registration, routing, ACK before RES, cleanup. */
class ResultRouterTest {

  /** Results lists in memory; records every CALL queued. */
  static final class MemoryCallerBroker implements CallerBroker {
    final List<CallPayload> queued = new CopyOnWriteArrayList<>();
    final Map<String, BlockingQueue<CallPayload>> results = new ConcurrentHashMap<>();
    volatile boolean down;

    @Override
    public void call(CallPayload call, long ttlMillis) {
      if (down) {
        throw new BrokerUnavailableException("redis unavailable: test", null);
      }
      queued.add(call);
    }

    @Override
    public Optional<CallPayload> takeResult(String connUuid, Duration timeout) {
      List<CallPayload> r = takeResults(connUuid, timeout, 1);
      return r.isEmpty() ? Optional.empty() : Optional.of(r.get(0));
    }

    @Override
    public boolean cancel(String uri, String msgUuid) {
      return queued.removeIf(c -> c.msgUuid().equals(msgUuid) && c.uri().equals(uri));
    }

    @Override
    public List<TakenResult> takeBoundResults(
        String connUuid, Duration timeout, int max, java.util.Collection<String> settled) {
      return takeBoundResults(connUuid, timeout, max); // holds nothing
    }

    @Override
    public List<TakenResult> takeBoundResults(String connUuid, Duration timeout, int max) {
      return takeResults(connUuid, timeout, max).stream()
          .map(r -> new TakenResult(r, timeout.toMillis(), null))
          .toList();
    }

    @Override
    public List<CallPayload> takeResults(String connUuid, Duration timeout, int max) {
      try {
        CallPayload first = list(connUuid).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        List<CallPayload> out = new ArrayList<>();
        if (first != null) {
          out.add(first);
          list(connUuid).drainTo(out, max - 1);
        }
        return out;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return List.of();
      }
    }

    @Override
    public long queueDepth(String uri) {
      return queued.stream().filter(c -> c.uri().equals(uri)).count();
    }

    BlockingQueue<CallPayload> list(String connUuid) {
      return results.computeIfAbsent(connUuid, k -> new LinkedBlockingQueue<>());
    }

    /** A callee answering the queued call {@code call} with {@code args}. */
    void answer(CallPayload call, String args) {
      list(call.connUuid())
          .add(new CallPayload(call.connUuid(), call.msgUuid(), call.uri(), RawJson.of(args)));
    }
  }

  /** Counts what the router reports. */
  static final class Counting implements ServerCounters {
    final AtomicInteger orphans = new AtomicInteger();
    final AtomicInteger abandoned = new AtomicInteger();
    final AtomicInteger unanswered = new AtomicInteger();
    final AtomicInteger results = new AtomicInteger();

    @Override
    public void orphanResult() {
      orphans.incrementAndGet();
    }

    @Override
    public void abandonedCall(String uri, String msgUuid) {
      abandoned.incrementAndGet();
    }

    @Override
    public void unansweredCall(String uri, String msgUuid) {
      unanswered.incrementAndGet();
    }

    @Override
    public void result(String uri, long latencyNanos) {
      results.incrementAndGet();
    }
  }

  private final MemoryCallerBroker broker = new MemoryCallerBroker();
  private final Counting counters = new Counting();
  private final ResultRouter router =
      new ResultRouter(broker, counters, 2, Duration.ofMillis(50), Thread::new);

  @AfterEach
  void close() {
    router.close();
  }

  private static Connection connection(FakeSession s) {
    return s.connection(64, 1 << 20);
  }

  private static Call call(String uri) {
    return new Call(Uuids.random(), uri, 5_000_000_000L, RawJson.of("1"));
  }

  @Test
  void aQueuedCallCarriesItsConnectionsShardAndTheCallUuid() {
    Connection c = connection(new FakeSession());
    Call call = call("a.b");
    assertEquals(ResultRouter.Registration.QUEUED, router.register(c, call, 5_000));
    CallPayload queued = broker.queued.get(0);
    assertEquals(call.uuid(), queued.msgUuid());
    assertEquals("a.b", queued.uri());
    Call other = call("a.b");
    router.register(c, other, 5_000);
    assertEquals(queued.connUuid(), broker.queued.get(1).connUuid(), "one shard per connection");
    assertEquals(2, router.pendingCount(c));
  }

  @Test
  void aSecondCallWithAPendingUuidIsADuplicate() {
    Connection c = connection(new FakeSession());
    Call call = call("a.b");
    router.register(c, call, 5_000);
    assertEquals(ResultRouter.Registration.DUPLICATE, router.register(c, call, 5_000));
    assertEquals(1, broker.queued.size());
  }

  @Test
  void aResultIsSentAfterTheAckEvenWhenItArrivesFirst() {
    FakeSession s = new FakeSession();
    Connection c = connection(s);
    Call call = call("a.b");
    router.register(c, call, 5_000);
    CallPayload queued = broker.queued.get(0);
    broker.answer(queued, "\"done\"");
    // the pump has taken the result before the ACK is queued: nothing may be written yet
    await().atMost(Duration.ofSeconds(5)).until(() -> broker.list(queued.connUuid()).isEmpty());
    assertTrue(s.written.isEmpty(), "a RES before its ACK: " + s.written);
    router.acknowledge(c, call);
    await().atMost(Duration.ofSeconds(5)).until(() -> s.written.size() >= 1 && drain(s) == 2);
    assertTrue(s.written.get(0).contains("\"type\":8"), s.written.get(0));
    assertTrue(s.written.get(1).contains("\"type\":9"), s.written.get(1));
    assertTrue(s.written.get(1).contains("\"done\""), s.written.get(1));
    assertEquals(0, router.pendingCount(c));
    assertEquals(1, counters.results.get());
  }

  /** Completes the session's pending writes; returns how many were written in all. */
  private static int drain(FakeSession s) {
    while (!s.pending.isEmpty()) {
      s.complete();
    }
    return s.written.size();
  }

  @Test
  void aResultForNoWaitingCallIsDroppedAndCounted() {
    Connection c = connection(new FakeSession());
    router.register(c, call("a.b"), 5_000);
    CallPayload queued = broker.queued.get(0);
    broker.answer(
        new CallPayload(queued.connUuid(), Uuids.random(), "a.b", RawJson.NULL), "\"stray\"");
    await().atMost(Duration.ofSeconds(5)).until(() -> counters.orphans.get() == 1);
    assertEquals(1, router.pendingCount(c));
  }

  @Test
  void aClosedConnectionsCallsAreForgottenAndTheirResultsDropped() {
    Connection c = connection(new FakeSession());
    router.register(c, call("a.b"), 5_000);
    router.register(c, call("a.b"), 5_000);
    router.forget(c);
    assertEquals(2, counters.abandoned.get());
    assertEquals(0, router.pendingCount(c));
    assertEquals(0, router.pendingCount());
    broker.answer(broker.queued.get(0), "1");
    await().atMost(Duration.ofSeconds(5)).until(() -> counters.orphans.get() == 1);
  }

  @Test
  void aCallPastItsDeadlineIsSweptAsUnanswered() {
    Connection c = connection(new FakeSession());
    router.register(c, call("a.b"), 1);
    await().atMost(Duration.ofSeconds(5)).until(() -> counters.unanswered.get() == 1);
    assertEquals(0, router.pendingCount(c));
  }

  @Test
  void aBrokerFailureLeavesNothingPending() {
    Connection c = connection(new FakeSession());
    broker.down = true;
    Call call = call("a.b");
    assertThrows(BrokerUnavailableException.class, () -> router.register(c, call, 5_000));
    assertEquals(0, router.pendingCount(c));
    broker.down = false;
    assertEquals(ResultRouter.Registration.QUEUED, router.register(c, call, 5_000));
  }
}
