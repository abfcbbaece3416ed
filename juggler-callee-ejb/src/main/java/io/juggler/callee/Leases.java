package io.juggler.callee;

import io.juggler.broker.BrokerException;
import io.juggler.broker.CalleeBroker;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The at-least-once side of one callee instance: per at-least-once URI the owners (processing
 * lists, {@code <instance>-<worker>}) of its workers, and the lease keeper thread that renews their
 * leases every lease / 5 (at most every second) and reaps: an owner of another instance whose lease
 * expired (its instance died, or lost Redis for longer than the lease) has its calls returned to
 * the queue while their time remains. When the instance stops, {@link #handBack} returns what its
 * own workers left unfinished at once.
 */
final class Leases {

  private static final Logger LOG = Logger.getLogger(Leases.class.getName());

  private final CalleeBroker broker;
  private final Duration lease;
  private final Function<String, UriCounters> counters;
  private final Map<String, List<String>> owners = new TreeMap<>();
  private volatile boolean stopping;
  private Thread keeper;

  /**
   * Owners for {@code workers} workers on each of {@code uris}.
   *
   * @param counters where requeued calls are counted, by URI
   */
  Leases(
      CalleeBroker broker,
      String instanceId,
      List<String> uris,
      int workers,
      Duration lease,
      Function<String, UriCounters> counters) {
    this.broker = broker;
    this.lease = lease;
    this.counters = counters;
    for (String uri : uris) {
      List<String> own = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        own.add(instanceId + "-" + i);
      }
      owners.put(uri, List.copyOf(own));
    }
  }

  /** Per URI, the owners of this instance's workers. */
  Map<String, List<String>> owners() {
    return owners;
  }

  Duration lease() {
    return lease;
  }

  /**
   * Takes the leases once (so that a worker's processing list never lacks an owner the reapers
   * know), then starts the keeper. Does nothing without at-least-once URIs.
   */
  void start(ManagedThreadFactory threads) {
    if (owners.isEmpty()) {
      return;
    }
    keepOnce();
    keeper = threads.newThread(this::keep);
    keeper.setName("juggler-callee-leases");
    keeper.start();
  }

  /** One round of the keeper: renew this instance's leases, reap expired owners. */
  private void keepOnce() {
    owners.forEach(
        (uri, own) -> {
          try {
            for (String dead : broker.renewLeases(uri, own, lease)) {
              long n = broker.reap(uri, dead, false);
              if (n > 0) {
                counters.apply(uri).requeued(n);
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

  /** The keeper's thread: a round every lease / 5, at least every second. */
  private void keep() {
    long period = Math.max(100, Math.min(1_000, lease.toMillis() / 5));
    while (!stopping) {
      try {
        Thread.sleep(period);
      } catch (InterruptedException e) {
        return;
      }
      if (!stopping) {
        keepOnce();
      }
    }
  }

  /**
   * Stops the keeper and returns the calls this instance's workers did not finish to the queue, so
   * that another instance runs them now rather than after the lease.
   */
  void handBack() {
    stopping = true;
    if (keeper != null) {
      keeper.interrupt();
      try {
        keeper.join(2_000);
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
}
