package io.juggler.testing;

import io.juggler.testing.redis.RedisCluster;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts ONE {@link RedisCluster} per test JVM, on first use, and injects it
 * into test constructors, lifecycle and test methods declaring a {@code RedisCluster} parameter.
 * The cluster lives in the root {@link ExtensionContext.Store} and is closed when the whole test
 * run ends. It is shared by every test class, so tests must use unique keys and channels ({@link
 * TestKeys}); a test that stops a node must restart it and call {@link RedisCluster#awaitHealthy()}
 * before it returns.
 */
public final class RedisClusterExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisClusterExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    shared(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The shared cluster of this test run, started if needed. */
  public static RedisCluster shared(ExtensionContext context) {
    return RedisExtension.SharedResource.get(
        context, NAMESPACE, RedisCluster.class, RedisCluster::start);
  }
}
