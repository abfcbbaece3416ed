package io.juggler.testing;

import java.lang.reflect.Method;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.TestInfo;

/**
 * Unique names for keys, channels and lists, so that tests sharing one Redis server or cluster do
 * not collide: a readable base followed by {@code -} and 8 random hex digits. Names contain only
 * letters, digits and {@code . _ : -}, and no braces, so they carry no Redis Cluster hash tag
 * unless {@link #uniqueTag} adds one.
 */
public final class TestKeys {

  private TestKeys() {}

  /** {@code base-xxxxxxxx}, e.g. {@code orders-3fa91c07}. */
  public static String unique(String base) {
    String clean = sanitize(base);
    return (clean.isEmpty() ? "test" : clean) + "-" + suffix();
  }

  /** {@code TestClass.testMethod-xxxxxxxx}, or the display name when there is no method. */
  public static String unique(TestInfo info) {
    String cls = info.getTestClass().map(Class::getSimpleName).orElse("");
    String name = info.getTestMethod().map(Method::getName).orElse(info.getDisplayName());
    return unique(cls.isEmpty() ? name : cls + "." + name);
  }

  /** {@code {base-xxxxxxxx}}: a unique Redis Cluster hash tag, to keep keys on one slot. */
  public static String uniqueTag(String base) {
    return "{" + unique(base) + "}";
  }

  private static String suffix() {
    return String.format("%08x", ThreadLocalRandom.current().nextInt());
  }

  private static String sanitize(String s) {
    return s == null ? "" : s.replaceAll("[^A-Za-z0-9._:-]+", "_").replaceAll("^_+|_+$", "");
  }
}
