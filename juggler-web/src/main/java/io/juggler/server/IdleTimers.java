package io.juggler.server;

import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives Tyrus sessions a cheap scheduler for their idle-timeout task.
 *
 * <p>Why: Tyrus (the websocket implementation of Payara 6) reschedules a session's idle-timeout
 * task for every message received and sent, even when no idle timeout is set (the task then does
 * nothing). It schedules on the container's default {@code ManagedScheduledExecutorService}, and
 * for each task Payara captures the thread context, which looks up {@code
 * jakarta.enterprise.concurrent.spi.ThreadContextProvider} services through the context class
 * loader: a search of every jar of the server and the application, per message. Measured with JFR
 * under RPC load, that search was about three quarters of the server's CPU (docs/benchmarks).
 *
 * <p>Tyrus offers no setting for it, so this replaces the session's private {@code service} field
 * with one small executor of our own (a managed thread factory's thread), which runs those
 * do-nothing tasks at the cost of a queue insert. Juggler sessions never have an idle timeout (spec
 * 2.4), so nothing is lost. On other websocket implementations (Open Liberty), or if a Tyrus
 * upgrade renames the field, it does nothing and says so once in the log.
 */
final class IdleTimers implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(IdleTimers.class.getName());

  private final ScheduledThreadPoolExecutor executor;
  private final AtomicLong adopted = new AtomicLong();
  private volatile boolean warned;

  IdleTimers(ThreadFactory threads) {
    executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = threads.newThread(r);
              t.setName("juggler-idle-timers");
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** Gives {@code session} our scheduler if it is a Tyrus session; true if it did. */
  boolean adopt(Session session) {
    Field field = serviceField(session.getClass());
    if (field == null) {
      if (!warned) {
        warned = true;
        LOG.log(
            Level.INFO,
            "websocket sessions of type {0} keep their own idle-timeout scheduler",
            session.getClass().getName());
      }
      return false;
    }
    try {
      field.set(session, executor);
      adopted.incrementAndGet();
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      if (!warned) {
        warned = true;
        LOG.log(Level.WARNING, "could not replace the Tyrus idle-timeout scheduler", e);
      }
      return false;
    }
  }

  /** Sessions that got our scheduler since start (for {@code /debug/vars}). */
  long adopted() {
    return adopted.get();
  }

  private static volatile Field cached;
  private static volatile Class<?> cachedFor;

  private static Field serviceField(Class<?> type) {
    if (type == cachedFor) {
      return cached;
    }
    Field found = null;
    if (type.getName().equals("org.glassfish.tyrus.core.TyrusSession")) {
      try {
        Field f = type.getDeclaredField("service");
        if (f.getType() == ScheduledExecutorService.class) {
          f.setAccessible(true);
          found = f;
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        found = null;
      }
    }
    cached = found;
    cachedFor = type;
    return found;
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
