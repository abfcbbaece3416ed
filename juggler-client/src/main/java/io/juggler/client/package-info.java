/**
 * A Java client for juggler.0 servers on the JDK's own {@code java.net.http.WebSocket}: {@link
 * io.juggler.client.JugglerClient} makes calls and publications that complete {@link
 * java.util.concurrent.CompletableFuture}s, and subscriptions that deliver {@link
 * io.juggler.client.Event}s to a handler.
 *
 * <p>Semantics follow the Go reference client (spec section 11.1): every CALL ends in exactly one
 * of RES (the future completes with the result), NACK ({@link
 * io.juggler.client.CallRejectedException}) or a local expiry ({@link
 * io.juggler.client.CallExpiredException}); a RES arriving after the expiry is ignored. RES and
 * EVNT may arrive before their ACK (spec section 1.4). When the connection ends, every request
 * still waiting fails with {@link io.juggler.client.ConnectionClosedException}.
 *
 * <p>Runtime dependencies: juggler-core's codec ({@code io.juggler.message}) and a JSON-P
 * implementation (Parsson).
 */
package io.juggler.client;
