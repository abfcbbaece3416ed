package io.juggler.client.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadOptionsTest {

  static LoadOptions parse(String... args) throws Exception {
    return LoadOptions.from(LoadOptions.OPTIONS.parse(args));
  }

  @Test
  void defaultsToAClosedLoopOnTestEcho() throws Exception {
    LoadOptions o = parse();
    assertEquals(LoadOptions.Mode.RPC, o.mode());
    assertEquals("ws://localhost:8080/ws", o.url().toString());
    assertEquals(10, o.connections());
    assertNull(o.rate());
    assertEquals(1, o.concurrency());
    assertEquals("test.echo", o.uri());
    assertEquals("\"hello\"", o.payload().json());
    assertEquals(Duration.ofSeconds(5), o.timeout());
    assertEquals(Duration.ofSeconds(10), o.duration());
    assertEquals(Duration.ofSeconds(1), o.warmup());
  }

  @Test
  void theDocumentedCommandParses() throws Exception {
    LoadOptions o =
        parse(
            "--url",
            "ws://localhost:8080/ws",
            "--connections",
            "100",
            "--concurrency",
            "1",
            "--duration",
            "10s",
            "--uri",
            "test.echo",
            "--payload",
            "\"hi\"");
    assertEquals(100, o.connections());
    assertEquals("\"hi\"", o.payload().json());
    assertTrue(o.describe().contains("closed loop with 1 in flight each"), o.describe());
  }

  @Test
  void openLoopRate() throws Exception {
    LoadOptions o = parse("--rate", "250.5", "--payload", "{\"a\": 1}", "--warmup", "0");
    assertEquals(250.5, o.rate());
    assertEquals(0, o.concurrency());
    assertEquals("{\"a\":1}", o.payload().json());
    assertEquals(Duration.ZERO, o.warmup());
  }

  @Test
  void pubsubMode() throws Exception {
    LoadOptions o =
        parse(
            "--mode", "pubsub", "--subscribers", "3", "--publishers", "2", "--publish-rate", "500");
    assertEquals(LoadOptions.Mode.PUBSUB, o.mode());
    assertEquals(3, o.subscribers());
    assertEquals(2, o.publishers());
    assertEquals(500.0, o.publishRate());
    assertTrue(o.channel().startsWith("juggler.load."), o.channel());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--rate 5 --concurrency 2|give --rate (open loop) or --concurrency (closed loop), not both",
        "--connections 0|--connections must be at least 1, not 0",
        "--rate -1|--rate must be a positive number, not -1",
        "--rate fast|--rate must be a number, not \"fast\"",
        "--payload {nope|--payload: invalid JSON",
        "--duration 10|--duration: missing unit in duration \"10\"",
        "--duration 1ms|--duration must be at least 100ms, not 1ms",
        "--url http://h/ws|--url must start with ws:// or wss://, not http://h/ws",
        "--mode soap|--mode must be rpc or pubsub, not \"soap\"",
        "--subscribers 3|--subscribers does not apply to --mode rpc",
        "--mode pubsub --rate 3|--rate does not apply to --mode pubsub",
        "--bogus|unknown option --bogus",
        "--token t --header Authorization:Basic_x|give --token or an Authorization --header, not both"
      })
  void badArgumentsExitWith2AndAClearMessage(String args, String message) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        Load.run(
            args.split(" "),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertEquals(2, status);
    String text = err.toString(StandardCharsets.UTF_8);
    assertTrue(text.startsWith("juggler-load: " + message), text);
    assertTrue(text.contains("Usage: java -jar juggler-load.jar"), text);
    assertEquals("", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void aTokenBecomesABearerAuthorizationHeader() throws Exception {
    LoadOptions o = parse("--token", "eyJ.a.b", "--header", "X-Trace:1");
    assertEquals(
        List.of(Map.entry("X-Trace", "1"), Map.entry("Authorization", "Bearer eyJ.a.b")),
        o.headers());
  }

  @Test
  void helpGoesToStdoutWithStatus0() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int status =
        Load.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), null);
    assertEquals(0, status);
    assertTrue(out.toString(StandardCharsets.UTF_8).contains("--publish-rate R"));
  }

  @Test
  void readsItsOwnEventPayload() {
    String json = "{\"t\":-123456789,\"m\":1,\"p\":\"xx\"}";
    assertEquals(-123456789L, PubSubLoad.number(json, "\"t\":"));
    assertEquals(1L, PubSubLoad.number(json, "\"m\":"));
    assertEquals(Long.MIN_VALUE, PubSubLoad.number("\"foreign\"", "\"t\":"));
  }
}
