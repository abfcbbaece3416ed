/**
 * Real redis-server processes on loopback for the tests, the launcher, the benchmark and the fault
 * suite: {@link io.juggler.testing.redis.RedisProcess} (one server) and {@link
 * io.juggler.testing.redis.RedisCluster} (a local Redis Cluster of them).
 */
package io.juggler.testing.redis;
