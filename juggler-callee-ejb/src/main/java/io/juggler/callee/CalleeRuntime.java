package io.juggler.callee;

import io.juggler.broker.Backoff;
import io.juggler.broker.BrokerException;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.ReceivedCall;
import io.juggler.broker.redis.RedisKeys;
import io.juggler.callee.demo.DemoFunctions;
import io.juggler.config.ConfigurationException;
import io.juggler.config.JugglerConfig;
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
import java.time.Duration;
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
 * <p>Stopping (undeploy) clears the running flag: a worker finishes the call it runs, and a blocked
 * pop returns within {@code juggler.redis.blocking-timeout}. Workers still busy after {@code
 * juggler.callee.shutdown-grace} are interrupted. A Redis outage makes workers back off ({@link
 * Backoff}) and retry; it is logged once when it starts and once when it ends.
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

  @PostConstruct
  void start() {
    if (!config.calleeEnabled()) {
      LOG.log(Level.INFO, "callee role disabled ({0}=false)", JugglerConfig.CALLEE_ENABLED);
      return;
    }
    for (Instance.Handle<CalleeFunction> h : beans.handles()) {
      Class<?> type = h.getBean().getBeanClass();
      Callee callee = type.getAnnotation(Callee.class);
      if (callee == null) {
        throw new ConfigurationException(
            "callee function " + type.getName() + " has no @Callee annotation naming its URI");
      }
      register(callee.value(), h.get(), type);
    }
    if (config.calleeDemoEnabled()) {
      DemoFunctions.all().forEach((uri, f) -> register(uri, f, f.getClass()));
    }
    if (functions.isEmpty()) {
      LOG.info("callee role enabled but no functions deployed");
      return;
    }
    jsonb = JsonbBuilder.create();
    jsonb.toJson(List.of("warm-up")); // JSON-B's first use is slow: pay it before the first call
    deadlines = new Deadlines(threads);
    invoker = new Invoker(broker, jsonb, deadlines);
    Map<Integer, List<String>> groups = groupBySlot(functions.keySet());
    stopped = new CountDownLatch(groups.size() * config.calleeWorkers());
    for (List<String> uris : groups.values()) {
      for (int i = 0; i < config.calleeWorkers(); i++) {
        String name = "juggler-callee-" + String.join(",", uris) + "-" + i;
        Runnable task =
            ManagedExecutors.managedTask(
                () -> work(uris),
                Map.of(ManagedTask.LONGRUNNING_HINT, "true", ManagedTask.IDENTITY_NAME, name),
                null);
        tasks.add(executor.submit(task));
      }
    }
    serving = true;
    LOG.log(
        Level.INFO,
        "callee serving {0} with {1} workers per slot group ({2} groups)",
        new Object[] {functions.keySet(), config.calleeWorkers(), groups.size()});
  }

  private void register(String uri, CalleeFunction f, Class<?> type) {
    if (uri.isEmpty()) {
      throw new ConfigurationException("callee function " + type.getName() + " has an empty URI");
    }
    CalleeFunction guarded = RoleCheck.guard(f, type);
    if (guarded instanceof RoleCheck check) {
      LOG.log(
          Level.INFO,
          "callee {0} requires one of the roles {1}",
          new Object[] {uri, check.roles()});
    }
    CalleeFunction previous = functions.putIfAbsent(uri, guarded);
    stats.computeIfAbsent(uri, u -> new UriCounters(registry, u));
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
      int slot = config.redisCluster() ? JedisClusterCRC16.getSlot(RedisKeys.calls(uri)) : 0;
      groups.computeIfAbsent(slot, s -> new ArrayList<>()).add(uri);
    }
    return groups;
  }

  private void work(List<String> uris) {
    running.incrementAndGet();
    Duration block = config.blockingTimeout();
    Backoff backoff = new Backoff();
    boolean down = false;
    boolean busy = false;
    try {
      while (!stopping) {
        Optional<ReceivedCall> call;
        try {
          // while calls keep coming, one non-blocking round trip takes the next one; when the
          // lists run dry, block
          call = busy ? broker.pollCall(uris) : Optional.empty();
          if (call.isEmpty()) {
            call = broker.takeCall(uris, block);
          }
          busy = call.isPresent();
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
          stats.get(uri).record(outcome, (System.nanoTime() - started) / 1_000);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, e, () -> "callee worker for " + uris + " ended unexpectedly");
    } finally {
      if (down) {
        outages.decrementAndGet();
      }
      running.decrementAndGet();
      stopped.countDown();
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
                    config.calleeWorkers(),
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

    UriCounters(MetricRegistry registry, String uri) {
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
      long grace = config.calleeShutdownGrace().toMillis() + config.blockingTimeout().toMillis();
      if (!stopped.await(grace, TimeUnit.MILLISECONDS)) {
        LOG.warning("callee: workers still busy after the shutdown grace; interrupting them");
        tasks.forEach(t -> t.cancel(true));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tasks.forEach(t -> t.cancel(true));
    }
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
