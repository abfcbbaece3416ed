package io.juggler.testing.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.JarURLConnection;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The launcher ships {@link RedisProcess} without Jedis (its class path is its own JAR, this
 * module's and embedded-redis'): loaded with this module's classes and embedded-redis alone, it
 * links, starts a server and stops it, called as the launcher calls it.
 */
class WithoutJedisIT {

  @Test
  void startsAndStopsWithNothingButTheJdkAndEmbeddedRedis() throws Exception {
    List<URL> path = new ArrayList<>();
    path.add(RedisProcess.class.getProtectionDomain().getCodeSource().getLocation());
    path.add(WithoutJedisIT.class.getProtectionDomain().getCodeSource().getLocation());
    URL bundled = RedisProcess.class.getResource(RedisProcess.EMBEDDED_RESOURCE);
    if (bundled != null) {
      path.add(((JarURLConnection) bundled.openConnection()).getJarFileURL());
    }
    try (URLClassLoader alone =
        new URLClassLoader(path.toArray(URL[]::new), ClassLoader.getPlatformClassLoader())) {
      assertThrows(
          ClassNotFoundException.class, () -> alone.loadClass("redis.clients.jedis.Jedis"));
      @SuppressWarnings("unchecked")
      Supplier<String> launcher =
          (Supplier<String>)
              alone.loadClass(AsTheLauncher.class.getName()).getConstructor().newInstance();
      assertEquals("running on 127.0.0.1, then stopped", launcher.get());
    }
  }

  /** What the launcher does with it; loaded without Jedis. */
  public static final class AsTheLauncher implements Supplier<String> {
    @Override
    public String get() {
      RedisProcess redis = RedisProcess.options().ownSession().start();
      String running =
          redis.isRunning() && redis.url().startsWith("redis://127.0.0.1:") ? "running" : "?";
      redis.close();
      return running
          + " on "
          + redis.host()
          + ", then "
          + (redis.isRunning() ? "running" : "stopped");
    }
  }
}
