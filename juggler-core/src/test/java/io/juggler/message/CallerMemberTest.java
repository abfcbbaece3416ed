package io.juggler.message;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional {@code caller} member of a stored call (docs/protocol-choices.md). */
class CallerMemberTest {

  @Test
  void aCallerIsStoredAfterTheFourReferenceMembersAndReadBack() {
    CallPayload p =
        new CallPayload(
            "c1",
            "m1",
            "billing.total",
            RawJson.of("[1]"),
            new Caller("al\"ice", List.of("user", "billing"), "x9"));
    String json = JsonCodec.encodeCallPayload(p);
    assertEquals(
        "{\"conn_uuid\":\"c1\",\"msg_uuid\":\"m1\",\"uri\":\"billing.total\",\"args\":[1],"
            + "\"caller\":{\"name\":\"al\\\"ice\",\"roles\":[\"user\",\"billing\"],\"conn\":\"x9\"}}",
        json);
    assertEquals(p, JsonCodec.decodeCallPayload(json));
  }

  @Test
  void withoutACallerThePayloadIsTheReferencesLayout() {
    String json = JsonCodec.encodeCallPayload(new CallPayload("c1", "m1", "u", null));
    assertEquals("{\"conn_uuid\":\"c1\",\"msg_uuid\":\"m1\",\"uri\":\"u\"}", json);
    assertNull(JsonCodec.decodeCallPayload(json).caller());
  }

  @Test
  void aMalformedCallerIsNoCaller() {
    for (String caller :
        List.of("\"alice\"", "{}", "{\"name\":\"\"}", "{\"name\":7}", "null", "[\"alice\"]")) {
      String json =
          "{\"conn_uuid\":\"c\",\"msg_uuid\":\"m\",\"uri\":\"u\",\"caller\":" + caller + "}";
      assertNull(JsonCodec.decodeCallPayload(json).caller(), caller);
    }
  }

  @Test
  void oddRolesAreSkippedAndAMissingConnIsEmpty() {
    String json =
        "{\"conn_uuid\":\"c\",\"msg_uuid\":\"m\",\"uri\":\"u\",\"caller\":{\"name\":\"bob\",\"roles\":[\"a\",3,null,\"b\"]}}";
    assertEquals(
        new Caller("bob", List.of("a", "b"), ""), JsonCodec.decodeCallPayload(json).caller());
  }
}
