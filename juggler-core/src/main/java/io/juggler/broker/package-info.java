/**
 * The broker's role interfaces: {@link io.juggler.broker.CallerBroker} (servers queue calls and
 * read results), {@link io.juggler.broker.CalleeBroker} (callees take calls and store results) and
 * {@link io.juggler.broker.PubSubBroker} (publish, and one multiplexed subscription per server).
 * Implementations live in sub-packages; {@code broker.redis} is the only one.
 */
package io.juggler.broker;
