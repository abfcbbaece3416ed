package io.juggler.server;

import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which URIs live callees serve, and how fast, as the cluster registry last told (every instance
 * publishes the URIs its running workers serve, with their workers and recent mean service time;
 * see {@link InstanceState.UriStats}). Refreshed by the {@link StatePublisher} once per {@code
 * juggler.registry.interval} while a fail-fast rule needs it ({@code juggler.calls.reject-unserved}
 * or {@code juggler.calls.admission}); read by those rules on every CALL. A callee that died stops
 * counting as soon as the registry finds it silent (its state unrefreshed for 1.5 intervals at the
 * default interval, on Redis's clock; see {@link RegisteredInstance}), not when its state expires
 * three intervals after its last write: a URI served only by silent callees is unserved, and their
 * workers add nothing to its capacity. Callees that do not publish to the registry (Go callees) are
 * not seen. Thread-safe.
 */
final class ServedUris {

  /**
   * What live callees offer for one URI.
   *
   * @param workers worker tasks taking its calls, all instances together
   * @param callsPerSecond calls they finish per second at their recent mean service time (0 when
   *     none has run a call yet)
   */
  record Capacity(int workers, double callsPerSecond) {}

  /** Null until the first refresh: nothing is known yet, so nothing is refused. */
  private volatile Map<String, Capacity> served;

  void update(List<RegisteredInstance> instances) {
    Map<String, Capacity> m = new HashMap<>();
    for (RegisteredInstance r : instances) {
      InstanceState s = r.state();
      if (r.silent() || !s.callee() || s.uris() == null) {
        continue;
      }
      for (InstanceState.UriStats u : s.uris()) {
        double rate = u.meanMicros() > 0 ? u.workers() * 1e6 / u.meanMicros() : 0;
        m.merge(
            u.uri(),
            new Capacity(u.workers(), rate),
            (a, b) ->
                new Capacity(a.workers() + b.workers(), a.callsPerSecond() + b.callsPerSecond()));
      }
    }
    served = Map.copyOf(m);
  }

  /** Whether the registry has been read at least once. */
  boolean known() {
    return served != null;
  }

  /** What live callees offer for {@code uri}; null when none serves it (or nothing is known). */
  Capacity capacity(String uri) {
    Map<String, Capacity> s = served;
    return s == null ? null : s.get(uri);
  }
}
