/**
 * The cluster registry: what each instance publishes about itself in Redis (connections,
 * subscriptions, counters, the URIs its callees serve) and what the cluster records together, so
 * that the operations console of any instance shows the whole cluster. Four roles, each an
 * interface produced by {@link io.juggler.config.Juggler} and implemented on Redis in {@code
 * io.juggler.broker.redis}: {@link io.juggler.registry.InstanceRegistry} (instance states and the
 * console's watch flags), {@link io.juggler.registry.InstanceControl} (commands to one instance),
 * {@link io.juggler.registry.ExpiredRecord} (expired calls) and {@link
 * io.juggler.registry.AuditLog} (console actions, refused logins). These keys are outside the
 * compatibility layout of spec section 6.
 */
package io.juggler.registry;
