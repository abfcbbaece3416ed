package io.juggler.message;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;
import jakarta.json.stream.JsonParser;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Encodes and decodes juggler.0 messages and the Redis payloads.
 *
 * <p>Client requests are decoded strictly (spec sections 2.5, 3): a frame that is not exactly one
 * JSON object with a {@code meta} object (integer {@code type} of a client type, a UUID {@code
 * uuid}) and a {@code payload} member (object or null) whose known members have the right JSON
 * types is a {@link ProtocolException} carrying the close code. Unknown members are ignored. Member
 * names must be lowercase and nothing may follow the object (the reference tolerates both; see
 * {@code docs/protocol-choices.md}).
 *
 * <p>Redis payloads are decoded leniently, as the reference readers do: member names match
 * case-insensitively, unknown members are ignored, missing strings read as empty.
 *
 * <p>Encoding writes compact JSON with a fixed member order and no trailing newline. {@code args}
 * values are inserted verbatim. Thread-safe; stateless.
 */
public final class JsonCodec {

  private static final JsonProvider JSON = JsonProvider.provider();

  private JsonCodec() {}

  // ---------------------------------------------------------------- client requests

  /** Decodes one client request, or throws the protocol violation that closes the connection. */
  public static Message decodeRequest(String text) throws ProtocolException {
    JsonObject obj = parseObject(text);
    JsonValue metaValue = obj.get("meta");
    if (!(metaValue instanceof JsonObject meta)) {
      throw violation(metaValue == null ? "missing meta" : "meta must be an object");
    }
    MessageType type = decodeType(meta.get("type"), text);
    String uuid = decodeUuid(meta.get("uuid"));
    if (!obj.containsKey("payload")) {
      throw violation("missing payload");
    }
    JsonValue payloadValue = obj.get("payload");
    JsonObject payload;
    if (payloadValue.getValueType() == JsonValue.ValueType.NULL) {
      payload = JsonValue.EMPTY_JSON_OBJECT;
    } else if (payloadValue instanceof JsonObject o) {
      payload = o;
    } else {
      throw violation("payload must be an object or null");
    }
    return switch (type) {
      case CALL ->
          new Call(uuid, string(payload, "uri"), timeout(payload, text), args(payload.get("args")));
      case PUB ->
          new Pub(
              uuid,
              string(payload, "channel"),
              args(payload.get("args")),
              echo(payload.get("echo")));
      case SUB ->
          new Sub(uuid, string(payload, "channel"), bool(payload, "pattern"), position(payload));
      case UNSB ->
          new Unsb(uuid, string(payload, "channel"), bool(payload, "pattern"), callUuid(payload));
      default -> throw new AssertionError(type);
    };
  }

  private static JsonObject parseObject(String text) throws ProtocolException {
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      if (!parser.hasNext()) {
        throw violation("empty message");
      }
      if (parser.next() != JsonParser.Event.START_OBJECT) {
        throw violation("message must be a JSON object");
      }
      JsonObject obj = parser.getObject();
      if (parser.hasNext()) {
        throw violation("unexpected data after the JSON object");
      }
      return obj;
    } catch (ProtocolException e) {
      throw e;
    } catch (RuntimeException e) {
      // whatever the parser throws (JsonException, a nesting-depth RuntimeException, ...) is a
      // violation: decoding answers every frame with a message or a close, never with a crash
      throw violation("invalid JSON: " + e.getMessage());
    }
  }

  private static MessageType decodeType(JsonValue v, String text) throws ProtocolException {
    if (!(v instanceof JsonNumber n) || !isInteger(n, text, "meta", "type")) {
      throw violation("meta.type must be an integer");
    }
    MessageType type;
    try {
      type = MessageType.fromCode(n.longValueExact());
    } catch (ArithmeticException e) {
      type = null;
    }
    if (type == null) {
      throw violation("unknown message type " + n);
    }
    if (!type.isClientMessage()) {
      throw violation("message type " + type + " is not sent by clients");
    }
    return type;
  }

  private static String decodeUuid(JsonValue v) throws ProtocolException {
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      throw violation("missing meta.uuid");
    }
    if (!(v instanceof JsonString s)) {
      throw violation("meta.uuid must be a string");
    }
    String uuid = Uuids.normalize(s.getString());
    if (uuid == null) {
      throw violation("meta.uuid is not a UUID: " + abbreviate(s.getString()));
    }
    return uuid;
  }

  private static String string(JsonObject payload, String name) throws ProtocolException {
    JsonValue v = payload.get(name);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return "";
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw violation("payload." + name + " must be a string");
  }

  /** The longest epoch a client may send (the server's are 16 characters). */
  static final int MAX_EPOCH_CHARS = 64;

  /** SUB's optional {@code recover}: {@code {"offset": n, "epoch": "..."}}, or null. */
  private static Sub.Position position(JsonObject payload) throws ProtocolException {
    JsonValue v = payload.get("recover");
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    if (v instanceof JsonObject o
        && o.get("offset") instanceof JsonNumber n
        && n.isIntegral()
        && n.longValue() >= 0
        && o.get("epoch") instanceof JsonString e
        && e.getString().length() <= MAX_EPOCH_CHARS) {
      return new Sub.Position(n.longValue(), e.getString());
    }
    throw violation("payload.recover must be {\"offset\": an integer >= 0, \"epoch\": a string}");
  }

  /** UNSB's optional {@code call}: the uuid of a CALL to cancel, or null. */
  private static String callUuid(JsonObject payload) throws ProtocolException {
    JsonValue v = payload.get("call");
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return null;
    }
    String uuid = v instanceof JsonString s ? Uuids.normalize(s.getString()) : null;
    if (uuid == null) {
      throw violation("payload.call must be a CALL uuid");
    }
    return uuid;
  }

  /** PUB's optional {@code echo}: true unless it is {@code false}. */
  private static boolean echo(JsonValue v) throws ProtocolException {
    if (v == null) {
      return true;
    }
    return switch (v.getValueType()) {
      case TRUE, NULL -> true;
      case FALSE -> false;
      default -> throw violation("payload.echo must be a boolean");
    };
  }

  private static boolean bool(JsonObject payload, String name) throws ProtocolException {
    JsonValue v = payload.get(name);
    if (v == null) {
      return false;
    }
    return switch (v.getValueType()) {
      case TRUE -> true;
      case FALSE, NULL -> false;
      default -> throw violation("payload." + name + " must be a boolean");
    };
  }

  private static long timeout(JsonObject payload, String text) throws ProtocolException {
    JsonValue v = payload.get("timeout");
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return 0;
    }
    if (v instanceof JsonNumber n && isInteger(n, text, "payload", "timeout")) {
      try {
        return n.longValueExact();
      } catch (ArithmeticException e) {
        throw violation("payload.timeout does not fit 64 bits");
      }
    }
    throw violation("payload.timeout must be an integer number of nanoseconds");
  }

  /**
   * The classes the provider gives a number written as plain digits that fit an int or a long: the
   * parser makes those from the digits alone, so such a number was written without a fraction or an
   * exponent. Any other number (an exponent, a fraction, 19 digits or more) is looked up as
   * written.
   */
  private static final Set<Class<?>> PLAIN_INTEGERS =
      Set.of(JSON.createValue(1).getClass(), JSON.createValue(1L << 40).getClass());

  /**
   * A JSON integer as Go reads one: no fraction and no exponent ({@code 1e0} and {@code 0.1e1} are
   * refused, although their value is the integer 1). The number's value does not tell, so an
   * integral number that the parser did not read as plain digits is read again as written in {@code
   * text}, at member {@code inner} of member {@code outer}.
   */
  private static boolean isInteger(JsonNumber n, String text, String outer, String inner) {
    if (!n.isIntegral()) {
      return false;
    }
    if (PLAIN_INTEGERS.contains(n.getClass())) {
      return true;
    }
    String written = writtenNumber(text, outer, inner);
    return written != null && written.chars().allMatch(c -> c == '-' || (c >= '0' && c <= '9'));
  }

  /**
   * The number at {@code outer}.{@code inner} of the top-level object of {@code text}, exactly as
   * written (the last one, as the parsed object keeps the last of duplicate members); null when
   * there is none.
   */
  private static String writtenNumber(String text, String outer, String inner) {
    String written = null;
    try (JsonParser p = JSON.createParser(new StringReader(text))) {
      int depth = 0;
      String container = null;
      String key = null;
      while (p.hasNext()) {
        switch (p.next()) {
          case START_OBJECT, START_ARRAY -> {
            if (depth == 1) {
              container = key;
            }
            depth++;
            key = null;
          }
          case END_OBJECT, END_ARRAY -> {
            depth--;
            if (depth == 1) {
              container = null;
            }
          }
          case KEY_NAME -> key = p.getString();
          case VALUE_NUMBER -> {
            if (depth == 2 && outer.equals(container) && inner.equals(key)) {
              written = p.getString();
            }
          }
          default -> {}
        }
      }
    }
    return written;
  }

  private static RawJson args(JsonValue v) {
    if (v == null) {
      return null;
    }
    return v.getValueType() == JsonValue.ValueType.NULL
        ? RawJson.NULL
        : RawJson.of(JsonText.escapeLoneSurrogates(v.toString()));
  }

  private static ProtocolException violation(String message) {
    return new ProtocolException(Protocol.CLOSE_PROTOCOL_ERROR, message);
  }

  private static String abbreviate(String s) {
    return s.length() <= 48 ? s : s.substring(0, 48) + "...";
  }

  // ---------------------------------------------------------------- encoding messages

  /** Encodes any message as compact JSON (no trailing newline). */
  public static String encode(Message m) {
    StringBuilder sb = new StringBuilder(128);
    head(sb, m.type(), m.uuid());
    return tail(sb, m).toString();
  }

  /**
   * Encodes everything of {@code m} that follows its {@code meta.uuid}: for a message sent to many
   * connections, each copy with its own fresh uuid (an EVNT fan-out), see {@link
   * #encode(MessageType, String, String)}. The uuid of {@code m} itself is ignored.
   */
  public static String encodeTail(Message m) {
    return tail(new StringBuilder(96), m).toString();
  }

  /**
   * One copy of a message whose tail came from {@link #encodeTail}: equal to {@code encode} of that
   * message with {@code uuid} as its {@code meta.uuid}.
   */
  public static String encode(MessageType type, String uuid, String tail) {
    StringBuilder sb = new StringBuilder(40 + uuid.length() + tail.length());
    head(sb, type, uuid);
    return sb.append(tail).toString();
  }

  private static void head(StringBuilder sb, MessageType type, String uuid) {
    sb.append("{\"meta\":{\"type\":").append(type.code()).append(",\"uuid\":");
    JsonText.appendString(sb, uuid);
  }

  private static StringBuilder tail(StringBuilder sb, Message m) {
    sb.append("},\"payload\":{");
    if (m instanceof Call c) {
      member(sb, "uri", c.uri(), false);
      sb.append(",\"timeout\":").append(c.timeoutNanos());
      if (c.args() != null) {
        sb.append(",\"args\":").append(c.args().json());
      }
    } else if (m instanceof Pub p) {
      member(sb, "channel", p.channel(), false);
      if (p.args() != null) {
        sb.append(",\"args\":").append(p.args().json());
      }
      if (!p.echo()) {
        sb.append(",\"echo\":false");
      }
    } else if (m instanceof Sub s) {
      member(sb, "channel", s.channel(), false);
      sb.append(",\"pattern\":").append(s.pattern());
      if (s.recover() != null) {
        sb.append(",\"recover\":{\"offset\":").append(s.recover().offset());
        member(sb, "epoch", s.recover().epoch(), true);
        sb.append('}');
      }
    } else if (m instanceof Unsb u && u.isCancel()) {
      member(sb, "call", u.call(), false);
    } else if (m instanceof Unsb u) {
      member(sb, "channel", u.channel(), false);
      sb.append(",\"pattern\":").append(u.pattern());
    } else if (m instanceof Ack a) {
      member(sb, "for", a.forUuid(), false);
      sb.append(",\"for_type\":").append(a.forType().code());
      optional(sb, "uri", a.uri());
      optional(sb, "channel", a.channel());
      optional(sb, "cancelled", a.cancelled());
      if (a.recovery() != null) {
        sb.append(",\"recovered\":").append(a.recovery().recovered());
        optional(sb, "reason", a.recovery().reason());
        if (a.recovery().epoch() != null) {
          sb.append(",\"offset\":").append(a.recovery().offset());
          member(sb, "epoch", a.recovery().epoch(), true);
        }
      }
    } else if (m instanceof SessionAck a) {
      member(sb, "for", a.session(), false);
      sb.append(",\"for_type\":").append(SessionAck.FOR_TYPE).append(",\"session\":{");
      member(sb, "token", a.token(), false);
      sb.append(",\"window\":").append(a.windowNanos());
      sb.append(",\"resumed\":").append(a.resumed());
      optional(sb, "refused", a.refused());
      sb.append('}');
    } else if (m instanceof Nack n) {
      member(sb, "for", n.forUuid(), false);
      sb.append(",\"for_type\":").append(n.forType().code());
      optional(sb, "uri", n.uri());
      optional(sb, "channel", n.channel());
      sb.append(",\"code\":").append(n.code());
      member(sb, "message", n.message(), true);
    } else if (m instanceof Res r) {
      member(sb, "for", r.forUuid(), false);
      optional(sb, "uri", r.uri());
      sb.append(",\"args\":").append(r.args() == null ? "null" : r.args().json());
    } else if (m instanceof Evnt e) {
      member(sb, "for", e.forUuid(), false);
      optional(sb, "channel", e.channel());
      optional(sb, "pattern", e.pattern());
      sb.append(",\"args\":").append(e.args() == null ? "null" : e.args().json());
      if (e.epoch() != null) {
        sb.append(",\"offset\":").append(e.offset());
        member(sb, "epoch", e.epoch(), true);
      }
    }
    return sb.append("}}");
  }

  private static void member(StringBuilder sb, String name, String value, boolean comma) {
    if (comma) {
      sb.append(',');
    }
    sb.append('"').append(name).append("\":");
    JsonText.appendString(sb, value == null ? "" : value);
  }

  private static void optional(StringBuilder sb, String name, String value) {
    if (value != null && !value.isEmpty()) {
      member(sb, name, value, true);
    }
  }

  // ---------------------------------------------------------------- Redis payloads

  /** Encodes a call or result payload; {@code args} is omitted when null (spec section 6.2). */
  public static String encodeCallPayload(CallPayload p) {
    StringBuilder sb = new StringBuilder(128);
    sb.append('{');
    member(sb, "conn_uuid", p.connUuid(), false);
    member(sb, "msg_uuid", p.msgUuid(), true);
    member(sb, "uri", p.uri(), true);
    if (p.args() != null) {
      sb.append(",\"args\":").append(p.args().json());
    }
    Caller caller = p.caller();
    if (caller != null) {
      sb.append(",\"caller\":{");
      member(sb, "name", caller.name(), false);
      sb.append(",\"roles\":[");
      for (int i = 0; i < caller.roles().size(); i++) {
        if (i > 0) {
          sb.append(',');
        }
        JsonText.appendString(sb, caller.roles().get(i));
      }
      sb.append(']');
      member(sb, "conn", caller.conn(), true);
      sb.append('}');
    }
    return sb.append('}').toString();
  }

  /** Decodes a call or result payload read from Redis. */
  public static CallPayload decodeCallPayload(String text) {
    Map<String, JsonValue> obj = parseLenient(text);
    return new CallPayload(
        lenientString(obj, "conn_uuid"),
        lenientString(obj, "msg_uuid"),
        lenientString(obj, "uri"),
        args(lenientGet(obj, "args")),
        caller(lenientGet(obj, "caller")));
  }

  /**
   * The {@code caller} member: an object with a non-empty string {@code name}; anything else is
   * taken as no caller (a callee never trusts a malformed identity as someone).
   */
  private static Caller caller(JsonValue v) {
    if (!(v instanceof JsonObject o)
        || !(o.get("name") instanceof JsonString name)
        || name.getString().isEmpty()) {
      return null;
    }
    List<String> roles = new ArrayList<>();
    if (o.get("roles") instanceof JsonArray a) {
      for (JsonValue r : a) {
        if (r instanceof JsonString s) {
          roles.add(s.getString());
        }
      }
    }
    String conn = o.get("conn") instanceof JsonString c ? c.getString() : "";
    return new Caller(name.getString(), roles, conn);
  }

  /** Encodes a publication; {@code args} is omitted when null. */
  public static String encodePubPayload(PubPayload p) {
    StringBuilder sb = new StringBuilder(64);
    sb.append('{');
    member(sb, "msg_uuid", p.msgUuid(), false);
    if (p.args() != null) {
      sb.append(",\"args\":").append(p.args().json());
    }
    if (p.exceptConn() != null) {
      member(sb, "except_conn", p.exceptConn(), true);
    }
    if (p.epoch() != null) {
      sb.append(",\"offset\":").append(p.offset());
      member(sb, "epoch", p.epoch(), true);
    }
    return sb.append('}').toString();
  }

  /** Decodes data received on a channel as a publication. */
  public static PubPayload decodePubPayload(String text) {
    Map<String, JsonValue> obj = parseLenient(text);
    String except = lenientString(obj, "except_conn");
    String epoch = lenientString(obj, "epoch");
    long offset =
        lenientGet(obj, "offset") instanceof JsonNumber n && n.isIntegral() ? n.longValue() : 0;
    return new PubPayload(
        lenientString(obj, "msg_uuid"),
        args(lenientGet(obj, "args")),
        except.isEmpty() ? null : except,
        epoch.isEmpty() || offset <= 0 ? 0 : offset,
        epoch.isEmpty() || offset <= 0 ? null : epoch);
  }

  private static Map<String, JsonValue> parseLenient(String text) {
    try (JsonParser parser = JSON.createParser(new StringReader(text))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        throw new InvalidPayloadException("not a JSON object: " + abbreviate(text));
      }
      return parser.getObject();
    } catch (InvalidPayloadException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new InvalidPayloadException("invalid JSON: " + e.getMessage());
    }
  }

  private static JsonValue lenientGet(Map<String, JsonValue> obj, String name) {
    JsonValue v = obj.get(name);
    if (v != null) {
      return v;
    }
    for (Map.Entry<String, JsonValue> e : obj.entrySet()) {
      if (e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }

  private static String lenientString(Map<String, JsonValue> obj, String name) {
    JsonValue v = lenientGet(obj, name);
    if (v == null || v.getValueType() == JsonValue.ValueType.NULL) {
      return "";
    }
    if (v instanceof JsonString s) {
      return s.getString();
    }
    throw new InvalidPayloadException(name + " must be a string");
  }
}
