package io.juggler.callee;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.broker.BrokerMetrics;
import io.juggler.broker.ReceivedCall;
import io.juggler.broker.redis.RedisBroker;
import io.juggler.broker.redis.RedisSettings;
import io.juggler.message.CallPayload;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import io.juggler.testing.RedisExtension;
import io.juggler.testing.TestKeys;
import io.juggler.testing.redis.RedisProcess;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.Jedis;

/**
 * {@link Invoker} with a real {@link RedisBroker} (spec 10.1, 6.2, 6.5): a call is queued and taken
 * through the broker, run, and its result inspected in Redis.
 */
@ExtendWith(RedisExtension.class)
class InvokerIT {

  private static final Duration POP = Duration.ofSeconds(2);

  private static Jsonb jsonb;

  private RedisProcess redis;
  private RedisBroker broker;
  private Invoker invoker;
  private Jedis jedis;

  @BeforeAll
  static void createJsonb() {
    jsonb = JsonbBuilder.create();
  }

  @AfterAll
  static void closeJsonb() throws Exception {
    jsonb.close();
    DEADLINES.close();
  }

  private static final Deadlines DEADLINES = new Deadlines(Thread::new);

  @BeforeEach
  void setUp(RedisProcess redis) {
    this.redis = redis;
    broker = new RedisBroker(RedisSettings.standalone(URI.create(redis.url())), BrokerMetrics.NONE);
    invoker = new Invoker(broker, jsonb, DEADLINES, true);
    jedis = redis.jedis();
  }

  @AfterEach
  void tearDown() {
    jedis.close();
    broker.close();
  }

  /** A function result; public, as JSON-B only serialises accessible types. */
  public record Sum(int total, int count) {}

  @Test
  void successfulFunctionStoresItsResultWithTheRemainingTime() {
    String conn = Uuids.random();
    ReceivedCall call = queueAndTake(broker, conn, RawJson.of("[1,2,3,4]"), 5000);
    AtomicReference<Duration> seenRemaining = new AtomicReference<>();

    Invoker.Outcome outcome =
        invoker.invokeAndStoreResult(
            call,
            request -> {
              seenRemaining.set(request.remaining());
              int[] numbers = request.args(int[].class);
              int total = 0;
              for (int n : numbers) {
                total += n;
              }
              return new Sum(total, numbers.length);
            });

    assertEquals(Invoker.Outcome.SUCCEEDED, outcome);
    Duration remaining = seenRemaining.get();
    assertTrue(
        !remaining.isNegative() && remaining.toMillis() <= call.ttlMillis(), remaining.toString());

    CallPayload p = call.payload();
    String list = "juggler:results:{" + conn + "}";
    String expiry = "juggler:results:timeout:{" + conn + "}:" + p.msgUuid();
    assertEquals(1, jedis.llen(list));
    long storedTtl = Long.parseLong(jedis.get(expiry));
    assertTrue(storedTtl > 0 && storedTtl <= call.ttlMillis(), "stored TTL " + storedTtl);
    long pttl = jedis.pttl(expiry);
    assertTrue(pttl > 0 && pttl <= storedTtl, "PTTL " + pttl);

    JsonObject result = parse(jedis.lindex(list, 0));
    assertEquals(Set.of("conn_uuid", "msg_uuid", "uri", "args"), result.keySet());
    assertEquals(conn, result.getString("conn_uuid"));
    assertEquals(p.msgUuid(), result.getString("msg_uuid"));
    assertEquals(p.uri(), result.getString("uri"));
    assertEquals(parse("{\"total\":10,\"count\":4}"), result.getJsonObject("args"));

    CallPayload delivered = broker.takeResult(conn, POP).orElseThrow();
    assertEquals(parse("{\"total\":10,\"count\":4}"), parse(delivered.args().json()));
  }

  @Test
  void rawJsonAndJsonValueResultsAreStoredAsIs() {
    String conn = Uuids.random();
    ReceivedCall first = queueAndTake(broker, conn, null, 5000);
    ReceivedCall second = queueAndTake(broker, conn, null, 5000);
    ReceivedCall third = queueAndTake(broker, conn, null, 5000);

    assertEquals(
        Invoker.Outcome.SUCCEEDED,
        invoker.invokeAndStoreResult(first, r -> RawJson.of("{\"b\":[true,null]}")));
    assertEquals(
        Invoker.Outcome.SUCCEEDED,
        invoker.invokeAndStoreResult(second, r -> Json.createValue("text")));
    assertEquals(Invoker.Outcome.SUCCEEDED, invoker.invokeAndStoreResult(third, r -> null));

    assertEquals(
        parse("{\"b\":[true,null]}"),
        parse(broker.takeResult(conn, POP).orElseThrow().args().json()));
    assertEquals("\"text\"", broker.takeResult(conn, POP).orElseThrow().args().json());
    assertEquals(RawJson.NULL, broker.takeResult(conn, POP).orElseThrow().args());
  }

  @Test
  void exceptionBecomesAnErrorObject() {
    String conn = Uuids.random();
    ReceivedCall call = queueAndTake(broker, conn, RawJson.of("\"x\""), 5000);

    Invoker.Outcome outcome =
        invoker.invokeAndStoreResult(
            call,
            request -> {
              throw new IllegalStateException("invoice \"INV-88\" not found");
            });

    assertEquals(Invoker.Outcome.FAILED_FUNCTION, outcome);
    JsonObject result = parse(jedis.lindex("juggler:results:{" + conn + "}", 0));
    assertEquals(call.payload().msgUuid(), result.getString("msg_uuid"));
    assertEquals(
        Json.createObjectBuilder()
            .add("error", Json.createObjectBuilder().add("message", "invoice \"INV-88\" not found"))
            .build(),
        result.getJsonObject("args"));
    assertTrue(broker.takeResult(conn, POP).isPresent(), "an error result is delivered too");
  }

  /**
   * Third hardening round, item 10: with {@code juggler.callee.error-details=none} an exception's
   * message (here a database's, naming a host and a table) never reaches the caller; the caller
   * gets an id that the log line carries with the whole exception. A {@link CalleeError} is still
   * sent.
   */
  @Test
  void withoutErrorDetailsTheCallerGetsAnIdAndTheLogTheException() throws Exception {
    Invoker discreet = new Invoker(broker, jsonb, DEADLINES, false);
    String conn = Uuids.random();
    ReceivedCall call = queueAndTake(broker, conn, null, 5000);
    List<LogRecord> logged = new CopyOnWriteArrayList<>();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord r) {
            logged.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger log = Logger.getLogger(Invoker.class.getName());
    log.addHandler(capture);
    try {
      assertEquals(
          Invoker.Outcome.FAILED_FUNCTION,
          discreet.invokeAndStoreResult(
              call,
              request -> {
                throw new IllegalStateException("db-7.internal:5432 table payroll_secret");
              }));
    } finally {
      log.removeHandler(capture);
    }
    String stored = jedis.lindex("juggler:results:{" + conn + "}", 0);
    assertFalse(stored.contains("payroll_secret"), stored);
    JsonObject error = parse(stored).getJsonObject("args").getJsonObject("error");
    assertEquals(Invoker.INTERNAL_ERROR, error.getString("message"));
    String id = error.getString("id");
    assertTrue(
        logged.stream()
            .anyMatch(
                r ->
                    r.getLevel() == Level.WARNING
                        && new SimpleFormatter().formatMessage(r).contains(id)
                        && r.getThrown() != null
                        && r.getThrown().getMessage().contains("payroll_secret")),
        "the log names the id and keeps the exception");

    ReceivedCall custom = queueAndTake(broker, conn, null, 5000);
    discreet.invokeAndStoreResult(
        custom,
        request -> {
          throw new QuotaExceeded();
        });
    assertEquals(
        parse("{\"error\":{\"message\":\"quota exceeded\",\"code\":429},\"retry\":30}"),
        parse(jedis.lindex("juggler:results:{" + conn + "}", 0)).getJsonObject("args"));
  }

  /** An exception with its own JSON form. */
  static final class QuotaExceeded extends Exception implements CalleeError {
    private static final long serialVersionUID = 1L;

    QuotaExceeded() {
      super("quota exceeded");
    }

    @Override
    public RawJson toJson() {
      return RawJson.of("{\"error\":{\"message\":\"quota exceeded\",\"code\":429},\"retry\":30}");
    }
  }

  @Test
  void calleeErrorStoresItsOwnJson() {
    String conn = Uuids.random();
    ReceivedCall call = queueAndTake(broker, conn, null, 5000);

    Invoker.Outcome outcome =
        invoker.invokeAndStoreResult(
            call,
            request -> {
              throw new QuotaExceeded();
            });

    assertEquals(Invoker.Outcome.FAILED_FUNCTION, outcome);
    JsonObject result = parse(jedis.lindex("juggler:results:{" + conn + "}", 0));
    assertEquals(
        parse("{\"error\":{\"message\":\"quota exceeded\",\"code\":429},\"retry\":30}"),
        result.getJsonObject("args"));
  }

  @Test
  void functionOutlivingTheCallStoresNothing() {
    String conn = Uuids.random();
    ReceivedCall call = queueAndTake(broker, conn, RawJson.of("1"), 100);

    Invoker.Outcome outcome =
        invoker.invokeAndStoreResult(
            call,
            request -> {
              // simulates a slow function: works past the caller's deadline
              Thread.sleep(request.remaining().toMillis() + 50);
              return "too late";
            });

    assertEquals(Invoker.Outcome.EXPIRED, outcome);
    assertFalse(jedis.exists("juggler:results:{" + conn + "}"));
    assertFalse(jedis.exists("juggler:results:timeout:{" + conn + "}:" + call.payload().msgUuid()));
  }

  /** Item 7 of the hardening issue: a function still running at the deadline is interrupted. */
  @Test
  void aFunctionStillRunningAtTheDeadlineIsInterrupted() {
    String conn = Uuids.random();
    ReceivedCall call = queueAndTake(broker, conn, RawJson.of("1"), 200);
    AtomicBoolean interrupted = new AtomicBoolean();
    long start = System.nanoTime();

    Invoker.Outcome outcome =
        invoker.invokeAndStoreResult(
            call,
            request -> {
              try {
                Thread.sleep(15_000);
              } catch (InterruptedException e) {
                interrupted.set(true);
                assertTrue(request.isExpired());
                throw e;
              }
              return "never";
            });

    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Invoker.Outcome.EXPIRED, outcome);
    assertTrue(interrupted.get());
    assertTrue(tookMillis < 5_000, "the worker was held " + tookMillis + " ms");
    assertFalse(Thread.currentThread().isInterrupted(), "the worker's interrupt was cleared");
    assertFalse(jedis.exists("juggler:results:{" + conn + "}"));
  }

  @Test
  void aFunctionDoneInTimeIsNeitherInterruptedNorLeftInterrupted() throws Exception {
    String conn = Uuids.random();
    ReceivedCall call = queueAndTake(broker, conn, RawJson.of("1"), 300);
    assertEquals(
        Invoker.Outcome.SUCCEEDED,
        invoker.invokeAndStoreResult(call, request -> request.remaining().isZero() ? "x" : "ok"));
    Thread.sleep(400); // past the deadline the timer would have fired at
    assertFalse(Thread.currentThread().isInterrupted());
  }

  @Test
  void fullResultsListGivesStoreFailed() {
    try (RedisBroker capped =
        new RedisBroker(
            RedisSettings.standalone(URI.create(redis.url())).withCapacities(0, 1),
            BrokerMetrics.NONE)) {
      Invoker cappedInvoker = new Invoker(capped, jsonb, DEADLINES, true);
      String conn = Uuids.random();
      ReceivedCall first = queueAndTake(capped, conn, null, 5000);
      ReceivedCall second = queueAndTake(capped, conn, null, 5000);

      assertEquals(
          Invoker.Outcome.SUCCEEDED,
          cappedInvoker.invokeAndStoreResult(first, r -> Map.of("n", 1)));
      assertEquals(
          Invoker.Outcome.STORE_FAILED,
          cappedInvoker.invokeAndStoreResult(second, r -> Map.of("n", 2)));

      List<String> stored = jedis.lrange("juggler:results:{" + conn + "}", 0, -1);
      assertEquals(1, stored.size());
      assertEquals(first.payload().msgUuid(), parse(stored.get(0)).getString("msg_uuid"));
      assertFalse(
          jedis.exists("juggler:results:timeout:{" + conn + "}:" + second.payload().msgUuid()));
    }
  }

  @Test
  void unreachableRedisGivesStoreFailed() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      port = s.getLocalPort();
    }
    try (RedisBroker down =
        new RedisBroker(
            RedisSettings.standalone(URI.create("redis://127.0.0.1:" + port)),
            BrokerMetrics.NONE)) {
      CallPayload p = new CallPayload(Uuids.random(), Uuids.random(), "test.x", null);
      ReceivedCall call = new ReceivedCall(p, 5000, System.nanoTime());
      assertEquals(
          Invoker.Outcome.STORE_FAILED,
          new Invoker(down, jsonb, DEADLINES, true).invokeAndStoreResult(call, r -> "ok"));
    }
  }

  // ------------------------------------------------------------------ helpers

  private static ReceivedCall queueAndTake(
      RedisBroker broker, String conn, RawJson args, long ttlMillis) {
    String uri = TestKeys.unique("invoker");
    broker.call(new CallPayload(conn, Uuids.random(), uri, args), ttlMillis);
    return broker.takeCall(List.of(uri), POP).orElseThrow();
  }

  private static JsonObject parse(String json) {
    try (JsonReader r = Json.createReader(new StringReader(json))) {
      JsonValue v = r.readValue();
      return v.asJsonObject();
    }
  }
}
