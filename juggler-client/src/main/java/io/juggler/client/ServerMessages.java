package io.juggler.client;

import io.juggler.message.Ack;
import io.juggler.message.Evnt;
import io.juggler.message.Message;
import io.juggler.message.MessageType;
import io.juggler.message.Nack;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;

/**
 * Decodes the frames a server sends (ACK, NACK, RES, EVNT, and the {@link SessionAck} of a
 * connection that asked for a session). Lenient like the Go client: unknown members are ignored,
 * missing strings read as empty, trailing whitespace is fine.
 */
final class ServerMessages {

  private static final JsonProvider JSON = JsonProvider.provider();

  private ServerMessages() {}

  /**
   * @throws IllegalArgumentException if {@code text} is not one of the four server messages
   */
  static Message decode(String text) {
    JsonObject frame;
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new IllegalArgumentException("not a JSON object");
      }
      frame = parser.getObject();
    } catch (JsonException | IllegalStateException e) {
      throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
    }
    if (!(frame.get("meta") instanceof JsonObject meta)) {
      throw new IllegalArgumentException("missing meta");
    }
    MessageType type = MessageType.fromCode(integer(meta, "type"));
    String uuid = string(meta, "uuid");
    JsonObject p = frame.get("payload") instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
    if (type == null) {
      throw new IllegalArgumentException("unknown message type " + meta.get("type"));
    }
    if (type == MessageType.ACK
        && p.get("session") instanceof JsonObject session
        && p.get("for_type") instanceof JsonNumber n
        && n.isIntegral()
        && n.longValue() == SessionAck.FOR_TYPE) {
      return new SessionAck(
          uuid,
          string(p, "for"),
          optional(session, "token"),
          session.get("window") instanceof JsonNumber w && w.isIntegral() ? w.longValue() : 0,
          session.get("resumed") == JsonValue.TRUE,
          optional(session, "refused"));
    }
    return switch (type) {
      case ACK ->
          new Ack(
              uuid,
              string(p, "for"),
              forType(p),
              optional(p, "uri"),
              optional(p, "channel"),
              optional(p, "cancelled"),
              p.get("recovered") == JsonValue.TRUE || p.get("recovered") == JsonValue.FALSE
                  ? new Ack.Recovery(
                      p.get("recovered") == JsonValue.TRUE,
                      optional(p, "reason"),
                      p.get("offset") instanceof JsonNumber o && o.isIntegral() ? o.longValue() : 0,
                      optional(p, "epoch"))
                  : null);
      case NACK ->
          new Nack(
              uuid,
              string(p, "for"),
              forType(p),
              optional(p, "uri"),
              optional(p, "channel"),
              (int) integer(p, "code"),
              string(p, "message"));
      case RES -> new Res(uuid, string(p, "for"), optional(p, "uri"), args(p));
      case EVNT ->
          new Evnt(
              uuid,
              string(p, "for"),
              optional(p, "channel"),
              optional(p, "pattern"),
              args(p),
              p.get("offset") instanceof JsonNumber o && o.isIntegral() ? o.longValue() : 0,
              p.get("offset") instanceof JsonNumber ? optional(p, "epoch") : null);
      default -> throw new IllegalArgumentException("not a server message: " + type);
    };
  }

  private static MessageType forType(JsonObject p) {
    MessageType t = MessageType.fromCode(integer(p, "for_type"));
    if (t == null || !t.isClientMessage()) {
      throw new IllegalArgumentException("invalid for_type " + p.get("for_type"));
    }
    return t;
  }

  private static long integer(JsonObject o, String name) {
    if (o.get(name) instanceof JsonNumber n && n.isIntegral()) {
      return n.longValue();
    }
    throw new IllegalArgumentException(name + " must be an integer");
  }

  private static String string(JsonObject o, String name) {
    JsonValue v = o.get(name);
    if (v instanceof JsonString s) {
      return s.getString();
    }
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return "";
    }
    throw new IllegalArgumentException(name + " must be a string");
  }

  private static String optional(JsonObject o, String name) {
    String s = string(o, name);
    return s.isEmpty() ? null : s;
  }

  private static RawJson args(JsonObject p) {
    JsonValue v = p.get("args");
    return v == null || v.getValueType() == JsonValue.ValueType.NULL
        ? RawJson.NULL
        : RawJson.of(v.toString());
  }
}
