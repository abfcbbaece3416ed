/**
 * The cluster registry: what each instance publishes about itself in Redis (connections,
 * subscriptions, counters, the URIs its callees serve) and the cluster-wide record of expired
 * calls, so that the operations console of any instance shows the whole cluster. These keys are
 * outside the compatibility layout of spec section 6; see {@link
 * io.juggler.broker.redis.RedisRegistry}.
 */
package io.juggler.registry;
