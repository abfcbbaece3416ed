package io.juggler.client.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.juggler.client.tool.UsageException;
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
  void invalidTimeoutIsReported() {
    UsageException e =
        assertThrows(UsageException.class, () -> Commands.parse("call 1 u five hello"));
    assertTrue(e.getMessage().contains("\"five\""), e.getMessage());
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
    assertInstanceOf(Command.Help.class, Commands.parse("  help "));
    assertInstanceOf(Command.Exit.class, Commands.parse("exit"));
    assertNull(Commands.parse("   "));
    assertNull(Commands.parse("# a comment"));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "call 1|usage: call CONN_ID URI [TIMEOUT [ARGS]]",
        "call|usage: call CONN_ID URI [TIMEOUT [ARGS]]",
        "sub 1|usage: sub CONN_ID CHANNEL",
        "psub 1 a b|usage: psub CONN_ID CHANNEL_PATTERN",
        "disconnect|usage: disconnect CONN_ID",
        "connect a b c|usage: connect [URL [PROTO]]",
        "send 1|usage: send CONN_ID MSG",
        "call x u|invalid connection id \"x\"",
        "call 0 u|invalid connection id \"0\"",
        "rand 1 -3|invalid N_BYTES \"-3\"; usage: rand CONN_ID [N_BYTES]",
        "frobnicate 1|unknown command: \"frobnicate\""
      })
  void errorsGiveTheUsageOrTheReason(String line, String message) {
    UsageException e = assertThrows(UsageException.class, () -> Commands.parse(line));
    assertEquals(message, e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"connect", "call", "pub", "sub", "psub", "unsb", "punsb", "exit", "?"})
  void helpListsEveryCommand(String name) {
    assertTrue(
        Commands.helpText().lines().anyMatch(l -> l.strip().startsWith(name)), Commands.helpText());
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
