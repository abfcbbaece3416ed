package io.juggler.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.testing.Frames;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * The rule of spec section 4 for the decoding step, checked over thousands of generated frames:
 * whatever a client sends, {@link JsonCodec#decodeRequest} returns a request or throws a {@link
 * ProtocolException} with a close code of the protocol, never anything else (a parser crash would
 * leave the frame unanswered). Frames are random text, structurally valid requests with values of
 * every type in every member, truncations and byte flips of valid requests, and deeply nested
 * arguments.
 */
@Tag("property")
class JsonCodecPropertiesTest {

  private static final List<Integer> CLOSE_CODES = List.of(1002, 1003, 1007, 1008, 1009);

  @Property(tries = 3000)
  void anyTextIsARequestOrAViolation(@ForAll("frames") String frame) {
    try {
      Message m = JsonCodec.decodeRequest(frame);
      assertTrue(m.type().isClientMessage(), () -> "decoded " + m);
    } catch (ProtocolException e) {
      assertTrue(CLOSE_CODES.contains(e.closeCode()), () -> "close code " + e.closeCode());
    }
  }

  @Property(tries = 200)
  void argsNestedAnyDepthAreARequestOrAViolation(
      @ForAll("depths") int depth, @ForAll("types") int type) {
    String args = "[".repeat(depth) + "]".repeat(depth);
    String frame =
        "{\"meta\":{\"type\":"
            + type
            + ",\"uuid\":\"3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e\"},\"payload\":{\"uri\":\"u\","
            + "\"channel\":\"c\",\"args\":"
            + args
            + "}}";
    try {
      Message m = JsonCodec.decodeRequest(frame);
      assertEquals(type, m.type().code());
    } catch (ProtocolException e) {
      assertEquals(1002, e.closeCode(), e.getMessage());
    }
  }

  @Provide
  Arbitrary<Integer> depths() {
    return Arbitraries.oneOf(
        Arbitraries.integers().between(1, 100),
        Arbitraries.integers().between(990, 1010),
        Arbitraries.integers().between(1011, 20_000));
  }

  @Provide
  Arbitrary<Integer> types() {
    return Arbitraries.of(1, 2, 3, 4);
  }

  @Provide
  Arbitrary<String> frames() {
    return Frames.any();
  }

  @Property(tries = 10)
  void aValidCallStaysACall(@ForAll("depths") int ignored) throws Exception {
    Message m =
        JsonCodec.decodeRequest(
            "{\"meta\":{\"type\":1,\"uuid\":\"3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e\"},"
                + "\"payload\":{\"uri\":\"u\",\"timeout\":1,\"args\":[1]}}");
    assertInstanceOf(Call.class, m);
  }
}
