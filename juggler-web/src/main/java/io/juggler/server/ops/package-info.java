/**
 * What operators and their tools read besides the application's metrics: MicroProfile Health checks
 * of the server role (readiness: Redis reachable and pumps running; liveness: pumps alive, no HTTP
 * worker parked), the queue-depth gauges, and {@code /debug/vars}, the JSON document the reference
 * load tool {@code juggler-load} reads before and after a run (spec section 12). The callee role
 * has its own readiness check in its module.
 */
package io.juggler.server.ops;
