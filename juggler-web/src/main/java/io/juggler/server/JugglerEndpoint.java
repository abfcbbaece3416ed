package io.juggler.server;

import io.juggler.auth.Identity;
import io.juggler.message.Protocol;
import io.juggler.message.Utf8;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.CloseReason;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The juggler.0 websocket endpoint: negotiation checks at open, then every text frame goes to
 * {@link JugglerServer}. A binary frame closes with 1003; a frame over {@code
 * juggler.server.read-limit} bytes closes with 1009. Instances are made by {@link
 * JugglerConfigurator#getEndpointInstance}, one per connection, not by CDI.
 *
 * <p>The read limit is handed to the container ({@link Session#setMaxTextMessageBufferSize}), and
 * checked again here: Payara Micro (Tyrus) closes with 1009 before delivering an oversized message,
 * Open Liberty delivers it whole; both end with the same close.
 */
@ServerEndpoint(
    value = "/ws",
    subprotocols = {Protocol.SUBPROTOCOL},
    configurator = JugglerConfigurator.class)
public class JugglerEndpoint {

  private static final Logger LOG = Logger.getLogger(JugglerEndpoint.class.getName());

  private final JugglerServer server;

  private Connection connection;

  JugglerEndpoint(JugglerServer server) {
    this.server = server;
  }

  /**
   * The public no-argument constructor the websocket specification asks of annotated endpoints
   * (Open Liberty checks for it at deployment); connections get theirs from the configurator.
   */
  public JugglerEndpoint() {
    this(CDI.current().select(JugglerServer.class).get());
  }

  @OnOpen
  public void open(Session session, EndpointConfig endpointConfig) {
    Map<String, Object> props = session.getUserProperties();
    var config = server.config();
    int limit = config.server().readLimit() == 0 ? Integer.MAX_VALUE : config.server().readLimit();
    session.setMaxTextMessageBufferSize(limit);
    session.setMaxBinaryMessageBufferSize(1024);
    session.getAsyncRemote().setSendTimeout(config.server().writeTimeout().toMillis());
    // idle connections are never timed out (spec 2.4), whatever the container's default
    session.setMaxIdleTimeout(0);
    Identity identity = (Identity) props.get(JugglerConfigurator.IDENTITY);
    connection =
        server.open(
            session,
            (String) props.get(JugglerConfigurator.ALLOWED_MESSAGES),
            new Connection.Peer(
                (String) props.get(JugglerConfigurator.REMOTE),
                (String) props.get(JugglerConfigurator.USER_AGENT),
                identity == null ? Identity.ANONYMOUS : identity));
    String protocol = session.getNegotiatedSubprotocol();
    Object refused = props.get(JugglerConfigurator.AUTH_REFUSED);
    if (refused != null) {
      server.authRefused(connection, (String) refused);
    } else if ((protocol == null || protocol.isEmpty())
        && !config.server().allowEmptySubprotocol()) {
      server.violation(
          connection, Protocol.CLOSE_PROTOCOL_ERROR, HandshakeFilter.SUBPROTOCOL_REQUIRED);
    } else if (Boolean.FALSE.equals(props.get(JugglerConfigurator.ORIGIN_OK))) {
      server.violation(
          connection, Protocol.CLOSE_POLICY_VIOLATION, HandshakeFilter.ORIGIN_NOT_ALLOWED);
    } else if (props.get(JugglerConfigurator.SESSION) instanceof String requested) {
      server.openSession(connection, requested);
    }
  }

  @OnMessage
  public void text(String text) {
    int limit = server.config().server().readLimit();
    if (limit > 0 && Utf8.lengthExceeds(text, limit)) {
      server.violation(
          connection, Protocol.CLOSE_TOO_BIG, "message larger than " + limit + " bytes");
      return;
    }
    server.handle(connection, text);
  }

  @OnMessage
  public void binary(ByteBuffer data) {
    server.violation(
        connection, Protocol.CLOSE_UNSUPPORTED_DATA, "binary messages are not part of juggler.0");
  }

  /** A pong answers the keep-alive ping (or is unsolicited): either way the peer is alive. */
  @OnMessage
  public void pong(PongMessage pong) {
    connection.heard();
  }

  @OnClose
  public void close(Session session, CloseReason reason) {
    if (connection != null) {
      server.closed(connection);
    }
  }

  @OnError
  public void error(Session session, Throwable error) {
    LOG.log(Level.FINE, "{0} websocket error: {1}", new Object[] {connection, error.toString()});
  }
}
