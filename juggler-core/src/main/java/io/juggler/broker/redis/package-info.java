/**
 * The broker on Redis with Jedis ({@code UnifiedJedis}, so standalone Redis and Redis Cluster share
 * one code path): the key layout of spec section 6 ({@link io.juggler.broker.redis.RedisKeys}), the
 * Lua scripts next to this package in the resources, and the multiplexed pub-sub subscriber.
 */
package io.juggler.broker.redis;
