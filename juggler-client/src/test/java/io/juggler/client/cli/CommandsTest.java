package io.juggler.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.commandline.UsageException;
import io.juggler.message.Ack;
import io.juggler.message.Evnt;
import io.juggler.message.MessageType;
import io.juggler.message.Nack;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CommandsTest {

  @Test
  void callWithJsonStringArgsKeepsTheRestOfTheLine() throws UsageException {
    Command c = Commands.parse("call 1 test.echo 5s hello   big world");
    assertEquals(
        new Command.Call(
            1, "test.echo", Duration.ofSeconds(5), RawJson.string("hello   big world")),
        c);
  }

  @Test
  void callWithBacktickArgsSendsRawJson() throws UsageException {
    Command.Call c = (Command.Call) Commands.parse("call 2 billing.total 300ms `{\"a\": [1, 2]}`");
    assertEquals(Duration.ofMillis(300), c.timeout());
    assertEquals("{\"a\":[1,2]}", c.args().json());
  }

  @Test
  void callWithoutTimeoutOrArgs() throws UsageException {
    assertEquals(new Command.Call(1, "u", null, RawJson.NULL), Commands.parse("call 1 u"));
    assertEquals(
        new Command.Call(1, "u", Duration.ofSeconds(2), RawJson.NULL),
        Commands.parse("call 1 u 2s"));
  }

  @Test
  void invalidRawJsonIsAUsageError() {
    UsageException e =
        assertThrows(UsageException.class, () -> Commands.parse("call 1 u 1s `{nope`"));
    assertTrue(e.getMessage().startsWith("invalid JSON"), e.getMessage());
  }

  @Test
  void aWordShapedLikeADurationThatIsNoneIsReported() {
    UsageException e =
        assertThrows(UsageException.class, () -> Commands.parse("call 1 u 5sec hello"));
    assertTrue(e.getMessage().contains("\"5sec\""), e.getMessage());
    assertTrue(e.getMessage().endsWith("usage: call [CONN_ID] URI [TIMEOUT] [ARGS]"));
  }

  @Test
  void argsThatParseAsJsonAreSentAsTheyAre() throws UsageException {
    assertEquals(
        new Command.Call(Command.ONLY, "test.echo", null, RawJson.of("{\"hi\":1}")),
        Commands.parse("call test.echo {\"hi\":1}"));
    assertEquals(
        "{\"a\":[1,2]}", ((Command.Call) Commands.parse("call 1 u {\"a\": [1, 2]}")).args().json());
    assertEquals(RawJson.of("42"), ((Command.Call) Commands.parse("call u 42")).args());
    assertEquals(RawJson.of("true"), ((Command.Call) Commands.parse("call u 2s true")).args());
    assertEquals(RawJson.string("hi"), ((Command.Call) Commands.parse("call u \"hi\"")).args());
    assertEquals(RawJson.of("[1,2]"), ((Command.Pub) Commands.parse("pub news [1, 2]")).args());
    // not one JSON value: a string, as before
    assertEquals(RawJson.string("{nope"), ((Command.Call) Commands.parse("call u {nope")).args());
    assertEquals(RawJson.string("1 2"), ((Command.Call) Commands.parse("call u 1s 1 2")).args());
  }

  @Test
  void timeoutIsOptionalBeforeArgs() throws UsageException {
    assertEquals(
        new Command.Call(Command.ONLY, "u", Duration.ofMillis(300), RawJson.NULL),
        Commands.parse("call u 300ms"));
    assertEquals(
        new Command.Call(Command.ONLY, "u", null, RawJson.string("five hello")),
        Commands.parse("call u five hello"));
    assertEquals(
        new Command.Call(2, "u", Duration.ofSeconds(5), RawJson.string("hello cli")),
        Commands.parse("call 2 u 5s hello cli"));
  }

  @Test
  void theConnectionIdMayBeLeftOut() throws UsageException {
    int only = Command.ONLY;
    assertEquals(
        new Command.Call(only, "test.echo", null, RawJson.NULL), Commands.parse("call test.echo"));
    assertEquals(
        new Command.Pub(only, "news", RawJson.string("hi there")),
        Commands.parse("pub news hi there"));
    assertEquals(new Command.Sub(only, "news", false), Commands.parse("sub news"));
    assertEquals(new Command.Sub(only, "news.*", true), Commands.parse("psub news.*"));
    assertEquals(new Command.Unsb(only, "news", false), Commands.parse("unsb news"));
    assertEquals(new Command.Unsb(only, "news.*", true), Commands.parse("punsb news.*"));
    assertEquals(new Command.Send(only, "{\"x\": 1}"), Commands.parse("send {\"x\": 1}"));
    assertEquals(new Command.Close(only, "bye"), Commands.parse("close"));
    assertEquals(new Command.Close(only, "see you"), Commands.parse("close see you"));
    assertEquals(new Command.Disconnect(only), Commands.parse("disconnect"));
    assertEquals(new Command.Rand(only, 20), Commands.parse("rand"));
  }

  @Test
  void pubArgsDefaultToTheEmptyString() throws UsageException {
    assertEquals(new Command.Pub(3, "news", RawJson.string("")), Commands.parse("pub 3 news"));
    assertEquals(
        new Command.Pub(3, "news", RawJson.string("hi there")),
        Commands.parse("pub 3 news hi there"));
    assertEquals(new Command.Pub(3, "news", RawJson.of("42")), Commands.parse("pub 3 news `42`"));
  }

  @Test
  void subscriptionCommands() throws UsageException {
    assertEquals(new Command.Sub(1, "news", false), Commands.parse("sub 1 news"));
    assertEquals(new Command.Sub(1, "news.*", true), Commands.parse("psub 1 news.*"));
    assertEquals(new Command.Unsb(1, "news", false), Commands.parse("unsb 1 news"));
    assertEquals(new Command.Unsb(1, "news.*", true), Commands.parse("punsb 1 news.*"));
  }

  @Test
  void connectionCommands() throws UsageException {
    assertEquals(new Command.Connect(null, null), Commands.parse("connect"));
    assertEquals(new Command.Connect("ws://h/ws", null), Commands.parse("connect ws://h/ws"));
    assertEquals(
        new Command.Connect("ws://h/ws", "juggler.1"),
        Commands.parse("connect ws://h/ws juggler.1"));
    assertEquals(new Command.Disconnect(4), Commands.parse("disconnect 4"));
    assertEquals(new Command.Close(4, "bye"), Commands.parse("close 4"));
    assertEquals(new Command.Close(4, "see you"), Commands.parse("close 4 see you"));
    assertEquals(new Command.Send(1, "{\"x\": 1}"), Commands.parse("send 1 {\"x\": 1}"));
    assertEquals(new Command.Rand(1, 20), Commands.parse("rand 1"));
    assertEquals(new Command.Rand(1, 5), Commands.parse("rand 1 5"));
    assertEquals(new Command.Wait(Duration.ofSeconds(10)), Commands.parse("wait"));
    assertEquals(new Command.Wait(Duration.ofMillis(1500)), Commands.parse("wait 1.5s"));
  }

  @Test
  void helpExitBlankAndComments() throws UsageException {
    assertInstanceOf(Command.Help.class, Commands.parse("?"));
    assertInstanceOf(Command.Help.class, Commands.parse("help"));
    assertInstanceOf(Command.Help.class, Commands.parse("  help "));
    assertInstanceOf(Command.Exit.class, Commands.parse("exit"));
    assertNull(Commands.parse("   "));
    assertNull(Commands.parse("# a comment"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "call 1|usage: call [CONN_ID] URI [TIMEOUT] [ARGS]",
        "call|usage: call [CONN_ID] URI [TIMEOUT] [ARGS]",
        "sub 1|usage: sub [CONN_ID] CHANNEL",
        "sub|usage: sub [CONN_ID] CHANNEL",
        "psub 1 a b|usage: psub [CONN_ID] CHANNEL_PATTERN",
        "disconnect 1 2|usage: disconnect [CONN_ID]",
        "connect a b c|usage: connect [URL [PROTO]]",
        "send 1|usage: send [CONN_ID] MSG",
        "pub|usage: pub [CONN_ID] CHANNEL [ARGS]",
        "call 0 u|invalid connection id \"0\"",
        "rand 1 -3|invalid N_BYTES \"-3\"; usage: rand [CONN_ID [N_BYTES]]",
        "frobnicate 1|unknown command: \"frobnicate\" (help lists the commands)"
      })
  void errorsGiveTheUsageOrTheReason(String line, String message) {
    UsageException e = assertThrows(UsageException.class, () -> Commands.parse(line));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "connect",
        "disconnect",
        "close",
        "send",
        "call",
        "pub",
        "sub",
        "psub",
        "unsb",
        "punsb",
        "rand",
        "wait",
        "exit",
        "help or ?"
      })
  void helpListsEveryCommand(String usage) {
    assertTrue(
        Commands.helpText().lines().anyMatch(l -> l.startsWith("  " + usage)), Commands.helpText());
  }

  @Test
  void helpListsEachCommandOnce() {
    List<String> lines = Commands.helpText().lines().filter(l -> l.startsWith("  ")).toList();
    List<String> names = lines.stream().map(l -> l.strip().split(" ")[0]).toList();
    assertEquals(names.stream().distinct().toList(), names, Commands.helpText());
    assertEquals(Commands.catalogue().size(), lines.size());
  }

  @Test
  void helpIsSortedByName() {
    List<String> names = Commands.catalogue().stream().map(Commands.Entry::name).toList();
    assertEquals(names.stream().sorted().toList(), names);
  }

  @Test
  void splitKeepsTheRestAsTheLastWord() {
    assertArrayEquals(new String[] {"a", "b  c d"}, Commands.split("  a   b  c d ", 2));
    assertArrayEquals(new String[] {"a", "b", "c"}, Commands.split("a b c", 5));
    assertArrayEquals(new String[] {}, Commands.split("   ", 2));
  }

  @Test
  void describesReceivedMessagesAsTheReferenceDoes() {
    String call = "11111111-1111-4111-8111-111111111111";
    String me = "22222222-2222-4222-8222-222222222222";
    assertEquals(
        "<<< ACK message: " + me + " for CALL " + call,
        Session.describe(new Ack(me, call, MessageType.CALL, "u", null), false));
    assertEquals(
        "<<< NACK message: " + me + " for CALL " + call + " (500 list capacity exceeded)",
        Session.describe(
            new Nack(me, call, MessageType.CALL, "u", null, 500, "list capacity exceeded"), false));
    assertEquals(
        "<<< RES message: " + me + " for CALL " + call + " (\"hi\")",
        Session.describe(new Res(me, call, "u", RawJson.string("hi")), false));
    String long40 = "\"" + "x".repeat(50) + "\"";
    assertEquals(
        "<<< EVNT message: "
            + me
            + " for PUB "
            + call
            + " (news.1 via news.*: "
            + long40.substring(0, 40)
            + "...)",
        Session.describe(new Evnt(me, call, "news.1", "news.*", RawJson.of(long40)), false));
    assertTrue(
        Session.describe(new Res(me, call, "u", RawJson.NULL), true).endsWith("result ignored"));
  }
}
