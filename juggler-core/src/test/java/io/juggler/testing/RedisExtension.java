package io.juggler.testing;

import io.juggler.testing.redis.RedisProcess;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that starts ONE standalone {@link RedisProcess} per test JVM, on first use, and
 * injects it into test constructors, lifecycle and test methods declaring a {@code RedisProcess}
 * parameter. The server lives in the root {@link ExtensionContext.Store} and is closed when the
 * whole test run ends. It is shared by every test class, so tests must use unique keys and channels
 * ({@link TestKeys}) and must not stop it: outage tests start their own {@link RedisProcess}.
 */
public final class RedisExtension implements BeforeAllCallback, ParameterResolver {

  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(RedisExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    shared(context);
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == RedisProcess.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return shared(context);
  }

  /** The shared server of this test run, started if needed. */
  public static RedisProcess shared(ExtensionContext context) {
    return SharedResource.get(context, NAMESPACE, RedisProcess.class, RedisProcess::start);
  }

  /**
   * Holds a shared resource in the root store. It implements both the (deprecated) {@code
   * CloseableResource} and {@link AutoCloseable} so that any JUnit 5 version closes it, once.
   */
  @SuppressWarnings("deprecation")
  static final class SharedResource<T extends AutoCloseable>
      implements ExtensionContext.Store.CloseableResource, AutoCloseable {

    private final T resource;
    private boolean closed;

    private SharedResource(T resource) {
      this.resource = resource;
    }

    static <T extends AutoCloseable> T get(
        ExtensionContext context,
        ExtensionContext.Namespace namespace,
        Class<T> type,
        Supplier<T> starter) {
      ExtensionContext.Store store = context.getRoot().getStore(namespace);
      @SuppressWarnings("unchecked")
      SharedResource<T> holder =
          store.getOrComputeIfAbsent(
              type.getName(), key -> new SharedResource<>(starter.get()), SharedResource.class);
      return holder.resource;
    }

    @Override
    public synchronized void close() throws Exception {
      if (!closed) {
        closed = true;
        resource.close();
      }
    }
  }
}
