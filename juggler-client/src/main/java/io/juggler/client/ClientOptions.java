package io.juggler.client;

import io.juggler.message.Protocol;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Settings of one {@link JugglerClient} connection. Immutable; build with {@link #builder()}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>Setting</th><th>Default</th></tr>
 *   <tr><td>subprotocols offered</td><td>{@code juggler.0}</td></tr>
 *   <tr><td>extra handshake headers (e.g. {@code Juggler-Allowed-Messages}, a bearer token)</td>
 *       <td>none</td></tr>
 *   <tr><td>connect timeout</td><td>10 s</td></tr>
 *   <tr><td>default call timeout (sent on the wire and used for the local expiry)</td><td>60 s</td></tr>
 *   <tr><td>close timeout (how long {@link JugglerClient#close()} waits for the close handshake)</td>
 *       <td>5 s</td></tr>
 *   <tr><td>HTTP client</td><td>one shared by all connections of this JVM</td></tr>
 *   <tr><td>callback executor (completes futures, runs event handlers)</td>
 *       <td>a shared pool of daemon threads</td></tr>
 *   <tr><td>connection listener</td><td>none</td></tr>
 * </table>
 */
public final class ClientOptions {

  private static final ClientOptions DEFAULTS = builder().build();

  private final List<String> subprotocols;
  private final List<Map.Entry<String, String>> headers;
  private final Duration connectTimeout;
  private final Duration defaultCallTimeout;
  private final Duration closeTimeout;
  private final HttpClient httpClient;
  private final Executor callbackExecutor;
  private final ConnectionListener listener;

  private ClientOptions(Builder b) {
    this.subprotocols = List.copyOf(b.subprotocols);
    this.headers = List.copyOf(b.headers);
    this.connectTimeout = b.connectTimeout;
    this.defaultCallTimeout = b.defaultCallTimeout;
    this.closeTimeout = b.closeTimeout;
    this.httpClient = b.httpClient;
    this.callbackExecutor = b.callbackExecutor;
    this.listener = b.listener;
  }

  public static ClientOptions defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<String> subprotocols() {
    return subprotocols;
  }

  public List<Map.Entry<String, String>> headers() {
    return headers;
  }

  public Duration connectTimeout() {
    return connectTimeout;
  }

  public Duration defaultCallTimeout() {
    return defaultCallTimeout;
  }

  public Duration closeTimeout() {
    return closeTimeout;
  }

  /** The HTTP client to open the websocket with, or {@code null} for the shared one. */
  public HttpClient httpClient() {
    return httpClient;
  }

  /** The executor for callbacks, or {@code null} for the shared pool. */
  public Executor callbackExecutor() {
    return callbackExecutor;
  }

  public ConnectionListener listener() {
    return listener;
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.subprotocols.clear();
    b.subprotocols.addAll(subprotocols);
    b.headers.addAll(headers);
    b.connectTimeout = connectTimeout;
    b.defaultCallTimeout = defaultCallTimeout;
    b.closeTimeout = closeTimeout;
    b.httpClient = httpClient;
    b.callbackExecutor = callbackExecutor;
    b.listener = listener;
    return b;
  }

  /** Builds {@link ClientOptions}; not thread-safe. */
  public static final class Builder {
    private final List<String> subprotocols = new ArrayList<>(List.of(Protocol.SUBPROTOCOL));
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration defaultCallTimeout = Duration.ofMillis(Protocol.DEFAULT_CALL_TIMEOUT_MILLIS);
    private Duration closeTimeout = Duration.ofSeconds(5);
    private HttpClient httpClient;
    private Executor callbackExecutor;
    private ConnectionListener listener = new ConnectionListener() {};

    private Builder() {}

    /** The subprotocols offered, in order of preference; at least one. */
    public Builder subprotocols(String first, String... more) {
      subprotocols.clear();
      subprotocols.add(Objects.requireNonNull(first, "first"));
      subprotocols.addAll(List.of(more));
      return this;
    }

    /** Adds a header to the handshake request (restricted headers such as Host are refused). */
    public Builder header(String name, String value) {
      headers.add(Map.entry(name, value));
      return this;
    }

    /**
     * Sends {@code Juggler-Allowed-Messages} (spec section 2.6), e.g. {@code "call, pub"}: the
     * server closes the connection when another request type is sent.
     */
    public Builder allowedMessages(String value) {
      return header(Protocol.ALLOWED_MESSAGES_HEADER, value);
    }

    /**
     * Authenticates with a bearer token (a signed JWT, {@code Authorization: Bearer}); the server
     * must be configured to check it ({@code mp.jwt.verify.*}).
     */
    public Builder token(String token) {
      headers.removeIf(h -> h.getKey().equalsIgnoreCase("Authorization"));
      return header("Authorization", "Bearer " + token);
    }

    /**
     * Asks the server for a resumable session ({@code Juggler-Session: new}): the connection's
     * first message is then a {@link io.juggler.message.SessionAck} with the token to {@link
     * #resume} it from another connection ({@link JugglerClient#session()}).
     */
    public Builder newSession() {
      return session("new");
    }

    /**
     * Resumes the session of {@code token} ({@code Juggler-Session: <token>}): the results of its
     * calls that arrived while it had no connection come on this one, right after its {@link
     * io.juggler.message.SessionAck}. A token the server refuses (expired, or another identity's)
     * gets a fresh session instead, which the ACK says.
     */
    public Builder resume(String token) {
      return session(token);
    }

    private Builder session(String value) {
      headers.removeIf(h -> h.getKey().equalsIgnoreCase(Protocol.SESSION_HEADER));
      return header(Protocol.SESSION_HEADER, value);
    }

    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /** Used by calls that give no timeout (or zero or a negative one). */
    public Builder defaultCallTimeout(Duration timeout) {
      this.defaultCallTimeout = positive(timeout, "defaultCallTimeout");
      return this;
    }

    public Builder closeTimeout(Duration timeout) {
      this.closeTimeout = positive(timeout, "closeTimeout");
      return this;
    }

    /** The HTTP client to open the websocket with; share one among many connections. */
    public Builder httpClient(HttpClient client) {
      this.httpClient = client;
      return this;
    }

    /**
     * Where futures are completed and event handlers run. {@code Runnable::run} runs them on the
     * receiving thread (fastest, for non-blocking callbacks such as a load generator's); then a
     * callback that blocks stops the connection from reading.
     */
    public Builder callbackExecutor(Executor executor) {
      this.callbackExecutor = executor;
      return this;
    }

    public Builder listener(ConnectionListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    public ClientOptions build() {
      return new ClientOptions(this);
    }

    private static Duration positive(Duration d, String name) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + d);
      }
      return d;
    }
  }
}
