package io.juggler.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonCodecTest {

  private static final String U1 = "3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e";
  private static final String U2 = "9b1c7e20-4d3a-4f6e-8a21-5c0d9e8f7a6b";
  private static final Pattern V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  /** A request frame with the given type code and payload JSON (or {@code null} for none). */
  private static String frame(int type, String payload) {
    return "{\"meta\":{\"type\":"
        + type
        + ",\"uuid\":\""
        + U1
        + "\"}"
        + (payload == null ? "" : ",\"payload\":" + payload)
        + "}";
  }

  private static String frameWithMeta(String meta) {
    return "{\"meta\":" + meta + ",\"payload\":{}}";
  }

  private static String frameWithUuid(String uuidJson) {
    return "{\"meta\":{\"type\":2,\"uuid\":" + uuidJson + "},\"payload\":{}}";
  }

  private static Message decode(String text) throws ProtocolException {
    return JsonCodec.decodeRequest(text);
  }

  private static JsonObject parse(String json) {
    try (JsonReader r = Json.createReader(new StringReader(json))) {
      return r.readObject();
    }
  }

  private static JsonValue parseValue(String json) {
    try (JsonReader r = Json.createReader(new StringReader(json))) {
      return r.readValue();
    }
  }

  private static JsonObject payloadOf(String json) {
    return parse(json).getJsonObject("payload");
  }

  private static void assertFreshUuid(String uuid) {
    assertTrue(V4.matcher(uuid).matches(), () -> "not a lowercase v4 uuid: " + uuid);
    UUID parsed = UUID.fromString(uuid);
    assertEquals(4, parsed.version());
    assertEquals(2, parsed.variant());
  }

  // ------------------------------------------------------------------ decoding requests

  @Nested
  class Decoding {

    @Test
    void callWithAllFieldsDecodes() throws Exception {
      Message m =
          decode(
              frame(
                  1,
                  "{\"uri\":\"billing.invoice.total\",\"timeout\":3000000000,"
                      + "\"args\":{\"invoice\":\"INV-88\",\"currency\":\"EUR\"}}"));
      Call c = assertInstanceOf(Call.class, m);
      assertEquals(MessageType.CALL, c.type());
      assertEquals(U1, c.uuid());
      assertEquals("billing.invoice.total", c.uri());
      assertEquals(3_000_000_000L, c.timeoutNanos());
      assertEquals(
          parse("{\"invoice\":\"INV-88\",\"currency\":\"EUR\"}"), parseValue(c.args().json()));
    }

    @Test
    void pubWithAllFieldsDecodes() throws Exception {
      Message m = decode(frame(2, "{\"channel\":\"room.42\",\"args\":{\"text\":\"hi all\"}}"));
      Pub p = assertInstanceOf(Pub.class, m);
      assertEquals(MessageType.PUB, p.type());
      assertEquals(U1, p.uuid());
      assertEquals("room.42", p.channel());
      assertEquals("{\"text\":\"hi all\"}", p.args().json());
    }

    @Test
    void subWithAllFieldsDecodes() throws Exception {
      Message m = decode(frame(3, "{\"channel\":\"room.*\",\"pattern\":true}"));
      assertEquals(new Sub(U1, "room.*", true), m);
      assertEquals(MessageType.SUB, m.type());
    }

    @Test
    void unsbWithAllFieldsDecodes() throws Exception {
      Message m = decode(frame(4, "{\"channel\":\"room.*\",\"pattern\":true}"));
      assertEquals(new Unsb(U1, "room.*", true), m);
      assertEquals(MessageType.UNSB, m.type());
    }

    @Test
    void patternFalseAndAbsentMeanExactChannel() throws Exception {
      assertEquals(
          new Sub(U1, "room.1", false),
          decode(frame(3, "{\"channel\":\"room.1\",\"pattern\":false}")));
      assertEquals(new Sub(U1, "room.1", false), decode(frame(3, "{\"channel\":\"room.1\"}")));
      assertEquals(new Unsb(U1, "room.1", false), decode(frame(4, "{\"channel\":\"room.1\"}")));
    }

    @ParameterizedTest
    @ValueSource(
        longs = {
          0L,
          1L,
          250_000_000L,
          1_000_000_000L,
          Long.MAX_VALUE,
          -1L,
          -1_000_000L,
          Long.MIN_VALUE
        })
    void timeoutIsNanosecondsAsLong(long nanos) throws Exception {
      Call c = (Call) decode(frame(1, "{\"uri\":\"u\",\"timeout\":" + nanos + "}"));
      assertEquals(nanos, c.timeoutNanos());
    }

    /**
     * Only meta.type and payload.timeout must be written as plain integers: a 19-digit timeout is
     * read as written, and exponents deeper in meta or in the args are left alone.
     */
    @Test
    void exponentsElsewhereInTheFrameAreLeftAlone() throws Exception {
      Call c =
          (Call)
              decode(
                  "{\"meta\":{\"type\":1,\"uuid\":\""
                      + U1
                      + "\",\"x\":{\"type\":1e0}},\"payload\":{\"uri\":\"u\","
                      + "\"timeout\":9223372036854775807,\"args\":{\"timeout\":1e0,\"type\":2E0}}}");
      assertEquals(Long.MAX_VALUE, c.timeoutNanos());
      assertTrue(c.args().json().contains("\"timeout\""), c.args().json());
    }

    /** UNSB's optional call member: a cancel of that CALL (issue 23); it must be a uuid. */
    @Test
    void anUnsbWithACallIsACancelOfThatCall() throws Exception {
      Unsb cancel = (Unsb) decode(frame(4, "{\"call\":\"" + U2.toUpperCase() + "\"}"));
      assertTrue(cancel.isCancel());
      assertEquals(U2, cancel.call(), "normalised like every uuid");
      assertFalse(((Unsb) decode(frame(4, "{\"channel\":\"c\",\"call\":null}"))).isCancel());
      String text = JsonCodec.encode(Unsb.cancel(U1, U2));
      assertEquals(Unsb.cancel(U1, U2), decode(text));
      for (String bad : new String[] {"\"x\"", "1", "\"\"", "{}"}) {
        ProtocolException e =
            assertThrows(
                ProtocolException.class, () -> decode(frame(4, "{\"call\":" + bad + "}")), bad);
        assertTrue(e.getMessage().contains("payload.call must be a CALL uuid"), e.getMessage());
      }
    }

    @Test
    void theAckOfACancelSaysWhereTheCallWas() {
      String text = JsonCodec.encode(Ack.ofCancel(Unsb.cancel(U1, U2), "orders.quote", "running"));
      assertTrue(
          text.contains(
              "\"for\":\""
                  + U1
                  + "\",\"for_type\":4,\"uri\":\"orders.quote\",\"cancelled\":\"running\""),
          text);
    }

    /** SUB's optional recover member (issue 23): an offset and an epoch, or a violation. */
    @Test
    void aSubMayAskToRecoverFromAPosition() throws Exception {
      Sub sub =
          (Sub)
              decode(frame(3, "{\"channel\":\"c\",\"recover\":{\"offset\":41,\"epoch\":\"e1\"}}"));
      assertEquals(new Sub.Position(41, "e1"), sub.recover());
      assertEquals(sub, decode(JsonCodec.encode(sub)));
      assertEquals(
          null, ((Sub) decode(frame(3, "{\"channel\":\"c\",\"recover\":null}"))).recover());
      for (String bad :
          new String[] {
            "1",
            "{}",
            "{\"offset\":-1,\"epoch\":\"e\"}",
            "{\"offset\":1.5,\"epoch\":\"e\"}",
            "{\"offset\":1}",
            "{\"offset\":1,\"epoch\":2}",
            "{\"offset\":1,\"epoch\":\"" + "e".repeat(65) + "\"}"
          }) {
        ProtocolException e =
            assertThrows(
                ProtocolException.class,
                () -> decode(frame(3, "{\"channel\":\"c\",\"recover\":" + bad + "}")),
                bad);
        assertTrue(e.getMessage().contains("payload.recover must be"), e.getMessage());
      }
    }

    /** An EVNT of a channel with history carries its offset and epoch; others do not. */
    @Test
    void anEventOfAChannelWithHistoryCarriesItsPosition() {
      String with = JsonCodec.encode(new Evnt(U1, U2, "c", null, RawJson.of("1"), 7, "ep"));
      assertTrue(with.endsWith("\"args\":1,\"offset\":7,\"epoch\":\"ep\"}}"), with);
      String without = JsonCodec.encode(new Evnt(U1, U2, "c", null, RawJson.of("1")));
      assertFalse(without.contains("offset"), without);
      PubPayload p = new PubPayload(U1, RawJson.of("1"), null, 7, "ep");
      assertEquals(p, JsonCodec.decodePubPayload(JsonCodec.encodePubPayload(p)));
      assertEquals(
          new PubPayload(U1, RawJson.of("1")),
          JsonCodec.decodePubPayload("{\"msg_uuid\":\"" + U1 + "\",\"args\":1,\"offset\":\"x\"}"));
    }

    @Test
    void theAckOfARecoverySaysWhatCameOfIt() {
      Sub sub = new Sub(U2, "c", false, new Sub.Position(3, "ep"));
      String ok = JsonCodec.encode(Ack.ofRecovery(sub, new Ack.Recovery(true, null, 9, "ep")));
      assertTrue(ok.contains("\"recovered\":true,\"offset\":9,\"epoch\":\"ep\""), ok);
      String no =
          JsonCodec.encode(Ack.ofRecovery(sub, new Ack.Recovery(false, "epoch changed", 2, "e2")));
      assertTrue(
          no.contains(
              "\"recovered\":false,\"reason\":\"epoch changed\",\"offset\":2,\"epoch\":\"e2\""),
          no);
    }

    /** PUB's optional echo member: false only when written false. */
    @Test
    void pubEchoIsTrueUnlessWrittenFalse() throws Exception {
      assertTrue(((Pub) decode(frame(2, "{\"channel\":\"c\"}"))).echo());
      assertTrue(((Pub) decode(frame(2, "{\"channel\":\"c\",\"echo\":null}"))).echo());
      assertTrue(((Pub) decode(frame(2, "{\"channel\":\"c\",\"echo\":true}"))).echo());
      assertEquals(
          new Pub(U1, "c", RawJson.of("1"), false),
          decode(frame(2, "{\"channel\":\"c\",\"args\":1,\"echo\":false}")));
      ProtocolException e =
          assertThrows(
              ProtocolException.class,
              () -> decode(frame(2, "{\"channel\":\"c\",\"echo\":\"no\"}")));
      assertTrue(e.getMessage().contains("payload.echo must be a boolean"), e.getMessage());
    }

    @Test
    void aPubWithoutEchoIsEncodedWithTheMemberAndRoundTrips() throws Exception {
      Pub quiet = new Pub(U1, "c", RawJson.of("1"), false);
      String text = JsonCodec.encode(quiet);
      assertTrue(text.contains("\"echo\":false"), text);
      assertEquals(quiet, decode(text));
      assertFalse(JsonCodec.encode(new Pub(U1, "c", RawJson.of("1"))).contains("echo"));
    }

    /** The publication names the connection it skips; the reference's readers ignore the member. */
    @Test
    void aPublicationMayNameTheConnectionItSkips() {
      String text = JsonCodec.encodePubPayload(new PubPayload(U1, RawJson.of("1"), "conn-7"));
      assertEquals("{\"msg_uuid\":\"" + U1 + "\",\"args\":1,\"except_conn\":\"conn-7\"}", text);
      assertEquals("conn-7", JsonCodec.decodePubPayload(text).exceptConn());
      assertNull(
          JsonCodec.decodePubPayload("{\"msg_uuid\":\"" + U1 + "\",\"args\":1}").exceptConn());
    }

    @Test
    void absentOrNullTimeoutIsZero() throws Exception {
      assertEquals(0L, ((Call) decode(frame(1, "{\"uri\":\"u\"}"))).timeoutNanos());
      assertEquals(
          0L, ((Call) decode(frame(1, "{\"uri\":\"u\",\"timeout\":null}"))).timeoutNanos());
    }

    @Test
    void absentArgsIsNullButJsonNullIsRawNull() throws Exception {
      assertNull(((Call) decode(frame(1, "{\"uri\":\"u\"}"))).args());
      assertSame(RawJson.NULL, ((Call) decode(frame(1, "{\"uri\":\"u\",\"args\":null}"))).args());
      assertNull(((Pub) decode(frame(2, "{\"channel\":\"c\"}"))).args());
      assertSame(
          RawJson.NULL, ((Pub) decode(frame(2, "{\"channel\":\"c\",\"args\":null}"))).args());
      assertTrue(RawJson.NULL.isNull());
      assertEquals("null", RawJson.NULL.json());
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}",
          "[]",
          "{}",
          "[1,\"two\",{\"three\":3},[4]]",
          "\"plain\"",
          "\"\"",
          "true",
          "false",
          "0",
          "42",
          "-7",
          "12345678901234567890123456789"
        })
    void compactArgsAreKeptVerbatim(String args) throws Exception {
      Call c = (Call) decode(frame(1, "{\"uri\":\"u\",\"args\":" + args + "}"));
      assertEquals(args, c.args().json());
      Pub p = (Pub) decode(frame(2, "{\"channel\":\"c\",\"args\":" + args + "}"));
      assertEquals(args, p.args().json());
    }

    @Test
    void argsWhitespaceMayBeNormalisedButValueIsKept() throws Exception {
      String args = "{ \"a\" : [ 1 , 2 ] ,\n \"b\" : { } }";
      Call c = (Call) decode(frame(1, "{\"uri\":\"u\",\"args\":" + args + "}"));
      assertEquals(parseValue(args), parseValue(c.args().json()));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "\"quote \\\" backslash \\\\ slash \\/ done\"",
          "\"ctl \\b\\f\\n\\r\\t \\u0000 \\u001f end\"",
          "\"unicode \\u00e9 é \\u4e2d 中 \\ud83d\\ude00 😀\"",
          "\"html \\u003c\\u003e\\u0026 <>&\"",
          "{\"k\\\"ey\":\"v\\\\al\\nue\",\"é\":\"\\u2028\"}"
        })
    void stringArgsWithEscapesAndUnicodeKeepTheirValue(String args) throws Exception {
      Call c = (Call) decode(frame(1, "{\"uri\":\"u\",\"args\":" + args + "}"));
      assertEquals(parseValue(args), parseValue(c.args().json()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"\\ud800\"", "\"a\\udc00b\"", "{\"k\":\"\\ud83d\"}"})
    void argsWithEscapedLoneSurrogateStayValidJson(String args) throws Exception {
      Call c = (Call) decode(frame(1, "{\"uri\":\"u\",\"args\":" + args + "}"));
      assertWellFormedUtf16(c.args().json());
      assertEquals(parseValue(args), parseValue(c.args().json()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "-0.25", "1e3", "1E-7", "2.50", "123456789.123456789e10"})
    void numericArgsKeepTheirValue(String args) throws Exception {
      Call c = (Call) decode(frame(1, "{\"uri\":\"u\",\"args\":" + args + "}"));
      JsonValue v = parseValue(c.args().json());
      assertInstanceOf(JsonNumber.class, v);
      assertEquals(0, new BigDecimal(args).compareTo(((JsonNumber) v).bigDecimalValue()));
    }

    @Test
    void nullPayloadMeansZeroValues() throws Exception {
      assertEquals(new Call(U1, "", 0, null), decode(frame(1, "null")));
      assertEquals(new Pub(U1, "", null), decode(frame(2, "null")));
      assertEquals(new Sub(U1, "", false), decode(frame(3, "null")));
      assertEquals(new Unsb(U1, "", false), decode(frame(4, "null")));
    }

    @Test
    void emptyPayloadMeansZeroValues() throws Exception {
      assertEquals(new Call(U1, "", 0, null), decode(frame(1, "{}")));
      assertEquals(new Pub(U1, "", null), decode(frame(2, "{}")));
      assertEquals(new Sub(U1, "", false), decode(frame(3, "{}")));
      assertEquals(new Unsb(U1, "", false), decode(frame(4, "{}")));
    }

    @Test
    void nullStringMembersReadAsEmpty() throws Exception {
      assertEquals(new Call(U1, "", 0, null), decode(frame(1, "{\"uri\":null}")));
      assertEquals(new Pub(U1, "", null), decode(frame(2, "{\"channel\":null}")));
    }

    @Test
    void unknownMembersAreIgnoredAtEveryLevel() throws Exception {
      String text =
          "{\"extra\":[1,2],\"meta\":{\"type\":1,\"uuid\":\""
              + U1
              + "\",\"ts\":123,\"who\":{\"a\":null}},\"payload\":{\"uri\":\"u\",\"timeout\":5,"
              + "\"priority\":\"high\",\"channel\":\"not-for-call\",\"args\":7},\"more\":null}";
      assertEquals(new Call(U1, "u", 5, RawJson.of("7")), decode(text));
      assertEquals(
          new Sub(U1, "c", true),
          decode(frame(3, "{\"channel\":\"c\",\"pattern\":true,\"args\":{\"x\":1},\"uri\":5}")));
    }

    @Test
    void memberOrderDoesNotMatter() throws Exception {
      String text =
          "{\"payload\":{\"args\":[1],\"timeout\":7,\"uri\":\"u\"},\"meta\":{\"uuid\":\""
              + U1
              + "\",\"type\":1}}";
      assertEquals(new Call(U1, "u", 7, RawJson.of("[1]")), decode(text));
    }

    @Test
    void surroundingWhitespaceIsAccepted() throws Exception {
      assertEquals(
          new Sub(U1, "c", false), decode(" \n\t" + frame(3, "{\"channel\":\"c\"}") + "\n"));
      assertEquals(new Sub(U1, "c", false), decode(frame(3, "{\"channel\":\"c\"}") + "\r\n  "));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "3F9D2C4A-6B1E-4F8A-9C7D-0E5B1A2C3D4E",
          "3f9D2c4A-6b1E-4F8a-9C7d-0E5b1A2c3D4e",
          "urn:uuid:3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e",
          "urn:uuid:3F9D2C4A-6B1E-4F8A-9C7D-0E5B1A2C3D4E"
        })
    void uuidIsNormalisedToLowercaseDashed(String given) throws Exception {
      assertEquals(U1, decode(frameWithUuid("\"" + given + "\"")).uuid());
    }

    @Test
    void normalisedUuidIsWhatTheAckCarries() throws Exception {
      Message m = decode(frameWithUuid("\"urn:uuid:3F9D2C4A-6B1E-4F8A-9C7D-0E5B1A2C3D4E\""));
      assertEquals(U1, payloadOf(JsonCodec.encode(Ack.of(m))).getString("for"));
    }
  }

  // ------------------------------------------------------------------ protocol violations

  static Stream<Arguments> violations() {
    String ok = "{\"type\":1,\"uuid\":\"" + U1 + "\"}";
    String good = frame(1, "{\"uri\":\"u\"}");
    return Stream.of(
        // not JSON at all, or not a single JSON object
        Arguments.of("garbage", "not json"),
        Arguments.of("truncated object", "{\"meta\":" + ok + ",\"payload\":{"),
        Arguments.of("unquoted member name", "{meta:" + ok + ",payload:{}}"),
        Arguments.of("single quotes", "{'meta':{'type':1},'payload':{}}"),
        Arguments.of("trailing comma", "{\"meta\":" + ok + ",\"payload\":{},}"),
        Arguments.of("empty frame", ""),
        Arguments.of("whitespace-only frame", "  \n "),
        Arguments.of("top-level empty array", "[]"),
        Arguments.of("top-level array holding a message", "[" + good + "]"),
        Arguments.of("top-level string", "\"" + good.replace("\"", "\\\"") + "\""),
        Arguments.of("top-level null", "null"),
        Arguments.of("top-level number", "1"),
        Arguments.of("top-level boolean", "true"),
        Arguments.of("second object after the first", good + good),
        Arguments.of("garbage after the object", good + " x"),
        Arguments.of("stray bracket after the object", good + "]"),
        Arguments.of("number after the object", good + " 1"),
        // meta
        Arguments.of("missing meta", "{\"payload\":{}}"),
        Arguments.of("meta with upper-case name", "{\"Meta\":" + ok + ",\"payload\":{}}"),
        Arguments.of("meta null", "{\"meta\":null,\"payload\":{}}"),
        Arguments.of("meta a number", "{\"meta\":1,\"payload\":{}}"),
        Arguments.of("meta a string", "{\"meta\":\"x\",\"payload\":{}}"),
        Arguments.of("meta an array", "{\"meta\":[1,\"" + U1 + "\"],\"payload\":{}}"),
        // meta.type
        Arguments.of("missing type", frameWithMeta("{\"uuid\":\"" + U1 + "\"}")),
        Arguments.of("null type", frameWithMeta("{\"type\":null,\"uuid\":\"" + U1 + "\"}")),
        Arguments.of("string type", frameWithMeta("{\"type\":\"1\",\"uuid\":\"" + U1 + "\"}")),
        Arguments.of(
            "fractional type 1.0", frameWithMeta("{\"type\":1.0,\"uuid\":\"" + U1 + "\"}")),
        Arguments.of(
            "fractional type 1.5", frameWithMeta("{\"type\":1.5,\"uuid\":\"" + U1 + "\"}")),
        Arguments.of("type 1e0", frameWithMeta("{\"type\":1e0,\"uuid\":\"" + U1 + "\"}")),
        Arguments.of("type 1E0", frameWithMeta("{\"type\":1E0,\"uuid\":\"" + U1 + "\"}")),
        Arguments.of("type 0.1e1", frameWithMeta("{\"type\":0.1e1,\"uuid\":\"" + U1 + "\"}")),
        Arguments.of("type 10e-1", frameWithMeta("{\"type\":10e-1,\"uuid\":\"" + U1 + "\"}")),
        Arguments.of("boolean type", frameWithMeta("{\"type\":true,\"uuid\":\"" + U1 + "\"}")),
        Arguments.of("object type", frameWithMeta("{\"type\":{},\"uuid\":\"" + U1 + "\"}")),
        Arguments.of(
            "type too big for 64 bits",
            frameWithMeta("{\"type\":18446744073709551617,\"uuid\":\"" + U1 + "\"}")),
        // meta.uuid
        Arguments.of("missing uuid", frameWithMeta("{\"type\":2}")),
        Arguments.of("null uuid", frameWithUuid("null")),
        Arguments.of("empty uuid", frameWithUuid("\"\"")),
        Arguments.of("uuid not a uuid", frameWithUuid("\"not-a-uuid\"")),
        Arguments.of("uuid a number", frameWithUuid("123")),
        Arguments.of("uuid an object", frameWithUuid("{}")),
        Arguments.of("uuid without dashes", frameWithUuid("\"3f9d2c4a6b1e4f8a9c7d0e5b1a2c3d4e\"")),
        Arguments.of("uuid in braces", frameWithUuid("\"{" + U1 + "}\"")),
        Arguments.of(
            "uuid with a non-hex digit", frameWithUuid("\"" + U1.replace('e', 'g') + "\"")),
        Arguments.of("uuid with surrounding spaces", frameWithUuid("\" " + U1 + " \"")),
        Arguments.of("uuid one digit short", frameWithUuid("\"" + U1.substring(1) + "\"")),
        Arguments.of("urn prefix without uuid", frameWithUuid("\"urn:uuid:\"")),
        // payload
        Arguments.of("missing payload", frame(1, null)),
        Arguments.of("payload an array", frame(1, "[]")),
        Arguments.of("payload a string", frame(1, "\"uri\"")),
        Arguments.of("payload a number", frame(2, "0")),
        Arguments.of("payload a boolean", frame(3, "false")),
        // wrong JSON types for known members
        Arguments.of("CALL uri a number", frame(1, "{\"uri\":5}")),
        Arguments.of("CALL uri a boolean", frame(1, "{\"uri\":true}")),
        Arguments.of("CALL uri an object", frame(1, "{\"uri\":{}}")),
        Arguments.of("CALL uri an array", frame(1, "{\"uri\":[\"u\"]}")),
        Arguments.of("PUB channel a number", frame(2, "{\"channel\":42}")),
        Arguments.of("SUB channel a number", frame(3, "{\"channel\":42}")),
        Arguments.of("UNSB channel a number", frame(4, "{\"channel\":42}")),
        Arguments.of("timeout a string", frame(1, "{\"uri\":\"u\",\"timeout\":\"1000000000\"}")),
        Arguments.of(
            "timeout a Go duration string", frame(1, "{\"uri\":\"u\",\"timeout\":\"1s\"}")),
        Arguments.of("timeout a fraction", frame(1, "{\"uri\":\"u\",\"timeout\":1.5}")),
        Arguments.of(
            "timeout with a zero fraction", frame(1, "{\"uri\":\"u\",\"timeout\":1000.0}")),
        Arguments.of("timeout a boolean", frame(1, "{\"uri\":\"u\",\"timeout\":true}")),
        Arguments.of("timeout 1e9", frame(1, "{\"uri\":\"u\",\"timeout\":1000000000e0}")),
        Arguments.of("timeout 5E9", frame(1, "{\"uri\":\"u\",\"timeout\":0.5E10}")),
        Arguments.of(
            "timeout above Long.MAX_VALUE",
            frame(1, "{\"uri\":\"u\",\"timeout\":9223372036854775808}")),
        Arguments.of(
            "timeout below Long.MIN_VALUE",
            frame(1, "{\"uri\":\"u\",\"timeout\":-9223372036854775809}")),
        Arguments.of(
            "timeout far too big",
            frame(1, "{\"uri\":\"u\",\"timeout\":123456789012345678901234567890}")),
        Arguments.of("SUB pattern a string", frame(3, "{\"channel\":\"c\",\"pattern\":\"true\"}")),
        Arguments.of("SUB pattern a number", frame(3, "{\"channel\":\"c\",\"pattern\":1}")),
        Arguments.of("SUB pattern an object", frame(3, "{\"channel\":\"c\",\"pattern\":{}}")),
        Arguments.of(
            "UNSB pattern a string", frame(4, "{\"channel\":\"c\",\"pattern\":\"false\"}")),
        Arguments.of("UNSB pattern a number", frame(4, "{\"channel\":\"c\",\"pattern\":0}")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("violations")
  void protocolViolationClosesWith1002(String description, String text) {
    ProtocolException e = assertThrows(ProtocolException.class, () -> decode(text));
    assertEquals(1002, e.closeCode());
    assertEquals(Protocol.CLOSE_PROTOCOL_ERROR, e.closeCode());
    assertNotEquals(null, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(longs = {0, 5, 6, 11, 12, 100, 255, 256, 257, 1000, -1, 4294967297L, Long.MAX_VALUE})
  void unknownTypeCodeIsAViolation(long code) {
    ProtocolException e =
        assertThrows(
            ProtocolException.class,
            () -> decode(frameWithMeta("{\"type\":" + code + ",\"uuid\":\"" + U1 + "\"}")));
    assertEquals(1002, e.closeCode());
  }

  @ParameterizedTest
  @ValueSource(ints = {7, 8, 9, 10})
  void serverOnlyTypeIsAViolation(int code) {
    ProtocolException e =
        assertThrows(
            ProtocolException.class,
            () -> decode(frame(code, "{\"for\":\"" + U2 + "\",\"for_type\":1,\"args\":null}")));
    assertEquals(1002, e.closeCode());
  }

  @Test
  void fractionalTypeIsAViolation() {
    for (String type : new String[] {"1.0", "1.5", "2.00", "4.0"}) {
      ProtocolException e =
          assertThrows(
              ProtocolException.class,
              () -> decode(frameWithMeta("{\"type\":" + type + ",\"uuid\":\"" + U1 + "\"}")));
      assertEquals(1002, e.closeCode(), type);
    }
  }

  @Test
  void everyClientTypeIsAccepted() throws Exception {
    for (int code = 1; code <= 4; code++) {
      Message m = decode(frame(code, "{}"));
      assertEquals(code, m.type().code());
      assertTrue(m.type().isClientMessage());
    }
  }

  // ------------------------------------------------------------------ encoding messages

  @Nested
  class Encoding {

    @Test
    void ackForCallHasExactLayout() {
      Ack a = new Ack(U2, U1, MessageType.CALL, "billing.invoice.total", null);
      assertEquals(
          "{\"meta\":{\"type\":8,\"uuid\":\""
              + U2
              + "\"},\"payload\":{\"for\":\""
              + U1
              + "\",\"for_type\":1,\"uri\":\"billing.invoice.total\"}}",
          JsonCodec.encode(a));
    }

    @Test
    void ackForPubHasExactLayout() {
      Ack a = new Ack(U2, U1, MessageType.PUB, null, "room.42");
      assertEquals(
          "{\"meta\":{\"type\":8,\"uuid\":\""
              + U2
              + "\"},\"payload\":{\"for\":\""
              + U1
              + "\",\"for_type\":2,\"channel\":\"room.42\"}}",
          JsonCodec.encode(a));
    }

    @Test
    void encodedMessageHasNoTrailingNewlineAndTwoTopLevelMembers() {
      String json = JsonCodec.encode(new Ack(U2, U1, MessageType.SUB, null, "c"));
      assertFalse(json.endsWith("\n"));
      JsonObject o = parse(json);
      assertEquals(Set.of("meta", "payload"), o.keySet());
      assertEquals(Set.of("type", "uuid"), o.getJsonObject("meta").keySet());
      assertEquals(8, o.getJsonObject("meta").getInt("type"));
      assertEquals(U2, o.getJsonObject("meta").getString("uuid"));
    }

    @ParameterizedTest
    @MethodSource("io.juggler.message.JsonCodecTest#clientTypes")
    void ackCarriesForAndForType(MessageType forType) {
      JsonObject p = payloadOf(JsonCodec.encode(new Ack(U2, U1, forType, null, null)));
      assertEquals(Set.of("for", "for_type"), p.keySet());
      assertEquals(U1, p.getString("for"));
      assertInstanceOf(JsonNumber.class, p.get("for_type"));
      assertTrue(p.getJsonNumber("for_type").isIntegral());
      assertEquals(forType.code(), p.getInt("for_type"));
    }

    @Test
    void ackOmitsEmptyOrNullUriAndChannel() {
      assertEquals(
          Set.of("for", "for_type"),
          payloadOf(JsonCodec.encode(new Ack(U2, U1, MessageType.CALL, "", ""))).keySet());
      assertEquals(
          Set.of("for", "for_type"),
          payloadOf(JsonCodec.encode(new Ack(U2, U1, MessageType.PUB, null, null))).keySet());
      JsonObject both = payloadOf(JsonCodec.encode(new Ack(U2, U1, MessageType.CALL, "u", "c")));
      assertEquals(Set.of("for", "for_type", "uri", "channel"), both.keySet());
    }

    @Test
    void nackHasForForTypeUriCodeAndMessage() {
      String json =
          JsonCodec.encode(
              new Nack(
                  U2, U1, MessageType.CALL, "reports.build", null, 500, "list capacity exceeded"));
      assertEquals(
          "{\"meta\":{\"type\":7,\"uuid\":\""
              + U2
              + "\"},\"payload\":{\"for\":\""
              + U1
              + "\",\"for_type\":1,\"uri\":\"reports.build\",\"code\":500,"
              + "\"message\":\"list capacity exceeded\"}}",
          json);
      JsonObject o = parse(json);
      assertEquals(7, o.getJsonObject("meta").getInt("type"));
      JsonObject p = o.getJsonObject("payload");
      assertEquals(Set.of("for", "for_type", "uri", "code", "message"), p.keySet());
      assertEquals(JsonValue.ValueType.NUMBER, p.get("code").getValueType());
      assertEquals(500, p.getInt("code"));
      assertEquals(JsonValue.ValueType.STRING, p.get("message").getValueType());
    }

    @Test
    void nackForChannelRequestCarriesChannel() {
      JsonObject p =
          payloadOf(
              JsonCodec.encode(
                  new Nack(U2, U1, MessageType.SUB, null, "room.*", 403, "forbidden")));
      assertEquals(Set.of("for", "for_type", "channel", "code", "message"), p.keySet());
      assertEquals("room.*", p.getString("channel"));
      assertEquals(3, p.getInt("for_type"));
      assertEquals(403, p.getInt("code"));
      assertEquals("forbidden", p.getString("message"));
    }

    @Test
    void nackOmitsEmptyUriAndChannelButKeepsCodeAndMessage() {
      JsonObject p =
          payloadOf(JsonCodec.encode(new Nack(U2, U1, MessageType.PUB, "", null, 500, "")));
      assertEquals(Set.of("for", "for_type", "code", "message"), p.keySet());
      assertEquals("", p.getString("message"));
    }

    @Test
    void resHasExactLayout() {
      Res r = new Res(U2, U1, "billing.invoice.total", RawJson.of("{\"total\":\"118.40\"}"));
      assertEquals(
          "{\"meta\":{\"type\":9,\"uuid\":\""
              + U2
              + "\"},\"payload\":{\"for\":\""
              + U1
              + "\",\"uri\":\"billing.invoice.total\",\"args\":{\"total\":\"118.40\"}}}",
          JsonCodec.encode(r));
    }

    @Test
    void resHasNoForTypeAndOmitsEmptyUri() {
      JsonObject p = payloadOf(JsonCodec.encode(new Res(U2, U1, "", RawJson.of("[1,2]"))));
      assertEquals(Set.of("for", "args"), p.keySet());
      assertEquals(parseValue("[1,2]"), p.get("args"));
      assertEquals(
          Set.of("for", "args"),
          payloadOf(JsonCodec.encode(new Res(U2, U1, null, RawJson.of("1")))).keySet());
    }

    @Test
    void resWithNullArgsSendsJsonNull() {
      for (RawJson args : new RawJson[] {null, RawJson.NULL}) {
        String json = JsonCodec.encode(new Res(U2, U1, "u", args));
        JsonObject p = payloadOf(json);
        assertTrue(p.containsKey("args"));
        assertEquals(JsonValue.NULL, p.get("args"));
        assertTrue(json.contains("\"args\":null"));
      }
    }

    @Test
    void evntHasExactLayout() {
      Evnt e = new Evnt(U2, U1, "room.42", "room.*", RawJson.of("{\"text\":\"hi all\"}"));
      assertEquals(
          "{\"meta\":{\"type\":10,\"uuid\":\""
              + U2
              + "\"},\"payload\":{\"for\":\""
              + U1
              + "\",\"channel\":\"room.42\",\"pattern\":\"room.*\",\"args\":{\"text\":\"hi"
              + " all\"}}}",
          JsonCodec.encode(e));
    }

    @Test
    void sharedTailWithOwnUuidEqualsWholeEncoding() {
      Evnt template = new Evnt("", U1, "room.42", "room.*", RawJson.of("{\"n\":\"\\u00e9\"}"));
      String tail = JsonCodec.encodeTail(template);
      for (String uuid : new String[] {U1, U2}) {
        assertEquals(
            JsonCodec.encode(new Evnt(uuid, U1, "room.42", "room.*", template.args())),
            JsonCodec.encode(MessageType.EVNT, uuid, tail));
      }
      Ack ack = new Ack(U2, U1, MessageType.PUB, null, "c");
      assertEquals(
          JsonCodec.encode(ack), JsonCodec.encode(MessageType.ACK, U2, JsonCodec.encodeTail(ack)));
    }

    @Test
    void evntOmitsPatternForExactSubscriptionAndEmptyChannel() {
      assertEquals(
          Set.of("for", "channel", "args"),
          payloadOf(JsonCodec.encode(new Evnt(U2, U1, "room.42", null, RawJson.of("1")))).keySet());
      assertEquals(
          Set.of("for", "channel", "args"),
          payloadOf(JsonCodec.encode(new Evnt(U2, U1, "room.42", "", RawJson.of("1")))).keySet());
      assertEquals(
          Set.of("for", "args"),
          payloadOf(JsonCodec.encode(new Evnt(U2, U1, "", null, RawJson.of("1")))).keySet());
    }

    @Test
    void evntWithNullArgsSendsJsonNull() {
      JsonObject o = parse(JsonCodec.encode(new Evnt(U2, U1, "c", null, null)));
      assertEquals(10, o.getJsonObject("meta").getInt("type"));
      assertEquals(JsonValue.NULL, o.getJsonObject("payload").get("args"));
    }

    @Test
    void callEncodesAsTheClientSendsIt() throws Exception {
      Call c = new Call(U1, "billing.invoice.total", 3_000_000_000L, RawJson.of("{\"a\":[1]}"));
      JsonObject o = parse(JsonCodec.encode(c));
      assertEquals(1, o.getJsonObject("meta").getInt("type"));
      JsonObject p = o.getJsonObject("payload");
      assertEquals(Set.of("uri", "timeout", "args"), p.keySet());
      assertEquals("billing.invoice.total", p.getString("uri"));
      assertEquals(3_000_000_000L, p.getJsonNumber("timeout").longValueExact());
      assertEquals(parse("{\"a\":[1]}"), p.get("args"));
      assertEquals(c, decode(JsonCodec.encode(c)));
    }

    @ParameterizedTest
    @MethodSource("io.juggler.message.JsonCodecTest#clientMessages")
    void clientMessagesRoundTrip(Message m) throws Exception {
      String json = JsonCodec.encode(m);
      assertEquals(m.type().code(), parse(json).getJsonObject("meta").getInt("type"));
      assertEquals(m, decode(json));
    }

    @Test
    void pubSubAndUnsbHaveChannelAndPattern() {
      JsonObject pub = payloadOf(JsonCodec.encode(new Pub(U1, "room.42", RawJson.of("\"x\""))));
      assertEquals(Set.of("channel", "args"), pub.keySet());
      assertEquals("x", pub.getString("args"));
      JsonObject sub = payloadOf(JsonCodec.encode(new Sub(U1, "room.*", true)));
      assertEquals(Set.of("channel", "pattern"), sub.keySet());
      assertEquals(JsonValue.TRUE, sub.get("pattern"));
      JsonObject unsb = payloadOf(JsonCodec.encode(new Unsb(U1, "room.*", false)));
      assertEquals(JsonValue.FALSE, unsb.get("pattern"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "plain",
          "",
          "quote \" inside",
          "back\\slash and \\\" both",
          "ctl \u0000 \u0001 \b \f \n \r \t \u001f \u007f end",
          "html <script>alert('&amp;')</script>",
          "emoji 😀 and 👍🏽 and 𝄞",
          "unicode é 中文 \u2028 \u2029 \uFEFF",
          "slash / and // and </"
        })
    void stringsEncodeToValidJsonThatDecodesToTheSameText(String text) {
      String[] jsons = {
        JsonCodec.encode(new Ack(U2, U1, MessageType.CALL, text, null)),
        JsonCodec.encode(new Nack(U2, U1, MessageType.PUB, null, text, 500, text)),
        JsonCodec.encode(new Evnt(U2, U1, text, text, RawJson.string(text))),
        JsonCodec.encode(new Res(U2, U1, text, RawJson.string(text)))
      };
      for (String json : jsons) {
        assertWellFormedUtf16(json);
        assertFalse(json.chars().anyMatch(ch -> ch < 0x20), () -> "raw control char in " + json);
        assertFalse(json.contains("<") || json.contains(">") || json.contains("&"), json);
        JsonObject p = payloadOf(json);
        for (String member : new String[] {"uri", "channel", "pattern", "message"}) {
          if (p.containsKey(member)) {
            assertEquals(text, p.getString(member), member);
          }
        }
      }
      assertEquals(text, ((JsonString) payloadOf(jsons[2]).get("args")).getString());
      if (!text.isEmpty()) {
        assertEquals(text, payloadOf(jsons[0]).getString("uri"));
      }
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"\uD800", "a\uD83Db", "x\uDE00", "end \uD83D", "\uDE00\uD83D", "ok 😀 \uDFFF"})
    void loneSurrogateIsEscaped(String text) {
      String json = JsonCodec.encode(new Nack(U2, U1, MessageType.CALL, text, null, 500, text));
      assertWellFormedUtf16(json);
      JsonObject p = payloadOf(json);
      assertEquals(text, p.getString("uri"));
      assertEquals(text, p.getString("message"));
      String lower = json.toLowerCase(Locale.ROOT);
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        boolean paired =
            Character.isHighSurrogate(c)
                    && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1))
                || Character.isLowSurrogate(c)
                    && i > 0
                    && Character.isHighSurrogate(text.charAt(i - 1));
        if (Character.isSurrogate(c) && !paired) {
          String escape = String.format("\\u%04x", (int) c);
          assertTrue(lower.contains(escape), () -> "no " + escape + " in " + json);
        }
      }
      String asUtf8 = new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      assertEquals(json, asUtf8);
    }

    @Test
    void rawJsonStringEscapesLikeTheEncoder() {
      String text = "a\"b\\c\n<&> 😀 \uD800";
      RawJson r = RawJson.string(text);
      assertWellFormedUtf16(r.json());
      assertEquals(text, ((JsonString) parseValue(r.json())).getString());
      assertEquals("\"\\u003cp\\u003e\"", RawJson.string("<p>").json());
      assertEquals("\"a\\\"b\"", RawJson.string("a\"b").json());
    }
  }

  /** Both absent, or both the same JSON value (escapes and whitespace may differ). */
  private static void assertSameJson(RawJson expected, RawJson actual) {
    if (expected == null) {
      assertNull(actual);
    } else {
      assertEquals(parseValue(expected.json()), parseValue(actual.json()));
      assertEquals(expected.isNull(), actual.isNull());
    }
  }

  private static void assertWellFormedUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        assertTrue(
            i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1)),
            () -> "unpaired high surrogate in " + s);
        i++;
      } else {
        assertFalse(Character.isLowSurrogate(c), () -> "unpaired low surrogate in " + s);
      }
    }
  }

  static Stream<MessageType> clientTypes() {
    return Stream.of(MessageType.CALL, MessageType.PUB, MessageType.SUB, MessageType.UNSB);
  }

  static Stream<Message> clientMessages() {
    return Stream.of(
        new Call(U1, "u", 0, null),
        new Call(U1, "", Long.MAX_VALUE, RawJson.NULL),
        new Call(U1, "a \"quoted\" <uri>", -1, RawJson.of("[1,{\"b\":null}]")),
        new Pub(U1, "room.42", RawJson.of("{\"text\":\"hi\"}")),
        new Pub(U1, "", null),
        new Pub(U1, "c", RawJson.NULL),
        new Sub(U1, "room.*", true),
        new Sub(U1, "room.1", false),
        new Unsb(U1, "room.*", true),
        new Unsb(U1, "", false));
  }

  // ------------------------------------------------------------------ Ack.of / Nack.of

  static Stream<Arguments> requests() {
    return Stream.of(
        Arguments.of(new Call(U1, "billing.total", 5, RawJson.of("{}")), "billing.total", null),
        Arguments.of(new Pub(U1, "room.42", RawJson.of("1")), null, "room.42"),
        Arguments.of(new Sub(U1, "room.*", true), null, "room.*"),
        Arguments.of(new Unsb(U1, "room.1", false), null, "room.1"));
  }

  @ParameterizedTest
  @MethodSource("requests")
  void ackOfCopiesTheRequestIdentity(Message request, String uri, String channel) {
    Ack a = Ack.of(request);
    assertEquals(MessageType.ACK, a.type());
    assertEquals(U1, a.forUuid());
    assertEquals(request.type(), a.forType());
    assertEquals(uri, a.uri());
    assertEquals(channel, a.channel());
    assertFreshUuid(a.uuid());
    assertNotEquals(U1, a.uuid());
    assertNotEquals(a.uuid(), Ack.of(request).uuid());
  }

  @ParameterizedTest
  @MethodSource("requests")
  void nackOfCopiesTheRequestIdentityWithCodeAndMessage(
      Message request, String uri, String channel) {
    Nack n = Nack.of(request, 503, "redis unavailable");
    assertEquals(MessageType.NACK, n.type());
    assertEquals(U1, n.forUuid());
    assertEquals(request.type(), n.forType());
    assertEquals(uri, n.uri());
    assertEquals(channel, n.channel());
    assertEquals(503, n.code());
    assertEquals("redis unavailable", n.message());
    assertFreshUuid(n.uuid());
    assertNotEquals(n.uuid(), Nack.of(request, 503, "x").uuid());
  }

  @ParameterizedTest
  @MethodSource("requests")
  void ackOfEncodesTheSpecLayout(Message request, String uri, String channel) {
    JsonObject o = parse(JsonCodec.encode(Ack.of(request)));
    assertEquals(8, o.getJsonObject("meta").getInt("type"));
    assertFreshUuid(o.getJsonObject("meta").getString("uuid"));
    JsonObject p = o.getJsonObject("payload");
    assertEquals(U1, p.getString("for"));
    assertEquals(request.type().code(), p.getInt("for_type"));
    assertEquals(uri, p.containsKey("uri") ? p.getString("uri") : null);
    assertEquals(channel, p.containsKey("channel") ? p.getString("channel") : null);
  }

  @Test
  void ackOfRequestWithEmptyUriOrChannelOmitsIt() {
    assertEquals(
        Set.of("for", "for_type"),
        payloadOf(JsonCodec.encode(Ack.of(new Call(U1, "", 0, null)))).keySet());
    assertEquals(
        Set.of("for", "for_type", "code", "message"),
        payloadOf(JsonCodec.encode(Nack.of(new Pub(U1, "", null), 500, "boom"))).keySet());
  }

  // ------------------------------------------------------------------ Redis payloads

  @Nested
  class RedisPayloads {

    private static final String K = "1d3f5a7c-9e0b-4c2d-8f4a-6b8d0f2a4c6e";

    @Test
    void callPayloadHasTheFourMembers() {
      String json =
          JsonCodec.encodeCallPayload(
              new CallPayload(
                  K, U1, "billing.invoice.total", RawJson.of("{\"invoice\":\"INV-88\"}")));
      assertEquals(
          "{\"conn_uuid\":\""
              + K
              + "\",\"msg_uuid\":\""
              + U1
              + "\",\"uri\":\"billing.invoice.total\",\"args\":{\"invoice\":\"INV-88\"}}",
          json);
    }

    @Test
    void callPayloadOmitsArgsWhenNullButKeepsJsonNull() {
      JsonObject absent = parse(JsonCodec.encodeCallPayload(new CallPayload(K, U1, "u", null)));
      assertEquals(Set.of("conn_uuid", "msg_uuid", "uri"), absent.keySet());
      JsonObject explicit =
          parse(JsonCodec.encodeCallPayload(new CallPayload(K, U1, "u", RawJson.NULL)));
      assertEquals(Set.of("conn_uuid", "msg_uuid", "uri", "args"), explicit.keySet());
      assertEquals(JsonValue.NULL, explicit.get("args"));
    }

    static Stream<CallPayload> callPayloads() {
      return Stream.of(
          new CallPayload(K, U1, "billing.invoice.total", RawJson.of("{\"a\":[1,2,{\"b\":null}]}")),
          new CallPayload(K, U1, "u", RawJson.of("{\"error\":{\"message\":\"not found\"}}")),
          new CallPayload(K, U1, "u", RawJson.NULL),
          new CallPayload(K, U1, "u", null),
          new CallPayload(K, U1, "", RawJson.of("\"text\"")),
          new CallPayload("", "", "", null),
          new CallPayload(K, U1, "weird \"uri\" {tag} <&> 😀", RawJson.string("\u0001\n")));
    }

    @ParameterizedTest
    @MethodSource("callPayloads")
    void callPayloadRoundTrips(CallPayload p) {
      CallPayload back = JsonCodec.decodeCallPayload(JsonCodec.encodeCallPayload(p));
      assertEquals(p.connUuid(), back.connUuid());
      assertEquals(p.msgUuid(), back.msgUuid());
      assertEquals(p.uri(), back.uri());
      assertSameJson(p.args(), back.args());
    }

    @Test
    void nullArgsDecodeAsRawNullAndAbsentArgsAsNull() {
      assertSame(
          RawJson.NULL,
          JsonCodec.decodeCallPayload(
                  "{\"conn_uuid\":\"k\",\"msg_uuid\":\"m\",\"uri\":\"u\",\"args\":null}")
              .args());
      assertNull(
          JsonCodec.decodeCallPayload("{\"conn_uuid\":\"k\",\"msg_uuid\":\"m\",\"uri\":\"u\"}")
              .args());
    }

    @Test
    void callPayloadDecodingIgnoresCaseOfMemberNames() {
      CallPayload p =
          JsonCodec.decodeCallPayload(
              "{\"CONN_UUID\":\""
                  + K
                  + "\",\"Msg_Uuid\":\""
                  + U1
                  + "\",\"URI\":\"u\",\"Args\":[1]}");
      assertEquals(new CallPayload(K, U1, "u", RawJson.of("[1]")), p);
    }

    @Test
    void callPayloadDecodingIgnoresUnknownMembers() {
      CallPayload p =
          JsonCodec.decodeCallPayload(
              "{\"deadline\":1700000000000,\"conn_uuid\":\"k\",\"extra\":{\"x\":[1]},"
                  + "\"msg_uuid\":\"m\",\"uri\":\"u\",\"args\":{\"v\":1},\"v\":2}");
      assertEquals(new CallPayload("k", "m", "u", RawJson.of("{\"v\":1}")), p);
    }

    @Test
    void missingStringsDecodeAsEmpty() {
      assertEquals(new CallPayload("", "", "", null), JsonCodec.decodeCallPayload("{}"));
      assertEquals(
          new CallPayload("k", "", "", RawJson.of("1")),
          JsonCodec.decodeCallPayload("{\"conn_uuid\":\"k\",\"args\":1}"));
      assertEquals(
          new CallPayload("", "m", "", null),
          JsonCodec.decodeCallPayload("{\"conn_uuid\":null,\"msg_uuid\":\"m\",\"uri\":null}"));
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "not json",
          "",
          "{\"conn_uuid\":\"k\"",
          "{conn_uuid:\"k\"}",
          "[]",
          "[{\"conn_uuid\":\"k\"}]",
          "\"{}\"",
          "null",
          "42",
          "true",
          "{\"conn_uuid\":5}",
          "{\"conn_uuid\":true}",
          "{\"conn_uuid\":{}}",
          "{\"conn_uuid\":[\"k\"]}",
          "{\"msg_uuid\":7}",
          "{\"uri\":false}"
        })
    void malformedCallPayloadIsInvalid(String text) {
      assertThrows(InvalidPayloadException.class, () -> JsonCodec.decodeCallPayload(text));
    }

    @Test
    void pubPayloadHasMsgUuidAndArgs() {
      assertEquals(
          "{\"msg_uuid\":\"" + U1 + "\",\"args\":{\"text\":\"hi all\"}}",
          JsonCodec.encodePubPayload(new PubPayload(U1, RawJson.of("{\"text\":\"hi all\"}"))));
      assertEquals(
          "{\"msg_uuid\":\"" + U1 + "\"}", JsonCodec.encodePubPayload(new PubPayload(U1, null)));
      assertEquals(
          "{\"msg_uuid\":\"" + U1 + "\",\"args\":null}",
          JsonCodec.encodePubPayload(new PubPayload(U1, RawJson.NULL)));
    }

    @ParameterizedTest
    @MethodSource("pubPayloads")
    void pubPayloadRoundTrips(PubPayload p) {
      PubPayload back = JsonCodec.decodePubPayload(JsonCodec.encodePubPayload(p));
      assertEquals(p.msgUuid(), back.msgUuid());
      assertSameJson(p.args(), back.args());
    }

    static Stream<PubPayload> pubPayloads() {
      return Stream.of(
          new PubPayload(U1, RawJson.of("{\"text\":\"hi all\",\"from\":\"ana\"}")),
          new PubPayload(U1, RawJson.of("[true,false]")),
          new PubPayload(U1, RawJson.NULL),
          new PubPayload(U1, null),
          new PubPayload("", RawJson.string("quote \" <&> 😀")));
    }

    @Test
    void emptyPubPayloadHasEmptyUuidAndNoArgs() {
      assertEquals(new PubPayload("", null), JsonCodec.decodePubPayload("{}"));
    }

    @Test
    void pubPayloadDecodingIsLenient() {
      assertEquals(
          new PubPayload("m", RawJson.of("1")),
          JsonCodec.decodePubPayload("{\"MSG_UUID\":\"m\",\"ARGS\":1,\"other\":[]}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nope", "", "[]", "\"s\"", "{\"msg_uuid\":1}", "{\"msg_uuid\":\"m\""})
    void malformedPubPayloadIsInvalid(String text) {
      assertThrows(InvalidPayloadException.class, () -> JsonCodec.decodePubPayload(text));
    }
  }
}
