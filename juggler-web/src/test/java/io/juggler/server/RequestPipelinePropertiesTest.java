package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.config.History;
import io.juggler.config.JugglerConfig;
import io.juggler.message.MessageType;
import io.juggler.testing.Frames;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Spec section 4 for the whole request path, over thousands of generated frames: each gets exactly
 * one ACK or NACK (for its uuid), or ends the connection with a close code, and never anything else
 * (no silence, no second answer). The pipeline runs with every admission rule, on in-memory
 * brokers.
 */
class RequestPipelinePropertiesTest {

  private static ResultRouterTest.MemoryCallerBroker calls;
  private static EventRouterTest.MemorySubscriber pubsub;
  private static ResultRouter results;
  private static EventRouter events;
  private static RequestPipeline pipeline;

  @BeforeContainer
  static void start() {
    JugglerConfig config =
        JugglerConfig.from(
            key ->
                Optional.ofNullable(
                    Map.of(
                            JugglerConfig.MAX_PENDING_CALLS, "3",
                            JugglerConfig.MAX_SUBSCRIPTIONS, "3",
                            JugglerConfig.MAX_CALL_ARGS_BYTES, "64")
                        .get(key)));
    calls = new ResultRouterTest.MemoryCallerBroker();
    pubsub = new EventRouterTest.MemorySubscriber();
    results = new ResultRouter(calls, ServerCounters.NONE, 1, Duration.ofMillis(50), Thread::new);
    events = new EventRouter(pubsub, ServerCounters.NONE, Duration.ofSeconds(1), Thread::new, 1);
    Replies replies = new Replies(ServerCounters.NONE);
    pipeline =
        new RequestPipeline(
                new CallCheck(config.calls().defaultTimeout()),
                List.of(
                    new RateLimit(config, ServerCounters.NONE),
                    new ValidNames(config.limits().names(), ServerCounters.NONE),
                    new CallLimits(config, results, ServerCounters.NONE),
                    new SubscriptionLimit(config, events, ServerCounters.NONE)),
                replies,
                ServerCounters.NONE)
            .on(MessageType.CALL, new CallHandler(config, results, ServerCounters.NONE))
            .on(MessageType.PUB, PubSubHandlers.pub(pubsub, History.NONE, replies))
            .on(
                MessageType.SUB,
                PubSubHandlers.sub(
                    events,
                    new HistoryRecovery(
                        pubsub,
                        events,
                        History.NONE,
                        replies,
                        ServerCounters.NONE,
                        Runnable::run,
                        Duration.ofSeconds(10)),
                    replies))
            .on(MessageType.UNSB, PubSubHandlers.unsb(events, replies));
  }

  @AfterContainer
  static void stop() {
    results.close();
    events.close();
  }

  @Provide
  Arbitrary<String> frames() {
    return Frames.any();
  }

  @Property(tries = 3000)
  void everyFrameGetsOneAnswerOrAClose(@ForAll("frames") String frame) {
    FakeSession s = new FakeSession();
    Connection c = s.connection(64, 1 << 20);
    pipeline.process(c, frame);
    while (!s.pending.isEmpty()) {
      s.complete();
    }
    if (s.closed != null) {
      assertEquals(0, s.written.size(), () -> "answered and closed: " + s.written);
      int code = s.closeCode();
      assertTrue(List.of(1000, 1002, 1003, 1007, 1008, 1009).contains(code), "close " + code);
      return;
    }
    assertEquals(1, s.written.size(), () -> "answers to " + frame + ": " + s.written);
    JsonObject answer = Json.createReader(new StringReader(s.written.get(0))).readObject();
    int type = answer.getJsonObject("meta").getInt("type");
    assertTrue(type == 7 || type == 8, "answered with type " + type);
    results.forget(c);
    events.forget(c);
  }
}
