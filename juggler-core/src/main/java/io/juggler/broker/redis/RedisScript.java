package io.juggler.broker.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * A Lua script of this package ({@code src/main/resources/io/juggler/broker/redis/*.lua}, each with
 * its KEYS and ARGV documented at its top), sent with EVALSHA, falling back to EVAL when Redis has
 * not cached it yet (after a restart, or on a cluster node that has not seen it).
 */
record RedisScript(String source, String sha) {

  static RedisScript load(String name) {
    try (InputStream in = RedisScript.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("missing script resource " + name);
      }
      String source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new RedisScript(source, sha1(source));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  Object eval(UnifiedJedis jedis, List<String> keys, List<String> args) {
    try {
      return jedis.evalsha(sha, keys, args);
    } catch (JedisNoScriptException e) {
      return jedis.eval(source, keys, args);
    }
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of()
          .formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
