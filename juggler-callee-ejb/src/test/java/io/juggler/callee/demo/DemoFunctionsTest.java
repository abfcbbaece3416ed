package io.juggler.callee.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.callee.CallRequests;
import io.juggler.callee.Callee;
import io.juggler.callee.CalleeFunction;
import io.juggler.callee.DemoFunction;
import io.juggler.message.RawJson;
import jakarta.enterprise.context.Dependent;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The demo functions of spec 11.3, superset behaviour included. */
class DemoFunctionsTest {

  private static final Map<String, CalleeFunction> FUNCTIONS = new LinkedHashMap<>();

  static {
    for (CalleeFunction f :
        new CalleeFunction[] {new Echo(), new Reverse(), new Delay(), new ReliableDelay()}) {
      FUNCTIONS.put(f.getClass().getAnnotation(Callee.class).value(), f);
    }
  }

  private static Object invoke(String uri, String argsJson) throws Exception {
    RawJson args = argsJson == null ? null : RawJson.of(argsJson);
    return FUNCTIONS.get(uri).invoke(CallRequests.of(uri, args));
  }

  /** The result as the invoker would serialise it. */
  private static String json(Object result) {
    return result instanceof RawJson r ? r.json() : CallRequests.jsonb().toJson(result);
  }

  /** Beans the runtime discovers, and serves only with juggler.callee.demo.enabled. */
  @Test
  void everyDemoFunctionIsAMarkedBean() {
    for (CalleeFunction f : FUNCTIONS.values()) {
      assertTrue(f instanceof DemoFunction, f.getClass() + " is not a DemoFunction");
      assertTrue(f.getClass().isAnnotationPresent(Dependent.class), f.getClass() + " is no bean");
    }
  }

  // ------------------------------------------------------------------ test.echo

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"hello\"",
        "\"\"",
        "42",
        "-1.5e3",
        "true",
        "null",
        "[]",
        "[1,\"two\",{\"three\":3}]",
        "{}",
        "{\"a\":{\"b\":[null,false]},\"u\":\"\\u00e9\"}"
      })
  void echoReturnsAnyJsonUnchanged(String args) throws Exception {
    Object result = invoke("test.echo", args);
    assertEquals(RawJson.of(args), result);
    assertEquals(args, json(result));
  }

  @Test
  void echoFailsOnMissingArgs() {
    assertThrows(IllegalArgumentException.class, () -> invoke("test.echo", null));
  }

  // ------------------------------------------------------------------ test.reverse

  @Test
  void reverseReversesByCodePoint() throws Exception {
    assertEquals("c😀ba", invoke("test.reverse", "\"ab😀c\""));
    assertEquals("\"c😀ba\"", json(invoke("test.reverse", "\"ab😀c\"")));
    assertEquals("", invoke("test.reverse", "\"\""));
    assertEquals("olleh", invoke("test.reverse", "\"hello\""));
    assertEquals("b\"a", invoke("test.reverse", "\"a\\\"b\""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"42", "{\"s\":\"ab\"}", "[\"ab\"]", "true", "null"})
  void reverseFailsOnNonStrings(String args) {
    assertThrows(IllegalArgumentException.class, () -> invoke("test.reverse", args));
  }

  @Test
  void reverseFailsOnMissingArgs() {
    assertThrows(IllegalArgumentException.class, () -> invoke("test.reverse", null));
  }

  // ------------------------------------------------------------------ test.delay

  @Test
  void delayTakesADecimalStringAndReturnsTheNumber() throws Exception {
    long start = System.nanoTime();
    Object result = invoke("test.delay", "\"300\"");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(300L, result);
    assertEquals("300", json(result), "the result is a JSON number");
    assertTrue(took.toMillis() >= 300, "slept " + took);
  }

  @Test
  void delayWithANegativeNumberDoesNotSleep() throws Exception {
    Object result = invoke("test.delay", "\"-5\"");
    assertEquals(-5L, result);
    assertEquals("-5", json(result));
    assertEquals(7L, invoke("test.delay", "\"+7\""), "a sign is allowed");
    assertEquals(0L, invoke("test.delay", "\"0\""));
  }

  @Test
  void delayAcceptsAJsonInteger() throws Exception {
    long start = System.nanoTime();
    Object result = invoke("test.delay", "30");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(30L, result);
    assertEquals("30", json(result));
    assertTrue(took.toMillis() >= 30, "slept " + took);
    assertEquals(-2L, invoke("test.delay", "-2"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"abc\"",
        "\"\"",
        "\"1.5\"",
        "\" 12\"",
        "1.5",
        "{\"ms\":300}",
        "[300]",
        "true",
        "null"
      })
  void delayRejectsAnythingElse(String args) {
    assertThrows(IllegalArgumentException.class, () -> invoke("test.delay", args));
  }

  @Test
  void delayFailsOnMissingArgs() {
    assertThrows(IllegalArgumentException.class, () -> invoke("test.delay", null));
  }
}
