package io.juggler.callee;

import io.juggler.broker.Backoff;
import io.juggler.broker.BrokerException;
import io.juggler.broker.CalleeBroker;
import io.juggler.broker.Outage;
import io.juggler.broker.ReceivedCall;
import io.juggler.config.JugglerConfig;
import io.juggler.message.Uuids;
import io.juggler.registry.CalleeStatus;
import io.juggler.registry.InstanceState;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.metrics.MetricRegistry;

/**
 * Serves every {@link Callee} function of the deployment (and the demo functions when {@code
 * juggler.callee.demo.enabled}): per group of URIs that share a Redis slot, {@code
 * juggler.callee.workers} long-running tasks on the {@link ManagedExecutorService}, each taking one
 * call at a time with a blocking pop over the group's call lists.
 *
 * <p>The functions come from the {@link FunctionCatalogue}; the groups from {@link
 * CalleeBroker#slotGroups}. A URI declared {@link Delivery#AT_LEAST_ONCE} gets workers of its own
 * (a blocking move names one list): each claims calls into its own processing list ({@link
 * CalleeBroker#claimCall}) under a lease that {@link Leases} keeps, and finishes them once their
 * result is stored. Each URI's figures are kept by its {@link UriCounters}.
 *
 * <p>Stopping (undeploy) clears the running flag: a worker finishes the call it runs, and a blocked
 * pop returns within {@code juggler.redis.blocking-timeout}. Workers still busy after {@code
 * juggler.callee.shutdown-grace} are interrupted; at-least-once calls they leave unfinished go back
 * to the queue at once. A Redis outage makes workers back off ({@link Backoff}) and retry; it is
 * logged once when it starts and once when it ends ({@link Outage}).
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

  @Inject CalleeHealth health;

  private final String instanceId = "callee-" + Uuids.random().substring(0, 8);
  private final Outage outage = new Outage("callee");
  private final Map<String, UriCounters> counters = new TreeMap<>();
  private final List<Future<?>> tasks = new ArrayList<>();
  private final AtomicInteger running = new AtomicInteger();
  private FunctionCatalogue catalogue;
  private Leases leases;
  private volatile boolean stopping;
  private volatile boolean serving;
  private CountDownLatch stopped = new CountDownLatch(0);
  private Invoker invoker;
  private Deadlines deadlines;
  private volatile AutoCloseable cancels;
  private Jsonb jsonb;

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
    catalogue = FunctionCatalogue.of(beans, config.callee().demoEnabled());
    if (catalogue.isEmpty()) {
      LOG.info("callee role enabled but no functions deployed");
      return;
    }
    catalogue.uris().forEach(uri -> counters.put(uri, new UriCounters(registry, uri)));
    jsonb = JsonbBuilder.create();
    jsonb.toJson(List.of("warm-up")); // JSON-B's first use is slow: pay it before the first call
    deadlines = new Deadlines(threads);
    invoker = new Invoker(broker, jsonb, deadlines, config.callee().errorDetails());
    // a client's cancel of a call a function here runs (issue 23): interrupt it, drop its result
    cancels = broker.openCancelListener(invoker::cancel, threads);
    int workers = config.callee().workers();
    leases =
        new Leases(
            broker,
            instanceId,
            catalogue.uris(Delivery.AT_LEAST_ONCE),
            workers,
            config.callee().lease(),
            counters::get);
    List<List<String>> groups = broker.slotGroups(catalogue.uris(Delivery.AT_MOST_ONCE));
    stopped = new CountDownLatch((groups.size() + leases.owners().size()) * workers);
    leases.start(threads); // before the workers: their processing lists have known owners
    for (List<String> uris : groups) {
      for (int i = 0; i < workers; i++) {
        submit("juggler-callee-" + String.join(",", uris) + "-" + i, () -> work(uris));
      }
    }
    leases
        .owners()
        .forEach(
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
          catalogue.uris(),
          workers,
          groups.size() + leases.owners().size(),
          leases.owners().keySet(),
          leases.lease().toMillis()
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
        () -> broker.claimCall(uri, owner, leases.lease(), config.redis().blockingTimeout()),
        c -> finish(c, owner));
  }

  /** A call source of one worker: the next call, or empty when none came. */
  private interface Source {
    Optional<ReceivedCall> next();
  }

  /**
   * One worker: takes a call from {@code source}, runs it, stores its result, hands it to {@code
   * done}; until the runtime stops. A Redis outage is retried with back-off and logged once for all
   * workers ({@link Outage}).
   */
  private void loop(String what, Source source, Consumer<ReceivedCall> done) {
    running.incrementAndGet();
    Backoff backoff = new Backoff();
    try {
      while (!stopping) {
        Optional<ReceivedCall> call;
        try {
          call = source.next();
          backoff.reset();
          outage.recovered();
        } catch (BrokerException e) {
          if (stopping) {
            break;
          }
          outage.failed(e);
          if (!backoff.sleep()) {
            stopping = true;
          }
          continue;
        }
        if (call.isPresent()) {
          run(call.get());
          done.accept(call.get());
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.SEVERE, e, () -> "callee worker for " + what + " ended unexpectedly");
    } finally {
      running.decrementAndGet();
      stopped.countDown();
    }
  }

  private void run(ReceivedCall c) {
    String uri = c.payload().uri();
    CalleeFunction f = catalogue.function(uri);
    if (f == null) {
      LOG.log(Level.WARNING, "callee: call for unknown URI {0} dropped", uri);
      return;
    }
    long started = System.nanoTime();
    Invoker.Outcome outcome = invoker.invokeAndStoreResult(c, f);
    counters.get(uri).record(outcome, (System.nanoTime() - started) / 1_000, c.attempt());
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
    counters.forEach((uri, c) -> out.add(c.stats(uri, config.callee().workers())));
    return out;
  }

  /** This instance's id in the at-least-once owners ({@code <id>-<worker>}). */
  public String instanceId() {
    return instanceId;
  }

  /** Whether workers were started (the role is on and functions are deployed). */
  public boolean serving() {
    return serving;
  }

  /** Stops listening for cancels (its subscription thread ends with it). */
  private void closeCancels() {
    AutoCloseable c = cancels;
    cancels = null;
    if (c != null) {
      try {
        c.close();
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing the cancel listener", e);
      }
    }
  }

  @Override
  public int runningWorkers() {
    return running.get();
  }

  @PreDestroy
  void stop() {
    stopping = true;
    closeCancels();
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
    leases.handBack();
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
