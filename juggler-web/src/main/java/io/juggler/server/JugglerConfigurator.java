package io.juggler.server;

import io.juggler.config.JugglerConfig;
import io.juggler.message.Protocol;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.util.List;

/**
 * Handshake rules (spec 2.1): subprotocol negotiation, the origin check, and what the endpoint
 * needs from the request ({@code Juggler-Allowed-Messages}, user agent), passed through the
 * per-connection user properties (a copy per connection since WebSocket 2.1).
 *
 * <p>Origin: with {@code juggler.server.allowed-origins} set, the {@code Origin} header must equal
 * one entry or the handshake is refused with 403. Without it, a request whose {@code Origin} host
 * differs from its {@code Host} is closed with 1008 right after the handshake (the standard API
 * cannot see the Host header in {@code checkOrigin}); a request without {@code Origin} is served.
 */
public class JugglerConfigurator extends ServerEndpointConfig.Configurator {

  static final String ALLOWED_MESSAGES = "juggler.allowedMessages";
  static final String USER_AGENT = "juggler.userAgent";
  static final String REMOTE = "juggler.remote";
  static final String ORIGIN_OK = "juggler.originOk";

  private volatile JugglerConfig config;
  private volatile JugglerServer server;

  private JugglerConfig config() {
    JugglerConfig c = config;
    if (c == null) {
      c = CDI.current().select(JugglerConfig.class).get();
      config = c;
    }
    return c;
  }

  /**
   * One plain endpoint object per connection, given the server bean looked up once. The runtimes'
   * default creates each through CDI: on Payara (Tyrus) that builds a new injection target per
   * connection while holding the application's bean manager lock, so every handshake of the
   * instance waits in one line (a burst of connections, or a hostile client, queues them all).
   */
  @Override
  public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
    if (endpointClass != JugglerEndpoint.class) {
      return super.getEndpointInstance(endpointClass);
    }
    JugglerServer s = server;
    if (s == null) {
      s = CDI.current().select(JugglerServer.class).get();
      server = s;
    }
    return endpointClass.cast(new JugglerEndpoint(s));
  }

  @Override
  public String getNegotiatedSubprotocol(List<String> supported, List<String> requested) {
    for (String s : supported) {
      if (requested.contains(s)) {
        return s;
      }
    }
    return "";
  }

  @Override
  public boolean checkOrigin(String origin) {
    List<String> allowed = config().allowedOrigins();
    return allowed.isEmpty() || (origin != null && allowed.contains(origin));
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    var props = sec.getUserProperties();
    props.put(ALLOWED_MESSAGES, first(request, Protocol.ALLOWED_MESSAGES_HEADER));
    props.put(USER_AGENT, first(request, "User-Agent"));
    String forwarded = first(request, "X-Forwarded-For");
    props.put(REMOTE, forwarded);
    if (config().allowedOrigins().isEmpty()) {
      props.put(ORIGIN_OK, sameOrigin(first(request, "Origin"), first(request, "Host")));
    }
  }

  static boolean sameOrigin(String origin, String host) {
    if (origin == null) {
      return true;
    }
    try {
      URI u = URI.create(origin);
      String originHost = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
      return host != null
          && (host.equalsIgnoreCase(originHost) || host.equalsIgnoreCase(u.getHost()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String first(HandshakeRequest request, String name) {
    for (var e : request.getHeaders().entrySet()) {
      if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
        return e.getValue().get(0);
      }
    }
    return null;
  }
}
