/**
 * Juggler EE's core library, shared by the server, the callees and the console: {@code message}
 * (the juggler.0 wire types and codec), {@code broker} (role interfaces) and {@code broker.redis}
 * (their Redis implementation and the key layout), {@code config} (settings), {@code registry}
 * (what instances publish about themselves), {@code stats}. The root holds the exception root.
 */
package io.juggler;
