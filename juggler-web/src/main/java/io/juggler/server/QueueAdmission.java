package io.juggler.server;

import io.juggler.broker.CallerBroker;
import io.juggler.config.JugglerConfig;
import io.juggler.message.Call;
import io.juggler.message.Message;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code juggler.calls.admission}: a CALL whose time-to-live is shorter than the expected wait in
 * its URI's queue gets NACK 503 at once, instead of an ACK and an expiry in the queue. The expected
 * wait is the queue's depth divided by the rate its live callees finish calls (workers ÷ recent
 * mean service time, summed over instances: {@link ServedUris}). A URI with no known rate (no
 * callee, or none has run a call yet) is not judged.
 *
 * <p>The depth is read from Redis ({@code LLEN}) at most every {@link #DEPTH_AGE_NANOS} per URI,
 * and counts the calls this server queued since; so the rule costs one round trip per URI per 100
 * ms, not one per call. Off by default (the reference queues every call).
 */
final class QueueAdmission implements Admission {

  /** How old a sampled queue depth may get before it is read again. */
  static final long DEPTH_AGE_NANOS = 100_000_000L;

  private record Sample(long depth, long atNanos, AtomicLong admittedSince) {}

  private final ServedUris served;
  private final CallerBroker broker;
  private final ServerCounters counters;
  private final Map<String, Sample> depths = new ConcurrentHashMap<>();

  QueueAdmission(ServedUris served, CallerBroker broker, ServerCounters counters) {
    this.served = served;
    this.broker = broker;
    this.counters = counters;
  }

  @Override
  public void admit(Connection c, Message request) {
    if (!(request instanceof Call call)) {
      return;
    }
    ServedUris.Capacity capacity = served.capacity(call.uri());
    if (capacity == null || capacity.callsPerSecond() <= 0) {
      return;
    }
    long now = System.nanoTime();
    Sample s = depths.get(call.uri());
    if (s == null || now - s.atNanos() > DEPTH_AGE_NANOS) {
      s = new Sample(broker.queueDepth(call.uri()), now, new AtomicLong());
      depths.put(call.uri(), s);
    }
    long depth = s.depth() + s.admittedSince().get();
    long waitMillis = (long) (depth * 1000 / capacity.callsPerSecond());
    long ttlMillis = CallCheck.ttlMillis(call);
    if (waitMillis > ttlMillis) {
      counters.limitExceeded("admission");
      throw new RequestRefusedException(
          503,
          "expected queue wait "
              + waitMillis
              + " ms ("
              + depth
              + " calls queued) exceeds the timeout of "
              + ttlMillis
              + " ms ("
              + JugglerConfig.CALL_ADMISSION
              + ")");
    }
    s.admittedSince().incrementAndGet();
  }
}
