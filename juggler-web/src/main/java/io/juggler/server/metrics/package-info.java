/**
 * Observability endpoints beyond {@code /metrics}: MicroProfile Health checks (readiness: Redis
 * reachable and pumps running; liveness: pumps alive) and {@code /debug/vars}, the JSON document
 * the reference load tool {@code juggler-load} reads before and after a run (spec section 12).
 */
package io.juggler.server.metrics;
