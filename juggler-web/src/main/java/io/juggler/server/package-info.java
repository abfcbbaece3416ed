/**
 * The websocket server: the {@code @ServerEndpoint} at {@code /ws} speaking juggler.0, the
 * per-connection state with its bounded outbound queue, the request processor, and the two pumps
 * that bring results and events from Redis to connections. Threads and Redis connections are
 * bounded by configuration, never by the number of websocket connections.
 */
package io.juggler.server;
