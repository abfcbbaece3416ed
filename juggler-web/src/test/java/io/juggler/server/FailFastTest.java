package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.config.JugglerConfig;
import io.juggler.message.Call;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Sub;
import io.juggler.message.Uuids;
import io.juggler.registry.InstanceState;
import io.juggler.registry.RegisteredInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The opt-in fail-fast rules: {@code juggler.calls.reject-unserved} (NACK 404 for a URI no live
 * callee serves) and {@code juggler.calls.admission} (NACK 503 when the queue wait exceeds the
 * timeout), fed by the registry's instance states.
 */
class FailFastTest {

  private final ServedUris served = new ServedUris();
  private final ResultRouterTest.Counting counters = new ResultRouterTest.Counting();

  private static InstanceState callee(boolean running, InstanceState.UriStats... uris) {
    return new InstanceState(
        Uuids.random(),
        "host",
        0,
        0,
        2_000,
        false,
        running,
        0,
        List.of(),
        0,
        List.of(),
        Map.of(),
        0,
        List.of(uris));
  }

  /** A state the registry found fresh. */
  private static RegisteredInstance live(InstanceState s) {
    return new RegisteredInstance(s, 100, System.currentTimeMillis(), false);
  }

  /** A state the registry found unrefreshed for too long (a callee killed 5 s ago). */
  private static RegisteredInstance silent(InstanceState s) {
    return new RegisteredInstance(s, 5_000, System.currentTimeMillis(), true);
  }

  private static InstanceState.UriStats uri(String uri, int workers, long meanMicros) {
    return new InstanceState.UriStats(uri, workers, 10, 0, 0, meanMicros, meanMicros);
  }

  private static Call call(String uri, long timeoutMillis) {
    return new Call(Uuids.random(), uri, timeoutMillis * 1_000_000, RawJson.of("1"));
  }

  @Test
  void unservedUrisAreRefusedWith404OnceTheRegistryIsKnown() {
    UnservedUris rule = new UnservedUris(served, counters);
    // nothing known yet (first registry read not done): nothing is refused
    assertDoesNotThrow(() -> rule.admit(null, call("nobody.home", 1000)));

    served.update(
        List.of(
            live(callee(true, uri("billing.total", 8, 1000))),
            live(callee(false, uri("stopped.only", 8, 1000)))));
    assertDoesNotThrow(() -> rule.admit(null, call("billing.total", 1000)));
    RequestRefusedException e =
        assertThrows(RequestRefusedException.class, () -> rule.admit(null, call("nobody.home", 1)));
    assertEquals(404, e.code());
    assertTrue(e.getMessage().contains(JugglerConfig.REJECT_UNSERVED), e.getMessage());
    assertThrows(
        RequestRefusedException.class,
        () -> rule.admit(null, call("stopped.only", 1000)),
        "an instance whose workers do not run serves nothing");
    assertDoesNotThrow(() -> rule.admit(null, new Sub(Uuids.random(), "nobody.home", false)));
  }

  @Test
  void aUriServedOnlyBySilentCalleesIsUnservedAndTheirWorkersDoNotCount() {
    UnservedUris rule = new UnservedUris(served, counters);
    served.update(
        List.of(
            silent(callee(true, uri("dead.callee", 8, 1000))),
            silent(callee(true, uri("shared.uri", 8, 1000))),
            live(callee(true, uri("shared.uri", 2, 1000)))));
    RequestRefusedException e =
        assertThrows(RequestRefusedException.class, () -> rule.admit(null, call("dead.callee", 1)));
    assertEquals(404, e.code());
    assertDoesNotThrow(() -> rule.admit(null, call("shared.uri", 1000)));
    assertEquals(2, served.capacity("shared.uri").workers());

    // the silent callee publishes again: served again
    served.update(List.of(live(callee(true, uri("dead.callee", 8, 1000)))));
    assertDoesNotThrow(() -> rule.admit(null, call("dead.callee", 1000)));
  }

  @Test
  void aCallThatWouldExpireInTheQueueIsRefusedWith503() {
    ResultRouterTest.MemoryCallerBroker broker = new ResultRouterTest.MemoryCallerBroker();
    QueueAdmission rule = new QueueAdmission(served, broker, counters);
    // two instances, 4 + 4 workers at 100 ms a call: 80 calls per second
    served.update(
        List.of(
            live(callee(true, uri("slow.uri", 4, 100_000))),
            live(callee(true, uri("slow.uri", 4, 100_000)))));
    for (int i = 0; i < 40; i++) {
      broker.call(new CallPayload("c", Uuids.random(), "slow.uri", null), 60_000);
    }
    // 40 queued: half a second of wait
    assertDoesNotThrow(() -> rule.admit(null, call("slow.uri", 2_000)));
    RequestRefusedException e =
        assertThrows(RequestRefusedException.class, () -> rule.admit(null, call("slow.uri", 100)));
    assertEquals(503, e.code());
    assertTrue(e.getMessage().contains(JugglerConfig.CALL_ADMISSION), e.getMessage());
    // between two depth samples, the calls this server admitted count: 41 queued + 40 more
    for (int i = 0; i < 40; i++) {
      rule.admit(null, call("slow.uri", 60_000));
    }
    assertThrows(RequestRefusedException.class, () -> rule.admit(null, call("slow.uri", 900)));
    // a URI whose callees have not run a call yet, or none serves, is not judged
    served.update(List.of(live(callee(true, uri("slow.uri", 4, 0)))));
    assertDoesNotThrow(() -> rule.admit(null, call("slow.uri", 1)));
    assertDoesNotThrow(() -> rule.admit(null, call("other.uri", 1)));
  }
}
