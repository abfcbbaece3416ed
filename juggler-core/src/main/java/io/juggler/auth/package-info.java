/**
 * Who a client is and what it may do: {@link io.juggler.auth.Identity} (set once per connection, at
 * the websocket handshake, and carried to callees with each call) and {@link
 * io.juggler.auth.AccessRules} (which URIs, channels and patterns each identity may use, from
 * {@code juggler.auth.rules}). Pure logic, no container: the server enforces the rules, the callee
 * runtime the roles functions declare.
 */
package io.juggler.auth;
