package io.juggler.client.cli;

import io.juggler.message.RawJson;
import java.time.Duration;

/** One parsed CLI command; see {@link Commands} for the syntax. */
sealed interface Command {

  /** The connection id of a command that gave none: the one open connection. */
  int ONLY = 0;

  /** {@code help} or {@code ?}. */
  record Help() implements Command {}

  /** {@code exit} (or end of input). */
  record Exit() implements Command {}

  /** {@code connect [URL [PROTO]]}; null fields take the defaults from the command line. */
  record Connect(String url, String protocol) implements Command {}

  /** {@code disconnect [CONN_ID]}: drop the connection without a close frame. */
  record Disconnect(int conn) implements Command {}

  /** {@code close [CONN_ID] [STATUS_TEXT]}: close frame 1001 with the text. */
  record Close(int conn, String text) implements Command {}

  /** {@code send [CONN_ID] MSG}: the rest of the line as one raw text frame. */
  record Send(int conn, String text) implements Command {}

  /** {@code call [CONN_ID] URI [TIMEOUT] [ARGS]}; {@code timeout} null means the default. */
  record Call(int conn, String uri, Duration timeout, RawJson args) implements Command {}

  /** {@code pub [CONN_ID] CHANNEL [ARGS]}. */
  record Pub(int conn, String channel, RawJson args) implements Command {}

  /** {@code sub}/{@code psub [CONN_ID] CHANNEL}. */
  record Sub(int conn, String channel, boolean pattern) implements Command {}

  /** {@code unsb}/{@code punsb [CONN_ID] CHANNEL}. */
  record Unsb(int conn, String channel, boolean pattern) implements Command {}

  /** {@code rand [CONN_ID [N_BYTES]]}: random characters as one text frame. */
  record Rand(int conn, int bytes) implements Command {}

  /** {@code wait [TIMEOUT]}: until every request sent so far is answered. */
  record Wait(Duration timeout) implements Command {}

  /** Cancels the pending CALL {@code call} of connection {@code conn}. */
  record Cancel(int conn, String call) implements Command {}

  /** Opens a new connection resuming the session of connection {@code conn}. */
  record Resume(int conn) implements Command {}
}
