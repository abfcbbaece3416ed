package io.juggler.broker.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.Response;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Runs one script for many threads at once: the calls that arrive while a round trip is under way
 * go to Redis together in the next one, as one pipeline (a group commit). There is no thread of its
 * own: the first caller to find no round trip under way leads it, taking every call queued so far
 * (up to {@value #MAX_BATCH}); the others park until their call is done, and when the leader's own
 * call is done it hands the lead to the oldest call still queued. A caller alone pays one round
 * trip as before; under load, many connections' CALL registrations (or many workers' result stores)
 * cost Redis one read and one write, and this process one write, one read and one pooled
 * connection.
 *
 * <p>Each call gets its own reply or error reply; a failure of the round trip itself (connection
 * lost, timeout) is the outcome of every call in it. Errors are rethrown in the caller's thread as
 * Jedis raised them, for {@link RedisClients#run} to translate. Only for a standalone Redis: a
 * cluster's calls go one by one ({@link #direct}). Thread-safe.
 */
final class GroupCommit {

  /** Calls sent in one round trip at most. */
  static final int MAX_BATCH = 128;

  /** Calls under way at once that still go on their own connection. */
  static final int DIRECT_UP_TO = 2;

  private static final class Entry {
    final List<String> keys;
    final List<String> args;
    final Thread waiter = Thread.currentThread();
    volatile boolean done;
    volatile boolean lead;
    Object reply;
    RuntimeException error;

    Entry(List<String> keys, List<String> args) {
      this.keys = keys;
      this.args = args;
    }
  }

  private final UnifiedJedis jedis;
  private final RedisScript script;
  private final int directUpTo;
  private final AtomicInteger active = new AtomicInteger();
  private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean leading = new AtomicBoolean();
  private final LongAdder roundTrips = new LongAdder();

  private GroupCommit(UnifiedJedis jedis, RedisScript script, int directUpTo) {
    this.jedis = jedis;
    this.script = script;
    this.directUpTo = directUpTo;
  }

  /**
   * Calls of {@code script} on {@code jedis} (a standalone Redis), grouped into pipelines when more
   * than {@value #DIRECT_UP_TO} are under way.
   */
  static GroupCommit pipelined(UnifiedJedis jedis, RedisScript script) {
    return pipelined(jedis, script, DIRECT_UP_TO);
  }

  /** As {@link #pipelined(UnifiedJedis, RedisScript)}, grouped past {@code directUpTo} at once. */
  static GroupCommit pipelined(UnifiedJedis jedis, RedisScript script, int directUpTo) {
    return new GroupCommit(jedis, script, directUpTo);
  }

  /** Calls of {@code script} on {@code jedis} one by one (a cluster, whose keys span nodes). */
  static GroupCommit direct(UnifiedJedis jedis, RedisScript script) {
    return new GroupCommit(jedis, script, Integer.MAX_VALUE);
  }

  /** Runs the script; under load, in a pipeline with other threads' calls. */
  Object eval(List<String> keys, List<String> args) {
    try {
      if (active.incrementAndGet() <= directUpTo) {
        roundTrips.increment();
        return script.eval(jedis, keys, args);
      }
      return grouped(keys, args);
    } finally {
      active.decrementAndGet();
    }
  }

  private Object grouped(List<String> keys, List<String> args) {
    Entry mine = new Entry(keys, args);
    queue.add(mine);
    if (leading.compareAndSet(false, true)) {
      lead(mine);
    } else {
      boolean interrupted = false;
      while (!mine.done) {
        if (mine.lead) {
          lead(mine);
          break;
        }
        LockSupport.park(this);
        if (Thread.interrupted()) {
          interrupted = true; // the leader's round trip ends within Redis's timeout
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (mine.error != null) {
      throw mine.error;
    }
    return mine.reply;
  }

  /** Holds the lead until {@code mine} is done, then hands it on. */
  private void lead(Entry mine) {
    try {
      while (!mine.done) {
        List<Entry> batch = new ArrayList<>();
        for (Entry e; batch.size() < MAX_BATCH && (e = queue.poll()) != null; ) {
          batch.add(e);
        }
        send(batch);
      }
    } finally {
      leading.set(false);
      handOn();
    }
  }

  /**
   * Gives the lead to the oldest queued call, if any. The queue is checked after the lead is
   * released, so a call queued while this thread still led (and whose thread could not take the
   * lead) is not left waiting.
   */
  private void handOn() {
    while (!queue.isEmpty() && leading.compareAndSet(false, true)) {
      Entry next = queue.peek(); // only the leader takes from the queue: next stays in it
      if (next != null) {
        next.lead = true;
        LockSupport.unpark(next.waiter);
        return;
      }
      leading.set(false);
    }
  }

  /** Round trips so far: pipelines, and calls sent on their own. */
  long roundTrips() {
    return roundTrips.sum();
  }

  /** Calls waiting for the next round trip. */
  int queued() {
    return queue.size();
  }

  private void send(List<Entry> batch) {
    roundTrips.increment();
    try {
      List<Response<Object>> replies = new ArrayList<>(batch.size());
      try (AbstractPipeline p = jedis.pipelined()) {
        for (Entry e : batch) {
          replies.add(p.evalsha(script.sha(), e.keys, e.args));
        }
        p.sync();
      }
      for (int i = 0; i < batch.size(); i++) {
        Entry e = batch.get(i);
        try {
          e.reply = replies.get(i).get();
        } catch (JedisDataException x) {
          if (x instanceof JedisNoScriptException) {
            complete(e); // not cached yet (a restarted Redis): EVAL sends the source and caches it
            continue;
          }
          e.error = x;
        }
        finish(e);
      }
    } catch (Throwable x) { // whatever it is, no caller may stay parked
      RuntimeException error = x instanceof RuntimeException r ? r : new IllegalStateException(x);
      for (Entry e : batch) {
        if (!e.done) {
          e.error = error;
          finish(e);
        }
      }
    }
  }

  private void complete(Entry e) {
    try {
      e.reply = script.eval(jedis, e.keys, e.args);
    } catch (RuntimeException x) {
      e.error = x;
    }
    finish(e);
  }

  private static void finish(Entry e) {
    e.done = true;
    LockSupport.unpark(e.waiter);
  }
}
