package io.juggler.testing.redis;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisClientConfig;

/**
 * The Jedis connections {@link RedisProcess} hands out, built here so that {@link RedisProcess}
 * itself links without Jedis (the launcher runs it with no Jedis on its class path): the JVM checks
 * a class's types when it links it, and a value of one Jedis type returned as another would make it
 * load Jedis.
 */
final class JedisConnections {

  private JedisConnections() {}

  static Jedis open(HostAndPort at, String password) {
    return new Jedis(at, config(password));
  }

  static JedisClientConfig config(String password) {
    DefaultJedisClientConfig.Builder b =
        DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(2000)
            .socketTimeoutMillis(5000)
            .autoNegotiateProtocol(false);
    if (password != null) {
      b.password(password);
    }
    return b.build();
  }
}
