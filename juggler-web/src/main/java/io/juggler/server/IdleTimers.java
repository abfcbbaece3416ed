package io.juggler.server;

import jakarta.websocket.Session;
import jakarta.websocket.WebSocketContainer;
import java.lang.reflect.Field;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Gives Tyrus sessions a cheap scheduler for their idle-timeout task.
 *
 * <p>Why: Tyrus (the websocket implementation of Payara 6) reschedules a session's idle-timeout
 * task when the session is created and for every message received and sent, even when no idle
 * timeout is set (the task then does nothing). It schedules on the container's default {@code
 * ManagedScheduledExecutorService}, and for each task Payara captures the thread context, which
 * looks up {@code jakarta.enterprise.concurrent.spi.ThreadContextProvider} services through the
 * context class loader: a search of every jar of the server and the application, under a class
 * loader lock, per message. Measured with JFR under RPC load, that search was about three quarters
 * of the server's CPU (docs/benchmarks); during a burst of handshakes, hundreds of HTTP workers
 * queue on that lock.
 *
 * <p>Tyrus offers no setting for it, so this replaces, once, the websocket container's private
 * {@code managedScheduledExecutorService} field (sessions created afterwards take their scheduler
 * from it) and, for sessions created before that, each session's private {@code service} field,
 * with one small executor of our own (a managed thread factory's thread).
 *
 * <p>Juggler sessions never have an idle timeout (spec 2.4): Tyrus then schedules its idle-timeout
 * command with a delay of 0, and the command does nothing when it runs (it closes the session only
 * when the timeout is positive). Running it anyway woke our executor's thread for every message:
 * 2.7 context switches and about 30 µs of CPU per call at 10 connections (per-thread /proc
 * counters, docs/benchmarks). So our executor completes such a command at once, without running or
 * queueing it; a session given a positive idle timeout still gets its command scheduled and run. On
 * other websocket implementations (Open Liberty), or if a Tyrus upgrade renames the fields, it does
 * nothing and says so once in the log.
 */
final class IdleTimers implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(IdleTimers.class.getName());

  private final Scheduler executor;
  private final AtomicLong adopted = new AtomicLong();
  private volatile WebSocketContainer adoptedContainer;
  private volatile boolean warned;

  IdleTimers(ThreadFactory threads) {
    executor =
        new Scheduler(
            r -> {
              Thread t = threads.newThread(r);
              t.setName("juggler-idle-timers");
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
  }

  /** The executor given to Tyrus (package-private for tests). */
  ScheduledExecutorService executor() {
    return executor;
  }

  /**
   * A one-thread scheduler that completes Tyrus's idle-timeout command at once, unrun, when it is
   * scheduled with no delay (no idle timeout: the command would do nothing); anything else it
   * schedules and runs as usual.
   */
  static final class Scheduler extends ScheduledThreadPoolExecutor {

    /** The Tyrus command's class, once seen (compared by identity from then on). */
    private volatile Class<?> idleCommand;

    Scheduler(ThreadFactory threads) {
      super(1, threads);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
      if (delay <= 0 && isIdleCommand(command)) {
        return Done.INSTANCE;
      }
      return super.schedule(command, delay, unit);
    }

    private boolean isIdleCommand(Runnable command) {
      Class<?> type = command.getClass();
      if (type == idleCommand) {
        return true;
      }
      if (type.getName().endsWith("TyrusSession$IdleTimeoutCommand")) {
        idleCommand = type;
        return true;
      }
      return false;
    }
  }

  /** A future that is already done, with nothing to cancel. */
  private static final class Done implements ScheduledFuture<Object> {

    static final Done INSTANCE = new Done();

    @Override
    public long getDelay(TimeUnit unit) {
      return 0;
    }

    @Override
    public int compareTo(Delayed other) {
      return Long.compare(0, other.getDelay(TimeUnit.NANOSECONDS));
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      return false;
    }

    @Override
    public boolean isCancelled() {
      return false;
    }

    @Override
    public boolean isDone() {
      return true;
    }

    @Override
    public Object get() {
      return null;
    }

    @Override
    public Object get(long timeout, TimeUnit unit) {
      return null;
    }
  }

  /**
   * Gives {@code session} (and its container, for the sessions that follow) our scheduler if it is
   * a Tyrus session; true if the session has it.
   */
  boolean adopt(Session session) {
    Field field = serviceField(session.getClass());
    if (field == null) {
      warnOnce("websocket sessions of type " + session.getClass().getName() + " keep their own");
      return false;
    }
    try {
      WebSocketContainer container = session.getContainer();
      if (container != null && container != adoptedContainer) {
        adoptContainer(container);
      }
      if (field.get(session) != executor) {
        field.set(session, executor);
      }
      adopted.incrementAndGet();
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      warnOnce("could not replace the Tyrus idle-timeout scheduler: " + e);
      return false;
    }
  }

  private synchronized void adoptContainer(WebSocketContainer container)
      throws ReflectiveOperationException {
    if (container == adoptedContainer) {
      return;
    }
    for (Class<?> c = container.getClass(); c != null; c = c.getSuperclass()) {
      if (c.getName().equals("org.glassfish.tyrus.core.BaseContainer")) {
        Field f = c.getDeclaredField("managedScheduledExecutorService");
        if (f.getType() == ScheduledExecutorService.class) {
          f.setAccessible(true);
          f.set(container, executor);
          LOG.fine("Tyrus container's idle-timeout scheduler replaced");
        }
        break;
      }
    }
    adoptedContainer = container; // tried once, whatever the outcome
  }

  private void warnOnce(String message) {
    if (!warned) {
      warned = true;
      LOG.log(Level.INFO, "{0}: idle-timeout scheduler left as it is", message);
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
