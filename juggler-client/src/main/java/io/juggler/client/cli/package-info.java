/**
 * The interactive client ({@code juggler-cli.jar}, spec section 11.2): numbered connections, one
 * command per line, every message sent and received printed as {@code [N] >>> ...} / {@code [N] <<<
 * ...}. Line editing and history come from JLine when standard input is a terminal; otherwise
 * commands are read line by line from standard input (for scripts and tests).
 */
package io.juggler.client.cli;
