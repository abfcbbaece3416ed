package io.juggler.callee;

import io.juggler.ConfigurationException;
import io.juggler.broker.Backoff;
import io.juggler.broker.BrokerException;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.ReceivedCall;
import io.juggler.broker.redis.RedisKeys;
import io.juggler.config.JugglerConfig;
import io.juggler.message.Uuids;
import io.juggler.registry.CalleeStatus;
import io.juggler.registry.InstanceState;
import io.juggler.stats.Samples;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Local;
import jakarta.ejb.LocalBean;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedExecutors;
import jakarta.enterprise.concurrent.ManagedTask;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * Serves every {@link Callee} function of the deployment (and the demo functions when {@code
 * juggler.callee.demo.enabled}): per group of URIs that share a Redis slot, {@code
 * juggler.callee.workers} long-running tasks on the {@link ManagedExecutorService}, each taking one
 * call at a time with a blocking pop over the group's call lists.
 *
 * <p>A URI declared {@link Delivery#AT_LEAST_ONCE} gets workers of its own (a blocking move names
 * one list): each claims calls into its own processing list ({@link CalleeBroker#claimCall}) under
 * a lease that this instance's lease keeper renews every {@code juggler.callee.lease} / 5 (at most
 * every second), and finishes them once their result is stored. The lease keeper is also the URI's
 * reaper: an owner whose lease expired (its instance died, or lost Redis for longer than the lease)
 * has its calls returned to the queue while their time remains.
 *
 * <p>Stopping (undeploy) clears the running flag: a worker finishes the call it runs, and a blocked
 * pop returns within {@code juggler.redis.blocking-timeout}. Workers still busy after {@code
 * juggler.callee.shutdown-grace} are interrupted; at-least-once calls they leave unfinished go back
 * to the queue at once. A Redis outage makes workers back off ({@link Backoff}) and retry; it is
 * logged once when it starts and once when it ends.
 *
 * <p>As {@link CalleeStatus} it tells the instance's registry publisher what its workers do.
 */
@Singleton
@Startup
@LocalBean
@Local(CalleeStatus.class)
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class CalleeRuntime implements CalleeStatus {

  private static final Logger LOG = Logger.getLogger(CalleeRuntime.class.getName());

  @Resource ManagedExecutorService executor;

  @Resource ManagedThreadFactory threads;

  @Inject JugglerConfig config;

  @Inject CalleeBroker broker;

  @Inject @Any Instance<CalleeFunction> beans;

  @Inject MetricRegistry registry;

  private final Map<String, CalleeFunction> functions = new TreeMap<>();
  private final Map<String, Delivery> deliveries = new TreeMap<>();

  /** Per at-least-once URI, the owners (processing lists) of this instance's workers. */
  private final Map<String, List<String>> owners = new TreeMap<>();

  private final String instanceId = "callee-" + Uuids.random().substring(0, 8);
  private volatile boolean leasesStopping;
  private Thread leaseKeeper;
  private final Map<String, UriCounters> stats = new TreeMap<>();
  private final List<Future<?>> tasks = new ArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private final AtomicInteger outages = new AtomicInteger();
  private volatile boolean stopping;
  private volatile boolean serving;
  private CountDownLatch stopped = new CountDownLatch(0);
  private Invoker invoker;
  private Deadlines deadlines;
  private Jsonb jsonb;

  @Inject CalleeHealth health;

  @PostConstruct
  void start() {
    startWorkers();
    // from now on the readiness check reads this instance directly, never through the EJB
    // container, which logs a warning with a stack trace when asked while it initialises
    health.started(this);
  }

  private void startWorkers() {
    if (!config.callee().enabled()) {
      LOG.log(Level.INFO, "callee role disabled ({0}=false)", JugglerConfig.CALLEE_ENABLED);
      return;
    }
    for (Instance.Handle<CalleeFunction> h : beans.handles()) {
      Class<?> type = h.getBean().getBeanClass();
      if (DemoFunction.class.isAssignableFrom(type) && !config.callee().demoEnabled()) {
        continue; // the demo's, served only on request
      }
      Callee callee = type.getAnnotation(Callee.class);
      if (callee == null) {
        throw new ConfigurationException(
            "callee function " + type.getName() + " has no @Callee annotation naming its URI");
      }
      register(callee.value(), h.get(), type, callee.delivery());
    }
    if (functions.isEmpty()) {
      LOG.info("callee role enabled but no functions deployed");
      return;
    }
    jsonb = JsonbBuilder.create();
    jsonb.toJson(List.of("warm-up")); // JSON-B's first use is slow: pay it before the first call
    deadlines = new Deadlines(threads);
    invoker = new Invoker(broker, jsonb, deadlines, config.callee().errorDetails());
    List<String> atMostOnce = new ArrayList<>();
    deliveries.forEach(
        (uri, d) -> {
          if (d == Delivery.AT_LEAST_ONCE) {
            List<String> own = new ArrayList<>();
            for (int i = 0; i < config.callee().workers(); i++) {
              own.add(instanceId + "-" + i);
            }
            owners.put(uri, List.copyOf(own));
          } else {
            atMostOnce.add(uri);
          }
        });
    Map<Integer, List<String>> groups = groupBySlot(atMostOnce);
    stopped = new CountDownLatch((groups.size() + owners.size()) * config.callee().workers());
    if (!owners.isEmpty()) {
      // leases first: a worker's processing list is never without an owner the reapers know
      keepLeasesOnce();
      leaseKeeper = threads.newThread(this::keepLeases);
      leaseKeeper.setName("juggler-callee-leases");
      leaseKeeper.start();
    }
    for (List<String> uris : groups.values()) {
      for (int i = 0; i < config.callee().workers(); i++) {
        submit("juggler-callee-" + String.join(",", uris) + "-" + i, () -> work(uris));
      }
    }
    owners.forEach(
        (uri, own) -> {
          for (String owner : own) {
            submit("juggler-callee-" + uri + "-" + owner, () -> workAtLeastOnce(uri, owner));
          }
        });
    serving = true;
    LOG.log(
        Level.INFO,
        "callee {0} serving {1} with {2} workers per slot group ({3} groups); at least once: {4}"
            + " (lease {5} ms)",
        new Object[] {
          instanceId,
          functions.keySet(),
          config.callee().workers(),
          groups.size() + owners.size(),
          owners.keySet(),
          config.callee().lease().toMillis()
        });
  }

  private void submit(String name, Runnable work) {
    Runnable task =
        ManagedExecutors.managedTask(
            work,
            Map.of(ManagedTask.LONGRUNNING_HINT, "true", ManagedTask.IDENTITY_NAME, name),
            null);
    tasks.add(executor.submit(task));
  }

  private void register(String uri, CalleeFunction f, Class<?> type, Delivery delivery) {
    if (uri.isEmpty()) {
      throw new ConfigurationException("callee function " + type.getName() + " has an empty URI");
    }
    CalleeFunction guarded = RoleCheck.guard(f, type);
    if (guarded instanceof RoleCheck check) {
      LOG.log(
          Level.INFO,
          check.deniesAll()
              ? "callee {0} may not be called (@DenyAll)"
              : "callee {0} requires one of the roles {1}",
          new Object[] {uri, check.roles()});
    }
    CalleeFunction previous = functions.putIfAbsent(uri, guarded);
    stats.computeIfAbsent(uri, u -> new UriCounters(registry, u));
    if (previous == null) {
      deliveries.put(uri, delivery);
    }
    if (previous != null) {
      throw new ConfigurationException(
          "URI "
              + uri
              + " is bound twice: "
              + (previous instanceof RoleCheck ? "a function" : previous.getClass().getName())
              + " and "
              + type.getName());
    }
  }

  /** In a cluster one blocking pop may only name keys of one slot (spec 6.8). */
  private Map<Integer, List<String>> groupBySlot(Iterable<String> uris) {
    Map<Integer, List<String>> groups = new LinkedHashMap<>();
    for (String uri : uris) {
      int slot = config.redis().cluster() ? JedisClusterCRC16.getSlot(RedisKeys.calls(uri)) : 0;
      groups.computeIfAbsent(slot, s -> new ArrayList<>()).add(uri);
    }
    return groups;
  }

  /** At most once: pops with the reference's layout (spec 6.4). */
  private void work(List<String> uris) {
    boolean[] busy = {false};
    loop(
        uris.toString(),
        () -> {
          // while calls wait behind the last one taken, one non-blocking round trip takes the
          // next; else block (a poll of empty lists would cost a round trip for nothing: at 10
          // connections that was one Redis call in four)
          Optional<ReceivedCall> call = busy[0] ? broker.pollCall(uris) : Optional.empty();
          if (call.isEmpty()) {
            call = broker.takeCall(uris, config.redis().blockingTimeout());
          }
          busy[0] = call.isPresent() && call.get().moreWaiting();
          return call;
        },
        c -> {});
  }

  /** At least once: claims into {@code owner}'s processing list, finishes after the result. */
  private void workAtLeastOnce(String uri, String owner) {
    loop(
        uri,
        () ->
            broker.claimCall(uri, owner, config.callee().lease(), config.redis().blockingTimeout()),
        c -> finish(c, owner));
  }

  /** A call source of one worker: the next call, or empty when none came. */
  private interface Source {
    Optional<ReceivedCall> next();
  }

  private void loop(String what, Source source, java.util.function.Consumer<ReceivedCall> done) {
    running.incrementAndGet();
    Backoff backoff = new Backoff();
    boolean down = false;
    try {
      while (!stopping) {
        Optional<ReceivedCall> call;
        try {
          call = source.next();
          if (down) {
            down = false;
            backoff.reset();
            if (outages.decrementAndGet() == 0) {
              LOG.log(Level.INFO, "callee: Redis reachable again, serving {0}", functions.keySet());
            }
          }
        } catch (BrokerException e) {
          if (stopping) {
            break;
          }
          if (!down) {
            down = true;
            if (outages.getAndIncrement() == 0) {
              LOG.log(
                  Level.WARNING,
                  "callee: Redis unavailable, workers retry with back-off: {0}",
                  e.getMessage());
            }
          }
          if (!backoff.sleep()) {
            stopping = true;
          }
          continue;
        }
        if (call.isPresent()) {
          ReceivedCall c = call.get();
          String uri = c.payload().uri();
          CalleeFunction f = functions.get(uri);
          if (f == null) {
            LOG.log(Level.WARNING, "callee: call for unknown URI {0} dropped", uri);
            continue;
          }
          long started = System.nanoTime();
          Invoker.Outcome outcome = invoker.invokeAndStoreResult(c, f);
          UriCounters counters = stats.get(uri);
          counters.record(outcome, (System.nanoTime() - started) / 1_000);
          if (c.attempt() > 1) {
            counters.redeliveries.inc();
          }
          done.accept(c);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, e, () -> "callee worker for " + what + " ended unexpectedly");
    } finally {
      if (down) {
        outages.decrementAndGet();
      }
      running.decrementAndGet();
      stopped.countDown();
    }
  }

  /**
   * Finishes an at-least-once call, retrying while Redis is away and the call has time left (an
   * unfinished call would run again). A worker interrupted by the shutdown leaves it to {@link
   * #stop}, which hands it back to the queue.
   */
  private void finish(ReceivedCall c, String owner) {
    Backoff backoff = new Backoff();
    while (true) {
      try {
        broker.finishCall(c, owner);
        return;
      } catch (BrokerException e) {
        if (c.remainingMillis(System.nanoTime()) <= 0 || !backoff.sleep()) {
          LOG.log(
              Level.FINE,
              "msg={0} uri={1} not finished in Redis ({2}); it may run again",
              new Object[] {c.payload().msgUuid(), c.payload().uri(), e.getMessage()});
          return;
        }
      }
    }
  }

  /** One round of the lease keeper: renew this instance's leases, reap expired owners. */
  private void keepLeasesOnce() {
    owners.forEach(
        (uri, own) -> {
          try {
            for (String dead : broker.renewLeases(uri, own, config.callee().lease())) {
              long n = broker.reap(uri, dead, false);
              if (n > 0) {
                stats.get(uri).requeued.inc(n);
                LOG.log(
                    Level.INFO,
                    "callee: {0} calls of {1} returned to the queue of {2} (its lease expired)",
                    new Object[] {n, dead, uri});
              }
            }
          } catch (BrokerException e) {
            // the workers log the outage; the next round retries
            LOG.log(Level.FINE, "callee: lease keeping failed: {0}", e.getMessage());
          }
        });
  }

  /** The lease keeper's thread: a round every lease / 5, at least every second. */
  private void keepLeases() {
    long period = Math.max(100, Math.min(1_000, config.callee().lease().toMillis() / 5));
    while (!leasesStopping) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      if (!leasesStopping) {
        keepLeasesOnce();
      }
    }
  }

  /**
   * What this instance's callees did per URI, for the cluster registry: calls run, failures,
   * expiries, and mean and p99 service time of the last 1024 calls. Empty when no worker runs.
   */
  @Override
  public List<InstanceState.UriStats> uriStats() {
    if (running.get() == 0) {
      return List.of();
    }
    List<InstanceState.UriStats> out = new ArrayList<>();
    stats.forEach(
        (uri, c) ->
            out.add(
                new InstanceState.UriStats(
                    uri,
                    config.callee().workers(),
                    c.calls.get(),
                    c.failed.get(),
                    c.expired.get(),
                    c.serviceMicros.mean(),
                    c.serviceMicros.percentile(99))));
    return out;
  }

  /**
   * Counters of one URI: for the registry, and {@code juggler_callee_calls_total} by outcome
   * (looked up once, not per call). Thread-safe.
   */
  private static final class UriCounters {
    final AtomicLong calls = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
    final AtomicLong expired = new AtomicLong();
    final Samples serviceMicros = new Samples(1024);
    final Map<Invoker.Outcome, Counter> byOutcome = new EnumMap<>(Invoker.Outcome.class);
    final Counter redeliveries;
    final Counter requeued;

    UriCounters(MetricRegistry registry, String uri) {
      redeliveries = registry.counter("juggler.callee.redeliveries", new Tag("uri", uri));
      requeued = registry.counter("juggler.callee.requeued", new Tag("uri", uri));
      for (Invoker.Outcome o : Invoker.Outcome.values()) {
        byOutcome.put(
            o,
            registry.counter(
                "juggler.callee.calls",
                new Tag("uri", uri),
                new Tag("outcome", o.name().toLowerCase(Locale.ROOT))));
      }
    }

    void record(Invoker.Outcome outcome, long micros) {
      byOutcome.get(outcome).inc();
      calls.incrementAndGet();
      serviceMicros.add(micros);
      switch (outcome) {
        case FAILED_FUNCTION, STORE_FAILED -> failed.incrementAndGet();
        case EXPIRED -> expired.incrementAndGet();
        default -> {}
      }
    }
  }

  /**
   * Stops the lease keeper and returns at-least-once calls this instance's workers did not finish
   * to the queue, so that another instance runs them now rather than after the lease.
   */
  private void handBack() {
    leasesStopping = true;
    if (leaseKeeper != null) {
      leaseKeeper.interrupt();
      try {
        leaseKeeper.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    owners.forEach(
        (uri, own) -> {
          for (String owner : own) {
            try {
              long n = broker.reap(uri, owner, true);
              if (n > 0) {
                LOG.log(
                    Level.INFO,
                    "callee: {0} unfinished calls of {1} handed back to the queue",
                    new Object[] {n, uri});
              }
            } catch (BrokerException e) {
              LOG.log(
                  Level.WARNING,
                  "callee: could not hand back the calls of {0} (another instance will reap them"
                      + " when the lease expires): {1}",
                  new Object[] {owner, e.getMessage()});
            }
          }
        });
  }

  /** This instance's id in the at-least-once owners ({@code <id>-<worker>}). */
  public String instanceId() {
    return instanceId;
  }

  /** Whether workers were started (the role is on and functions are deployed). */
  public boolean serving() {
    return serving;
  }

  @Override
  public int runningWorkers() {
    return running.get();
  }

  @PreDestroy
  void stop() {
    stopping = true;
    if (tasks.isEmpty()) {
      return;
    }
    try {
      long grace =
          config.callee().shutdownGrace().toMillis() + config.redis().blockingTimeout().toMillis();
      if (!stopped.await(grace, TimeUnit.MILLISECONDS)) {
        LOG.warning("callee: workers still busy after the shutdown grace; interrupting them");
        tasks.forEach(t -> t.cancel(true));
        stopped.await(2, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tasks.forEach(t -> t.cancel(true));
    }
    handBack();
    if (deadlines != null) {
      deadlines.close();
    }
    if (jsonb != null) {
      try {
        jsonb.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing JSON-B", e);
      }
    }
    LOG.info("callee stopped");
  }
}
