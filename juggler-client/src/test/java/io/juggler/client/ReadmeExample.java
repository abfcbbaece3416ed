package io.juggler.client;

import io.juggler.message.RawJson;
import java.net.URI;
import java.time.Duration;

/** The library example of juggler-client/README.md, kept here so that it compiles. */
final class ReadmeExample {

  private ReadmeExample() {}

  static void example() {
    try (JugglerClient client = JugglerClient.connect(URI.create("ws://localhost:8080/ws"))) {
      // RPC: the future completes with the RES args, or fails with
      // CallRejectedException (NACK), CallExpiredException or ConnectionClosedException
      RawJson echoed =
          client.call("test.echo", "{\"hello\":\"world\"}", Duration.ofSeconds(5)).join();
      System.out.println(echoed); // {"hello":"world"}

      // pub-sub: events may arrive before the SUB's ACK; close() sends UNSB
      try (Subscription news =
          client.subscribe("news.*", true, e -> System.out.println(e.channel() + " " + e.args()))) {
        news.acknowledged().join();
        client.publish("news.sports", "\"goal\"").join(); // completes on ACK
      }
    }
  }
}
