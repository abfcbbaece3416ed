package io.juggler.server;

import io.juggler.auth.AuthSettings;
import io.juggler.auth.Credentials;
import io.juggler.auth.Identity;
import io.juggler.config.JugglerConfig;
import io.juggler.message.Protocol;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.HandshakeResponse;
import jakarta.websocket.server.HandshakeRequest;
import jakarta.websocket.server.ServerEndpointConfig;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * Handshake rules (spec 2.1): subprotocol negotiation, and what the endpoint needs from the request
 * ({@code Juggler-Allowed-Messages}, user agent, and from {@link HandshakeFilter} the client's
 * identity and address), passed through the per-connection user properties (a copy per connection
 * since WebSocket 2.1).
 *
 * <p>The filter refuses a foreign origin, a missing subprotocol or a refused credential before the
 * upgrade. Should a container upgrade without it, the same checks are made here ({@link
 * OriginCheck}; {@code checkOrigin} answers 403 for {@code juggler.server.allowed-origins}, the
 * same-origin rule needs the {@code Host} header, which only {@code modifyHandshake} sees) and the
 * endpoint closes a refused connection right after the handshake.
 */
public class JugglerConfigurator extends ServerEndpointConfig.Configurator {

  static final String ALLOWED_MESSAGES = "juggler.allowedMessages";
  static final String USER_AGENT = "juggler.userAgent";
  static final String REMOTE = "juggler.remote";
  static final String IDENTITY = "juggler.identity";
  static final String AUTH_REFUSED = "juggler.authRefused";
  static final String ORIGIN_OK = "juggler.originOk";
  static final String SESSION = "juggler.session";

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
    List<String> allowed = config().server().allowedOrigins();
    return allowed.isEmpty() || (origin != null && allowed.contains(origin));
  }

  @Override
  public void modifyHandshake(
      ServerEndpointConfig sec, HandshakeRequest request, HandshakeResponse response) {
    var props = sec.getUserProperties();
    props.put(ALLOWED_MESSAGES, first(request, Protocol.ALLOWED_MESSAGES_HEADER));
    props.put(USER_AGENT, first(request, "User-Agent"));
    String session = firstParameter(request, Protocol.SESSION_PARAMETER);
    putOrRemove(
        props, SESSION, session != null ? session : first(request, Protocol.SESSION_HEADER));
    HandshakeFilter.Handshake h = HandshakeFilter.current();
    if (h != null) {
      // the filter checked origin and credential already (with what a trusted proxy forwarded)
      putOrRemove(props, REMOTE, h.address());
      props.put(IDENTITY, h.identity());
      props.remove(AUTH_REFUSED);
      props.put(ORIGIN_OK, true);
    } else {
      // upgraded without the filter: check here, the endpoint closes a refusal (1008)
      AuthSettings auth = config().auth();
      AuthSettings.Outcome o =
          auth.authenticate(
              Credentials.of(
                  name -> first(request, name),
                  name -> firstParameter(request, name),
                  request.getUserPrincipal(),
                  request::isUserInRole,
                  auth));
      props.remove(REMOTE);
      props.put(IDENTITY, o.accepted() ? o.identity() : Identity.ANONYMOUS);
      putOrRemove(props, AUTH_REFUSED, o.accepted() ? null : o.reason());
      URI uri = request.getRequestURI();
      props.put(
          ORIGIN_OK,
          new OriginCheck(config().server().allowedOrigins())
              .allows(
                  first(request, "Origin"),
                  uri == null ? null : uri.getScheme(),
                  first(request, "Host")));
    }
  }

  private static void putOrRemove(Map<String, Object> props, String key, Object value) {
    if (value == null) {
      props.remove(key);
    } else {
      props.put(key, value);
    }
  }

  private static String firstParameter(HandshakeRequest request, String name) {
    List<String> values = request.getParameterMap().get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
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
