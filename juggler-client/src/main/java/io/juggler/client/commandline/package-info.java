/**
 * What the command-line tools ({@code io.juggler.client.cli}, {@code io.juggler.client.load})
 * share: option parsing with generated usage text, and Go-style durations ({@code 5s}, {@code
 * 300ms}, {@code 1m30s}) as the reference tools accept them.
 */
package io.juggler.client.commandline;
