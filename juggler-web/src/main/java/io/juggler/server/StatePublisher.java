package io.juggler.server;

import io.juggler.broker.BrokerException;
import io.juggler.broker.Outage;
import io.juggler.config.JugglerConfig;
import io.juggler.message.Uuids;
import io.juggler.registry.CalleeStatus;
import io.juggler.registry.ExpiredRecord;
import io.juggler.registry.InstanceControl;
import io.juggler.registry.InstanceRegistry;
import io.juggler.registry.InstanceState;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Publishes this instance's state to the cluster registry every {@code juggler.registry.interval}
 * (time-to-live three intervals, {@link InstanceRegistry#TTL_INTERVALS}), writes the expired calls
 * it saw, reads which URIs live callees serve when a fail-fast rule needs it ({@link ServedUris}),
 * and between publications waits on its control list for commands from any instance's console
 * (disconnect a connection here, or publish now: a console just started watching connection or
 * subscription details).
 *
 * <p>One thread, one blocking Redis connection while it waits. A Redis outage is logged once and
 * retried every interval; expired calls seen meanwhile are kept (counts exactly, entries bounded).
 */
@ApplicationScoped
public class StatePublisher {

  private static final Logger LOG = Logger.getLogger(StatePublisher.class.getName());

  @Inject JugglerConfig config;

  @Inject InstanceRegistry registry;

  @Inject InstanceControl control;

  @Inject ExpiredRecord expired;

  @Inject JugglerServer server;

  @Inject ServerMetrics metrics;

  @Inject Instance<CalleeStatus> callees;

  @Resource ManagedThreadFactory threads;

  /** The callee role's status on a deployment without the callee module. */
  private static final CalleeStatus NO_CALLEE =
      new CalleeStatus() {
        @Override
        public int runningWorkers() {
          return 0;
        }

        @Override
        public List<InstanceState.UriStats> uriStats() {
          return List.of();
        }
      };

  private final long startedAt = System.currentTimeMillis();
  private final Outage outage = new Outage("registry");
  private String id;
  private String host;
  private CalleeStatus callee;
  private Thread thread;
  private volatile boolean stopping;
  private InstanceRegistry.Watched watched = InstanceRegistry.Watched.ALL;

  // the web module's start (payload ServletContext), not the application's: in an EAR on Payara
  // Server that one reaches observers outside this module's naming context (@Resource fails)
  void start(@Observes @Initialized(ApplicationScoped.class) ServletContext ignored) {
    host = hostName();
    id = host + "-" + Uuids.random().substring(0, 8);
    callee = callees.isResolvable() ? callees.get() : NO_CALLEE;
    thread = threads.newThread(this::run);
    thread.setName("juggler-registry");
    thread.start();
    LOG.log(
        Level.INFO,
        "instance {0} publishes its state every {1} ms",
        new Object[] {id, config.registryInterval().toMillis()});
  }

  /** This instance's id in the registry. */
  public String instanceId() {
    return id;
  }

  public boolean isAlive() {
    return thread != null && thread.isAlive();
  }

  private void run() {
    Duration interval = config.registryInterval();
    while (!stopping) {
      long next = System.nanoTime() + interval.toNanos();
      try {
        publish();
        while (!stopping) {
          long left = next - System.nanoTime();
          if (left <= 0) {
            break;
          }
          Optional<InstanceControl.Command> c = control.awaitCommand(id, Duration.ofNanos(left));
          c.ifPresent(this::execute);
        }
        outage.recovered();
      } catch (BrokerException e) {
        if (stopping) {
          return;
        }
        outage.failed(e);
        sleepUntil(next);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "registry publisher failed; continuing", e);
        sleepUntil(next);
      }
    }
  }

  private void sleepUntil(long nanos) {
    long millis = (nanos - System.nanoTime()) / 1_000_000;
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        stopping = true;
      }
    }
  }

  private void execute(InstanceControl.Command c) {
    if (InstanceControl.Command.DISCONNECT.equals(c.action())) {
      boolean resumed = InstanceControl.Command.BY_SESSION_RESUME.equals(c.by());
      boolean done =
          server.isEnabled()
              && server.disconnect(
                  c.connection(),
                  resumed ? Sessions.SESSION_MOVED : "disconnected by an administrator");
      LOG.log(
          resumed ? Level.FINE : Level.INFO,
          "admin={0} disconnect conn={1}: {2}",
          new Object[] {c.by(), c.connection(), done ? "closed" : "not on this instance"});
    } else if (InstanceControl.Command.PUBLISH.equals(c.action())) {
      // a console started watching details: publish them now, not at the next interval
      watched = registry.watched();
      publish();
    } else {
      LOG.log(Level.WARNING, "unknown control command ignored: {0}", c);
    }
  }

  /** Builds and publishes this instance's state, then the expired calls seen since last time. */
  void publish() {
    watched = registry.publish(state(watched));
    if (server.needsServedUris()) {
      server.servedUris().update(registry.instances());
    }
    ExpiryLog.Batch batch = metrics.expiries().drain(id);
    if (!batch.isEmpty()) {
      try {
        expired.recordExpired(batch.byStage(), batch.recent());
      } catch (RuntimeException e) {
        metrics.expiries().restore(batch);
        throw e;
      }
    }
  }

  /**
   * This instance's state, with connection and subscription details only if a console wants them.
   */
  InstanceState state(InstanceRegistry.Watched details) {
    List<InstanceState.ConnectionInfo> conns = new ArrayList<>();
    int count = 0;
    List<InstanceState.SubscriptionCount> subs = new ArrayList<>();
    if (server.isEnabled()) {
      for (Connection c : server.connections()) {
        count++;
        if (details.connections() && conns.size() < InstanceState.MAX_CONNECTIONS) {
          conns.add(
              new InstanceState.ConnectionInfo(
                  c.id(),
                  c.remoteAddress(),
                  cut(c.userAgent()),
                  c.connectedAt().toEpochMilli(),
                  c.messagesIn(),
                  c.messagesOut(),
                  server.pendingCalls(c),
                  server.subscriptions(c),
                  cut(c.identity().name())));
        }
      }
      if (details.subscriptions()) {
        server
            .subscriberCounts()
            .forEach(
                (n, k) -> subs.add(new InstanceState.SubscriptionCount(n.name(), n.pattern(), k)));
        if (subs.size() > InstanceState.MAX_SUBSCRIPTIONS) {
          // bounded whatever clients subscribe to: the most listened-to, in name order
          subs.sort(
              Comparator.comparingInt(InstanceState.SubscriptionCount::subscribers).reversed());
          subs.subList(InstanceState.MAX_SUBSCRIPTIONS, subs.size()).clear();
          subs.sort(
              Comparator.comparing(InstanceState.SubscriptionCount::name)
                  .thenComparing(InstanceState.SubscriptionCount::pattern));
        }
      }
    }
    return new InstanceState(
        id,
        host,
        startedAt,
        System.currentTimeMillis(),
        config.registryInterval().toMillis(),
        server.isEnabled(),
        callee.runningWorkers() > 0,
        count,
        conns,
        server.pendingCalls(),
        subs,
        metrics.registryCounters(),
        metrics.recentLatencyP99Micros(),
        callee.uriStats());
  }

  private static String cut(String text) {
    return text == null || text.length() <= InstanceState.MAX_TEXT
        ? text
        : text.substring(0, InstanceState.MAX_TEXT);
  }

  @PreDestroy
  void stop() {
    stopping = true;
    if (thread == null) {
      return;
    }
    thread.interrupt();
    try {
      thread.join(config.registryInterval().toMillis() + 2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      registry.forget(id);
    } catch (RuntimeException e) {
      LOG.log(
          Level.FINE, "could not remove instance {0} from the registry: {1}", new Object[] {id, e});
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return "unknown";
    }
  }
}
