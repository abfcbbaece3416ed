package io.juggler.auth;

import static io.juggler.auth.AccessRules.Action.CALL;
import static io.juggler.auth.AccessRules.Action.PUB;
import static io.juggler.auth.AccessRules.Action.SUB;
import static io.juggler.auth.AccessRules.Decision.ALLOW;
import static io.juggler.auth.AccessRules.Decision.DENY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class AccessRulesTest {

  static final Identity ALICE = new Identity("alice", Set.of("billing"), 0);
  static final Identity BOB = new Identity("bob", Set.of(), 0);
  static final Identity ADMIN = new Identity("root", Set.of("admin"), 0);
  static final Identity ANON = Identity.ANONYMOUS;

  static final AccessRules RULES =
      AccessRules.parse(
          "CALL billing.* role:billing;"
              + " CALL test.* anyone;"
              + " SUB,PUB user.{name}.* authenticated;"
              + " SUB news.secret.* role:admin;"
              + " SUB news.* anyone;"
              + " PUB news.* role:admin;"
              + " SUB * role:admin");

  @Test
  void withoutRulesEverythingIsAllowed() {
    AccessRules none = AccessRules.parse("  ");
    assertTrue(none.isEmpty());
    assertEquals(ALLOW, none.check(CALL, "anything", ANON));
    assertEquals(ALLOW, none.checkPattern("*", ANON));
  }

  @Test
  void theFirstMatchingRuleDecidesAndNoMatchIsRefused() {
    assertEquals(ALLOW, RULES.check(CALL, "billing.invoice.total", ALICE));
    assertEquals(DENY, RULES.check(CALL, "billing.invoice.total", BOB));
    assertEquals(DENY, RULES.check(CALL, "billing.invoice.total", ANON));
    assertEquals(ALLOW, RULES.check(CALL, "test.echo", ANON));
    assertEquals(DENY, RULES.check(CALL, "other.uri", ADMIN), "no rule matches");
    assertEquals(DENY, RULES.check(PUB, "news.today", ALICE), "PUB news.* is for admins");
    assertEquals(ALLOW, RULES.check(PUB, "news.today", ADMIN));
  }

  @Test
  void eachUserHasOnlyTheirOwnChannels() {
    assertEquals(ALLOW, RULES.check(SUB, "user.alice.inbox", ALICE));
    assertEquals(DENY, RULES.check(SUB, "user.alice.inbox", BOB));
    assertEquals(DENY, RULES.check(SUB, "user.alice.inbox", ANON));
    assertEquals(ALLOW, RULES.check(PUB, "user.bob.x", BOB));
    Identity sneaky = new Identity("*", Set.of(), 0);
    assertEquals(DENY, RULES.check(SUB, "user.alice.inbox", sneaky), "a name is not a wildcard");
  }

  /**
   * Third hardening round, item 6: with {@code user.{name}.*}, user {@code john.smith}'s channels
   * would lie inside user {@code john}'s. A name holding the rule's separator gets nothing from the
   * rule, so every channel under {@code user.john.} is john's alone.
   */
  @Test
  void aNameHoldingTheSeparatorNextToNameGetsNothingFromTheRule() {
    Identity john = new Identity("john", Set.of(), 0);
    Identity johnSmith = new Identity("john.smith", Set.of(), 0);
    assertEquals(ALLOW, RULES.check(SUB, "user.john.inbox", john));
    assertEquals(DENY, RULES.check(SUB, "user.john.smith.inbox", johnSmith));
    assertEquals(DENY, RULES.check(PUB, "user.john.smith.inbox", johnSmith));
    assertEquals(DENY, RULES.checkPattern("user.john.smith.*", johnSmith));
    AccessRules colons = AccessRules.parse("SUB user:{name}:* authenticated");
    assertEquals(ALLOW, colons.check(SUB, "user:john.smith:inbox", johnSmith));
    assertEquals(DENY, colons.check(SUB, "user:a:b:inbox", new Identity("a:b", Set.of(), 0)));
    AccessRules both = AccessRules.parse("SUB inbox/{name}.events authenticated");
    assertEquals(DENY, both.check(SUB, "inbox/a/b.events", new Identity("a/b", Set.of(), 0)));
    assertEquals(ALLOW, both.check(SUB, "inbox/john.events", john));
  }

  @Test
  void nameNextToAWildcardIsRefusedAtParse() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> AccessRules.parse("SUB user.{name}* authenticated"));
    assertTrue(e.getMessage().contains("user.{name}*"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> AccessRules.parse("SUB *{name}.x authenticated"));
  }

  @Test
  void aPatternIsAllowedOnlyWhenEveryChannelItCanMatchIs() {
    assertEquals(ALLOW, RULES.checkPattern("user.alice.*", ALICE));
    assertEquals(DENY, RULES.checkPattern("user.*", ALICE), "other users' channels");
    assertEquals(DENY, RULES.checkPattern("*", ALICE));
    assertEquals(ALLOW, RULES.checkPattern("*", ADMIN));
    assertEquals(ALLOW, RULES.checkPattern("news.sport.*", BOB));
    assertEquals(DENY, RULES.checkPattern("news.*", BOB), "news.secret.* is within it");
    assertEquals(ALLOW, RULES.checkPattern("news.*", ADMIN));
    assertEquals(DENY, RULES.checkPattern("news.secret.?", BOB));
    assertEquals(ALLOW, RULES.checkPattern("news.today", BOB), "no wildcard: one channel");
  }

  @Test
  void badRulesNameThemselves() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> AccessRules.parse("CALL x.*"));
    assertTrue(e.getMessage().contains("CALL x.*"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> AccessRules.parse("GET x.* anyone"));
    assertThrows(IllegalArgumentException.class, () -> AccessRules.parse("CALL x.* everybody"));
    assertThrows(IllegalArgumentException.class, () -> AccessRules.parse("CALL x.* role:"));
  }

  @Test
  void globsMatchAnyRunOfCharacters() {
    assertTrue(AccessRules.Glob.matches("a.*.c", "a.b.b.c"));
    assertTrue(AccessRules.Glob.matches("*", ""));
    assertTrue(AccessRules.Glob.matches("a*", "a"));
    assertEquals(false, AccessRules.Glob.matches("a*b", "ab.c"));
    assertEquals(false, AccessRules.Glob.matches("a.b", "a.bc"));
  }

  // ------------------------------------------------------------------ the pattern rule, checked

  @Property(tries = 2000)
  void anAllowedPatternMatchesOnlyAllowedChannels(
      @ForAll("ruleSets") String rules,
      @ForAll("patterns") String pattern,
      @ForAll("channels") List<String> channels,
      @ForAll("identities") Identity id) {
    AccessRules r = AccessRules.parse(rules);
    if (r.checkPattern(pattern, id) == ALLOW) {
      for (String ch : channels) {
        if (redisGlob(pattern, ch)) {
          assertEquals(ALLOW, r.check(SUB, ch, id), () -> pattern + " allowed but not " + ch);
        }
      }
    }
  }

  @Provide
  Arbitrary<String> ruleSets() {
    Arbitrary<String> target =
        Arbitraries.strings()
            .withChars("ab.*")
            .ofMinLength(1)
            .ofMaxLength(5)
            .map(t -> t.replace("**", "*"))
            .injectDuplicates(0.1);
    Arbitrary<String> rule =
        Combinators.combine(
                Arbitraries.of("SUB", "SUB,PUB", "*", "CALL"),
                Arbitraries.oneOf(target, Arbitraries.of("user.{name}.*", "*")),
                Arbitraries.of("anyone", "authenticated", "anonymous", "nobody", "role:r"))
            .as((a, t, w) -> a + " " + t + " " + w);
    return rule.list().ofMinSize(1).ofMaxSize(5).map(l -> String.join("; ", l));
  }

  @Provide
  Arbitrary<String> patterns() {
    return Arbitraries.strings().withChars("ab.*?").ofMaxLength(6);
  }

  @Provide
  Arbitrary<List<String>> channels() {
    return Arbitraries.oneOf(
            Arbitraries.strings().withChars("ab.").ofMaxLength(6),
            Arbitraries.of("user.alice.x", "user.bob.x", "a", "b.a"))
        .list()
        .ofSize(30);
  }

  @Provide
  Arbitrary<Identity> identities() {
    return Arbitraries.of(ALICE, BOB, ANON, new Identity("carol", Set.of("r"), 0));
  }

  /** Redis's glob for the characters the generators use: {@code *} and {@code ?}. */
  static boolean redisGlob(String p, String s) {
    if (p.isEmpty()) {
      return s.isEmpty();
    }
    char c = p.charAt(0);
    if (c == '*') {
      for (int i = 0; i <= s.length(); i++) {
        if (redisGlob(p.substring(1), s.substring(i))) {
          return true;
        }
      }
      return false;
    }
    return !s.isEmpty()
        && (c == '?' || c == s.charAt(0))
        && redisGlob(p.substring(1), s.substring(1));
  }
}
