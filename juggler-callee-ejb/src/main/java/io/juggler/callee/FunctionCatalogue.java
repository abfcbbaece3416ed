package io.juggler.callee;

import io.juggler.ConfigurationException;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The functions this instance serves, by URI, each with its {@link Delivery}: every {@link
 * CalleeFunction} bean of the deployment with its {@link Callee} annotation, guarded by its role
 * annotations ({@link RoleCheck}); the demo's ({@link DemoFunction}) only when asked for. Built
 * once at start; read-only after.
 */
final class FunctionCatalogue {

  private static final Logger LOG = Logger.getLogger(FunctionCatalogue.class.getName());

  private final Map<String, CalleeFunction> functions = new TreeMap<>();
  private final Map<String, Delivery> deliveries = new TreeMap<>();

  private FunctionCatalogue() {}

  /**
   * The catalogue of {@code beans}.
   *
   * @throws ConfigurationException if a function has no {@code @Callee}, an empty URI, or a URI
   *     another function has
   */
  static FunctionCatalogue of(Instance<CalleeFunction> beans, boolean demo) {
    FunctionCatalogue catalogue = new FunctionCatalogue();
    for (Instance.Handle<CalleeFunction> h : beans.handles()) {
      Class<?> type = h.getBean().getBeanClass();
      if (DemoFunction.class.isAssignableFrom(type) && !demo) {
        continue; // the demo's, served only on request
      }
      Callee callee = type.getAnnotation(Callee.class);
      if (callee == null) {
        throw new ConfigurationException(
            "callee function " + type.getName() + " has no @Callee annotation naming its URI");
      }
      catalogue.register(callee.value(), h.get(), type, callee.delivery());
    }
    return catalogue;
  }

  private void register(String uri, CalleeFunction f, Class<?> type, Delivery delivery) {
    if (uri.isEmpty()) {
      throw new ConfigurationException("callee function " + type.getName() + " has an empty URI");
    }
    CalleeFunction guarded = RoleCheck.guard(f, type);
    CalleeFunction previous = functions.putIfAbsent(uri, guarded);
    if (previous != null) {
      throw new ConfigurationException(
          "URI "
              + uri
              + " is bound twice: "
              + (previous instanceof RoleCheck ? "a function" : previous.getClass().getName())
              + " and "
              + type.getName());
    }
    deliveries.put(uri, delivery);
    if (guarded instanceof RoleCheck check) {
      LOG.log(
          Level.INFO,
          check.deniesAll()
              ? "callee {0} may not be called (@DenyAll)"
              : "callee {0} requires one of the roles {1}",
          new Object[] {uri, check.roles()});
    }
  }

  boolean isEmpty() {
    return functions.isEmpty();
  }

  /** Every URI served, in order. */
  Set<String> uris() {
    return functions.keySet();
  }

  /** The URIs served with {@code delivery}, in order. */
  List<String> uris(Delivery delivery) {
    List<String> out = new ArrayList<>();
    deliveries.forEach(
        (uri, d) -> {
          if (d == delivery) {
            out.add(uri);
          }
        });
    return out;
  }

  /** The function of {@code uri}, or null when this instance does not serve it. */
  CalleeFunction function(String uri) {
    return functions.get(uri);
  }
}
