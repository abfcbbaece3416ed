package io.juggler.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.juggler.message.Ack;
import io.juggler.message.Evnt;
import io.juggler.message.JsonCodec;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.Nack;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import io.juggler.message.Unsb;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerMessagesTest {

  static final String U = "5a7c9e1b-3d5f-4a7b-9c1d-6e8f0a2b4c6d";
  static final String F = "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e";

  @Test
  void decodesTheSpecExamples() {
    assertEquals(
        new Ack(U, F, MessageType.CALL, "billing.invoice.total", null),
        ServerMessages.decode(
            "{\"meta\":{\"type\":8,\"uuid\":\""
                + U
                + "\"},\"payload\":{\"for\":\""
                + F
                + "\",\"for_type\":1,\"uri\":\"billing.invoice.total\"}}\n"));
    assertEquals(
        new Nack(U, F, MessageType.PUB, null, "room.42", 500, "list capacity exceeded"),
        ServerMessages.decode(
            "{\"meta\":{\"type\":7,\"uuid\":\""
                + U
                + "\"},\"payload\":{\"for\":\""
                + F
                + "\",\"for_type\":2,\"channel\":\"room.42\",\"code\":500,"
                + "\"message\":\"list capacity exceeded\",\"extra\":true}}"));
    assertEquals(
        new Res(U, F, "u", RawJson.of("{\"total\":\"118.40\",\"n\":[1,2]}")),
        ServerMessages.decode(
            "{\"meta\":{\"type\":9,\"uuid\":\""
                + U
                + "\"},\"payload\":{\"for\":\""
                + F
                + "\",\"uri\":\"u\",\"args\":{\"total\": \"118.40\", \"n\": [1, 2]}}}"));
    assertEquals(
        new Evnt(U, F, "room.42", "room.*", RawJson.NULL),
        ServerMessages.decode(
            "{\"meta\":{\"type\":10,\"uuid\":\""
                + U
                + "\"},\"payload\":{\"for\":\""
                + F
                + "\",\"channel\":\"room.42\",\"pattern\":\"room.*\",\"args\":null}}"));
  }

  /** What the server encodes for sessions and cancels (issue 23) decodes back to the same. */
  @Test
  void sessionAckAndCancelAckRoundTrip() {
    for (Message m :
        new Message[] {
          new SessionAck(U, F, F + ".secret", 120_000_000_000L, false, null),
          new SessionAck(U, F, F + ".s2", 120_000_000_000L, true, null),
          new SessionAck(U, F, F + ".s3", 5L, false, "expired"),
          Ack.ofCancel(Unsb.cancel(F, U), "orders.quote", "queued")
        }) {
      assertEquals(m.toString(), ServerMessages.decode(JsonCodec.encode(m)).toString());
    }
  }

  @Test
  void absentArgsReadAsNull() {
    Res r =
        (Res)
            ServerMessages.decode(
                "{\"meta\":{\"type\":9,\"uuid\":\""
                    + U
                    + "\"},\"payload\":{\"for\":\""
                    + F
                    + "\"}}");
    assertEquals(RawJson.NULL, r.args());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "[]",
        "not json",
        "{\"payload\":{}}",
        "{\"meta\":{\"type\":1,\"uuid\":\"x\"},\"payload\":{}}",
        "{\"meta\":{\"type\":99,\"uuid\":\"x\"},\"payload\":{}}",
        "{\"meta\":{\"type\":\"8\",\"uuid\":\"x\"},\"payload\":{}}",
        "{\"meta\":{\"type\":8,\"uuid\":\"x\"},\"payload\":{\"for\":\"y\",\"for_type\":9}}"
      })
  void rejectsWhatIsNotAServerMessage(String text) {
    assertThrows(IllegalArgumentException.class, () -> ServerMessages.decode(text));
  }
}
