package io.juggler.server;

import io.juggler.config.JugglerConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Deploys the websocket endpoint only when the server role is on ({@code juggler.server.enabled}),
 * so a callee-only instance opens no websocket at all (its handshake gets 404).
 */
public class Roles implements ServerApplicationConfig {

  private static final Logger LOG = Logger.getLogger(Roles.class.getName());

  @Override
  public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> classes) {
    return Set.of();
  }

  @Override
  public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
    boolean enabled =
        ConfigProvider.getConfig()
            .getOptionalValue(JugglerConfig.SERVER_ENABLED, String.class)
            .map(v -> !v.trim().equalsIgnoreCase("false"))
            .orElse(true);
    if (!enabled) {
      LOG.info("websocket endpoint not deployed: " + JugglerConfig.SERVER_ENABLED + "=false");
      return Set.of();
    }
    return Set.of(JugglerEndpoint.class);
  }
}
