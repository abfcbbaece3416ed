package io.juggler.server;

import io.juggler.ConfigurationException;
import io.juggler.config.JugglerConfig;
import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;
import java.util.Set;
import java.util.logging.Level;
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
    // the earliest point of the deployment that reads configuration: validating all of it here
    // makes a bad value stop the deployment before anything starts
    boolean enabled;
    try {
      enabled = JugglerConfig.of(ConfigProvider.getConfig()).server().enabled();
    } catch (ConfigurationException e) {
      LOG.log(Level.SEVERE, "Juggler EE cannot start: {0}", e.getMessage());
      throw e;
    }
    if (!enabled) {
      LOG.log(
          Level.INFO, "websocket endpoint not deployed: {0}=false", JugglerConfig.SERVER_ENABLED);
      return Set.of();
    }
    return Set.of(JugglerEndpoint.class);
  }
}
