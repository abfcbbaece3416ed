package io.juggler.server;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.auth.AccessRules;
import io.juggler.auth.AuthMode;
import io.juggler.auth.AuthSettings;
import io.juggler.auth.Identity;
import io.juggler.message.Call;
import io.juggler.message.Caller;
import io.juggler.message.Message;
import io.juggler.message.Pub;
import io.juggler.message.Sub;
import io.juggler.message.Unsb;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AuthorizationTest {

  static final AccessRules RULES =
      AccessRules.parse(
          "CALL billing.* role:billing; CALL,PUB,SUB public.* anyone;"
              + " SUB user.{name}.* authenticated; SUB * role:admin");
  static final Identity ALICE = new Identity("alice", Set.of("user"), 0);
  static final Identity BOB = new Identity("bob", Set.of("billing"), 0);
  static final Identity ROOT = new Identity("root", Set.of("admin"), 0);

  final List<String> refused = new ArrayList<>();
  final Authorization authorization =
      new Authorization(
          RULES,
          new ServerCounters() {
            @Override
            public void authRefused(String action) {
              refused.add(action);
            }
          });

  Connection as(Identity id) {
    return new FakeSession().connection(16, 1 << 20, id);
  }

  int refusal(Identity id, Message m) {
    return assertThrows(RequestRefusedException.class, () -> authorization.admit(as(id), m)).code();
  }

  void allowed(Identity id, Message m) {
    assertDoesNotThrow(() -> authorization.admit(as(id), m), id + " " + m);
  }

  static Call call(String uri) {
    return new Call("c1", uri, 1_000_000_000L, null);
  }

  @Test
  void rolesDecideWhoMayCall() {
    allowed(BOB, call("billing.total"));
    assertEquals(403, refusal(ALICE, call("billing.total")));
    assertEquals(401, refusal(Identity.ANONYMOUS, call("billing.total")));
    assertEquals(403, refusal(BOB, call("unlisted.uri")), "no rule matches: refused");
    assertEquals(List.of("CALL", "CALL", "CALL"), refused);
  }

  @Test
  void eachUserHearsOnlyTheirOwnChannels() {
    allowed(ALICE, new Sub("s", "user.alice.inbox", false));
    assertEquals(403, refusal(ALICE, new Sub("s", "user.bob.inbox", false)));
    allowed(ALICE, new Sub("s", "user.alice.*", true));
    assertEquals(403, refusal(ALICE, new Sub("s", "user.*", true)));
    assertEquals(403, refusal(ALICE, new Sub("s", "*", true)));
    assertEquals(401, refusal(Identity.ANONYMOUS, new Sub("s", "user..inbox", false)));
    allowed(ROOT, new Sub("s", "*", true));
  }

  @Test
  void publishingFollowsThePubRules() {
    allowed(Identity.ANONYMOUS, new Pub("p", "public.news", null));
    assertEquals(401, refusal(Identity.ANONYMOUS, new Pub("p", "user.alice.inbox", null)));
    assertEquals(List.of("PUB"), refused);
  }

  @Test
  void unsubscribingIsNeverRefused() {
    allowed(Identity.ANONYMOUS, new Unsb("u", "user.bob.inbox", false));
    assertTrue(refused.isEmpty());
  }

  @Test
  void withoutRulesEverythingIsAllowed() {
    Authorization open = new Authorization(AccessRules.NONE, ServerCounters.NONE);
    assertDoesNotThrow(() -> open.admit(as(Identity.ANONYMOUS), new Sub("s", "*", true)));
  }

  @Test
  void authenticatedCallsCarryTheirCallerAnonymousOnesNone() {
    Connection alice = as(ALICE);
    Caller c = ResultRouter.caller(alice);
    assertEquals("alice", c.name());
    assertEquals(List.of("user"), c.roles());
    assertEquals(alice.id(), c.conn());
    assertNull(ResultRouter.caller(as(Identity.ANONYMOUS)));
  }

  @Test
  void theStartUpWarningSaysWhatIsOpenToAnonymousClients() {
    String none = JugglerServer.openToAnonymous(AuthSettings.NONE);
    assertTrue(none.contains("call every URI and hear every channel"), none);
    String some =
        JugglerServer.openToAnonymous(
            new AuthSettings(AuthMode.OPTIONAL, RULES, Optional.empty(), "Bearer", false));
    assertTrue(some.contains("CALL,PUB,SUB public.* anyone"), some);
    assertNull(
        JugglerServer.openToAnonymous(
            new AuthSettings(
                AuthMode.REQUIRED, AccessRules.NONE, Optional.empty(), "Bearer", false)));
    assertNull(
        JugglerServer.openToAnonymous(
            new AuthSettings(
                AuthMode.OPTIONAL,
                AccessRules.parse("CALL x authenticated"),
                Optional.empty(),
                "Bearer",
                false)));
  }
}
