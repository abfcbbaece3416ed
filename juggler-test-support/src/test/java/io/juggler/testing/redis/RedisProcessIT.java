package io.juggler.testing.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/** A real redis-server started, stopped, killed, frozen and restarted as the callers do. */
class RedisProcessIT {

  @Test
  void theBinaryRunsARecentRedis() {
    try (RedisProcess redis = RedisProcess.start();
        Jedis jedis = redis.jedis()) {
      assertTrue(Files.isExecutable(redis.binary()), redis.toString());
      assertFalse(redis.embedded(), "redis-server is installed here");
      String version = field(jedis.info("server"), "redis_version");
      assertTrue(version.matches("\\d+\\.\\d+\\.\\d+.*"), version);
      assertTrue(Integer.parseInt(version.substring(0, version.indexOf('.'))) >= 6, version);
      assertEquals(Long.toString(redis.pid()), field(jedis.info("server"), "process_id"));
    }
  }

  @Test
  void restartKeepsThePortAndNewConnectionsWorkAgain() {
    try (RedisProcess redis = RedisProcess.start()) {
      int port = redis.port();
      assertEquals("redis://127.0.0.1:" + port, redis.url());
      try (Jedis jedis = redis.jedis()) {
        assertEquals("OK", jedis.set("k", "v"));
      }
      Jedis stale = redis.jedis();
      assertEquals("PONG", stale.ping());

      redis.stop();
      assertFalse(redis.isRunning());
      assertThrows(JedisConnectionException.class, stale::ping);
      stale.close();
      assertThrows(
          JedisConnectionException.class,
          () -> {
            try (Jedis down = redis.jedis()) {
              down.ping();
            }
          });

      redis.restart();
      assertTrue(redis.isRunning());
      assertEquals(port, redis.port());
      try (Jedis jedis = new Jedis(redis.hostAndPort(), RedisProcess.clientConfig())) {
        assertEquals("PONG", jedis.ping());
        // persistence is off: the restarted server is empty
        assertFalse(jedis.exists("k"));
      }

      redis.kill();
      assertFalse(redis.isRunning());
      redis.restart();
      assertEquals(port, redis.port());
      try (Jedis jedis = redis.jedis()) {
        assertEquals("PONG", jedis.ping());
      }
    }
  }

  @Test
  void closeEndsTheProcessAndDeletesItsTemporaryDirectory() {
    RedisProcess redis = RedisProcess.start();
    Path dir = redis.dir();
    assertTrue(Files.exists(redis.logFile()));
    redis.close();
    assertFalse(redis.isRunning());
    assertFalse(Files.exists(dir));
    assertThrows(IllegalStateException.class, redis::restart);
    redis.close(); // idempotent
  }

  @Test
  void twoProcessesGetDistinctPorts() {
    try (RedisProcess a = RedisProcess.start();
        RedisProcess b = RedisProcess.start()) {
      assertNotEquals(a.port(), b.port());
    }
  }

  /** As the launcher and the benchmark start it: a given port, a kept directory, a named log. */
  @Test
  void aGivenPortAndDirectoryAreUsedAndKept(@TempDir Path tmp) throws Exception {
    int port = freePort();
    Path dir = tmp.resolve("redis");
    RedisProcess redis =
        RedisProcess.options()
            .port(port)
            .dir(dir)
            .log("redis-" + port + ".log")
            .ownSession()
            .args("--maxclients", "500")
            .start();
    try (Jedis jedis = redis.jedis()) {
      assertEquals(port, redis.port());
      assertEquals(dir, redis.dir());
      assertEquals(dir.resolve("redis-" + port + ".log"), redis.logFile());
      assertEquals("500", jedis.configGet("maxclients").get("maxclients"));
      assertEquals(dir.toString(), jedis.configGet("dir").get("dir"));
      assertEquals("no", jedis.configGet("appendonly").get("appendonly"));
    } finally {
      redis.close();
    }
    assertFalse(redis.isRunning());
    assertTrue(Files.size(dir.resolve("redis-" + port + ".log")) > 0, "the log stays");
  }

  /** The benchmark gives its folder relative to where it runs; Redis runs inside that folder. */
  @Test
  void aRelativeDirectoryIsTheOneMeant() throws Exception {
    Path relative = Path.of("target", "relative-" + System.nanoTime(), "redis");
    assertFalse(relative.isAbsolute());
    try (RedisProcess redis = RedisProcess.options().dir(relative).start();
        Jedis jedis = redis.jedis()) {
      assertEquals(relative.toAbsolutePath(), redis.dir());
      assertEquals(relative.toAbsolutePath().toString(), jedis.configGet("dir").get("dir"));
      assertTrue(Files.size(redis.logFile()) > 0, "its log is in that folder");
    }
  }

  @Test
  void aTakenPortFailsTheStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> RedisProcess.options().port(taken.getLocalPort()).start());
      assertTrue(
          e.getMessage().contains("port " + taken.getLocalPort() + " is taken"), e.getMessage());
    }
  }

  /** As the fault suite runs it: AOF always, so a SIGKILL loses nothing acknowledged. */
  @Test
  void laterArgumentsWinAndTheAofSurvivesAKill(@TempDir Path dir) {
    try (RedisProcess redis =
        RedisProcess.options()
            .dir(dir)
            .args("--appendonly", "yes", "--appendfsync", "always")
            .start()) {
      try (Jedis jedis = redis.jedis()) {
        assertEquals("yes", jedis.configGet("appendonly").get("appendonly"));
        jedis.set("kept", "1");
      }
      redis.kill();
      redis.restart();
      try (Jedis jedis = redis.jedis()) {
        assertEquals("1", jedis.get("kept"));
      }
    }
  }

  @Test
  void aFrozenServerAnswersNothingUntilThawed() throws Exception {
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try (RedisProcess redis = RedisProcess.start();
        Jedis jedis =
            new Jedis(
                redis.hostAndPort(),
                DefaultJedisClientConfig.builder()
                    .autoNegotiateProtocol(false)
                    .socketTimeoutMillis(10_000)
                    .build())) {
      assertEquals("PONG", jedis.ping());
      redis.freeze(true);
      assertTrue(redis.isRunning(), "frozen, not ended");
      Future<String> ping = pool.submit(() -> jedis.ping());
      assertThrows(TimeoutException.class, () -> ping.get(500, TimeUnit.MILLISECONDS));
      redis.freeze(false);
      assertEquals("PONG", ping.get(5, TimeUnit.SECONDS));

      redis.freeze(true);
      long t0 = System.nanoTime();
      redis.stop(); // thaws first: SIGTERM is acted on at once, no 10 s wait for SIGKILL
      assertFalse(redis.isRunning());
      assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 5);
    } finally {
      pool.shutdownNow();
    }
  }

  /** As on a machine without redis-server: the launcher's Redis is the bundled binary. */
  @Test
  void theBundledBinaryServesWhenAskedFor(@TempDir Path dir) {
    System.setProperty(RedisProcess.PROPERTY, RedisProcess.EMBEDDED);
    try (RedisProcess redis = RedisProcess.options().dir(dir).start();
        Jedis jedis = redis.jedis()) {
      assertTrue(redis.embedded());
      assertEquals(dir.resolve("redis-server-embedded"), redis.binary());
      // the bundled build (named 6.2.6, it reports a later 6.2)
      assertTrue(field(jedis.info("server"), "redis_version").startsWith("6.2."));
    } finally {
      System.clearProperty(RedisProcess.PROPERTY);
    }
  }

  @Test
  void aPasswordIsInTheUrlAndUsedByJedis() {
    try (RedisProcess redis = RedisProcess.start("--requirepass", "s3cret");
        Jedis jedis = redis.jedis()) {
      assertEquals("redis://:s3cret@127.0.0.1:" + redis.port(), redis.url());
      assertEquals("PONG", jedis.ping());
    }
  }

  @Test
  void aServerThatCannotStartFailsWithItsLog() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class, () -> RedisProcess.start("--no-such-option", "x"));
    assertTrue(e.getMessage().contains("no-such-option"), e.getMessage());
  }

  static String field(String info, String name) {
    return info.lines()
        .filter(l -> l.startsWith(name + ":"))
        .findFirst()
        .orElseThrow()
        .substring(name.length() + 1)
        .trim();
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
