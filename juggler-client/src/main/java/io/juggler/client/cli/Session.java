package io.juggler.client.cli;

import io.juggler.client.CallExpiredException;
import io.juggler.client.ClientOptions;
import io.juggler.client.ConnectionClosedException;
import io.juggler.client.ConnectionListener;
import io.juggler.client.JugglerClient;
import io.juggler.client.RequestFuture;
import io.juggler.message.Ack;
import io.juggler.message.Evnt;
import io.juggler.message.Message;
import io.juggler.message.Nack;
import io.juggler.message.RawJson;
import io.juggler.message.Res;
import io.juggler.message.SessionAck;
import io.juggler.message.Sub;
import io.juggler.message.Unsb;
import io.juggler.message.Uuids;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The CLI's state: numbered connections (from 1, in order of creation, never reused) and the
 * requests still waiting for an answer. Runs one {@link Command} at a time; messages arriving on
 * the connections are printed as they come.
 */
final class Session {

  /**
   * Defaults for {@code connect} and for calls, from the command line.
   *
   * @param connectAtStart open a connection to {@code url} before reading commands (given with
   *     --url)
   */
  record Defaults(
      String url,
      String protocol,
      List<Map.Entry<String, String>> headers,
      Duration callTimeout,
      DateTimeFormatter timestamps,
      boolean connectAtStart,
      boolean sessions) {

    Defaults(
        String url,
        String protocol,
        List<Map.Entry<String, String>> headers,
        Duration callTimeout,
        DateTimeFormatter timestamps,
        boolean connectAtStart) {
      this(url, protocol, headers, callTimeout, timestamps, connectAtStart, false);
    }
  }

  static final int RES_DETAIL = 100;
  static final int EVNT_DETAIL = 40;

  private final Console out;
  private final Defaults defaults;
  private final HttpClient http = HttpClient.newHttpClient();
  private final Map<Integer, JugglerClient> connections = new ConcurrentHashMap<>();
  private final Set<CompletableFuture<?>> inflight = ConcurrentHashMap.newKeySet();
  private final Set<String> expired = ConcurrentHashMap.newKeySet();

  /** Each connection's session token, once its server gave one (kept here, never printed). */
  private final Map<Integer, String> tokens = new ConcurrentHashMap<>();

  /** Where each connection went, for resume. */
  private final Map<Integer, String[]> targets = new ConcurrentHashMap<>();

  private int lastId;

  Session(Console out, Defaults defaults) {
    this.out = out;
    this.defaults = defaults;
  }

  /** Runs one command; returns false for {@code exit}. */
  boolean execute(Command command) {
    try {
      if (command instanceof Command.Help) {
        out.println("Commands:\n" + Commands.helpText().stripTrailing());
      } else if (command instanceof Command.Exit) {
        return false;
      } else if (command instanceof Command.Connect c) {
        connect(c, defaults.sessions() ? "new" : null);
      } else if (command instanceof Command.Resume r) {
        int conn = resolve(r.conn());
        String token = tokens.get(conn);
        if (token == null) {
          throw new CommandException(
              "connection " + conn + " has no session (start the CLI with --session)");
        }
        String[] target = targets.get(conn);
        connect(new Command.Connect(target[0], target[1]), token);
      } else if (command instanceof Command.Cancel c) {
        request(resolve(c.conn()), Unsb.cancel(Uuids.random(), c.call()));
      } else if (command instanceof Command.Disconnect d) {
        connection(resolve(d.conn())).abort();
      } else if (command instanceof Command.Close c) {
        close(c);
      } else if (command instanceof Command.Send s) {
        send(resolve(s.conn()), s.text(), "raw message");
      } else if (command instanceof Command.Call c) {
        call(c);
      } else if (command instanceof Command.Pub p) {
        pub(p);
      } else if (command instanceof Command.Sub s) {
        request(resolve(s.conn()), new Sub(Uuids.random(), s.channel(), s.pattern()));
      } else if (command instanceof Command.Unsb u) {
        request(resolve(u.conn()), new Unsb(Uuids.random(), u.channel(), u.pattern()));
      } else if (command instanceof Command.Rand r) {
        rand(r);
      } else if (command instanceof Command.Wait w) {
        awaitInflight(w.timeout(), true);
      }
    } catch (CommandException e) {
      out.error(e.getMessage());
    }
    return true;
  }

  /** A command that cannot run; its message is printed. */
  static final class CommandException extends Exception {
    private static final long serialVersionUID = 1L;

    CommandException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Opens a connection; {@code session}: ask for a new one ("new"), resume one (a token), or null.
   */
  private void connect(Command.Connect c, String session) throws CommandException {
    String url = c.url() == null ? defaults.url() : c.url();
    String protocol = c.protocol() == null ? defaults.protocol() : c.protocol();
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      throw new CommandException("invalid URL \"" + url + "\": " + e.getMessage());
    }
    int[] id = new int[1];
    ClientOptions.Builder options =
        ClientOptions.builder()
            .subprotocols(protocol)
            .httpClient(http)
            .defaultCallTimeout(defaults.callTimeout())
            .listener(new Printer(id));
    defaults.headers().forEach(h -> options.header(h.getKey(), h.getValue()));
    if (session != null) {
      options.resume(session); // "new" asks for a fresh one
    }
    JugglerClient client;
    // numbered before the handshake, and connected without holding the console: a server that
    // speaks first (a session ACK) has its line printed by the receiving thread meanwhile
    synchronized (out) {
      id[0] = ++lastId;
    }
    try {
      client = JugglerClient.connect(uri, options.build());
      connections.put(id[0], client);
    } catch (RuntimeException e) {
      synchronized (out) {
        if (lastId == id[0]) {
          lastId--; // the number is free again
        }
      }
      throw new CommandException("connect failed: " + e.getMessage());
    }
    targets.put(id[0], new String[] {url, protocol});
    int conn = id[0];
    client
        .session()
        .thenAccept(
            s -> {
              if (s.token() != null) {
                tokens.put(conn, s.token());
              }
            });
    line(id[0], "connected to " + url);
  }

  private void close(Command.Close c) throws CommandException {
    JugglerClient client = connection(resolve(c.conn()));
    client
        .closeAsync(1001, c.text())
        .whenComplete(
            (ok, error) -> {
              if (error != null) {
                client.abort();
              }
            });
  }

  private void call(Command.Call c) throws CommandException {
    int conn = resolve(c.conn());
    JugglerClient client = connection(conn);
    RequestFuture<RawJson> f;
    synchronized (out) {
      f = client.call(c.uri(), c.args(), c.timeout());
      line(conn, ">>> CALL message: " + f.uuid());
    }
    track(f);
    f.whenComplete(
        (res, error) -> {
          if (unwrap(error) instanceof CallExpiredException) {
            expired.add(f.uuid());
            line(conn, "<<< EXP message: " + Uuids.random() + " for CALL " + f.uuid());
          }
        });
  }

  private void pub(Command.Pub p) throws CommandException {
    int conn = resolve(p.conn());
    JugglerClient client = connection(conn);
    synchronized (out) {
      RequestFuture<Void> f = client.publish(p.channel(), p.args());
      line(conn, ">>> PUB message: " + f.uuid());
      track(f);
    }
  }

  private void request(int conn, Message request) throws CommandException {
    JugglerClient client = connection(conn);
    synchronized (out) {
      RequestFuture<Void> f = client.send(request);
      line(conn, ">>> " + request.type() + " message: " + f.uuid());
      track(f);
    }
  }

  private void send(int conn, String text, String what) throws CommandException {
    JugglerClient client = connection(conn);
    synchronized (out) {
      CompletableFuture<Void> sent = client.sendText(text);
      line(conn, ">>> " + what + ": " + abbreviate(text, RES_DETAIL));
      reportFailure(conn, sent);
    }
  }

  private void rand(Command.Rand r) throws CommandException {
    byte[] bytes = new byte[r.bytes()];
    ThreadLocalRandom.current().nextBytes(bytes);
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int conn = resolve(r.conn());
    JugglerClient client = connection(conn);
    synchronized (out) {
      CompletableFuture<Void> sent = client.sendText(text);
      line(conn, ">>> random message: " + r.bytes() + " characters");
      reportFailure(conn, sent);
    }
  }

  private void reportFailure(int conn, CompletableFuture<Void> sent) {
    sent.whenComplete(
        (ok, error) -> {
          if (error != null) {
            error(conn, "send failed: " + unwrap(error).getMessage());
          }
        });
  }

  private void track(CompletableFuture<?> f) {
    inflight.add(f);
    f.whenComplete((v, e) -> inflight.remove(f));
  }

  /**
   * Waits until every request sent so far is answered (or failed); reports the ones still waiting
   * after {@code timeout} when {@code report} is set.
   */
  void awaitInflight(Duration timeout, boolean report) {
    List<CompletableFuture<?>> waiting = new ArrayList<>(inflight);
    try {
      CompletableFuture.allOf(
              waiting.stream().map(f -> f.handle((v, e) -> null)).toArray(CompletableFuture[]::new))
          .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      if (report) {
        out.error("wait: " + inflight.size() + " requests still unanswered");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Closes every open connection (1000), waiting a little for the server's answers. */
  void closeAll() {
    List<CompletableFuture<Void>> closing = new ArrayList<>();
    for (JugglerClient c : connections.values()) {
      if (c.isOpen()) {
        closing.add(c.closeAsync(1000, "").exceptionally(e -> null));
      }
    }
    try {
      CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // aborted below
    }
    connections.values().forEach(JugglerClient::abort);
  }

  /**
   * The connection id a command meant: its own, or for {@link Command#ONLY} the one open
   * connection.
   */
  private int resolve(int conn) throws CommandException {
    if (conn != Command.ONLY) {
      return conn;
    }
    List<Integer> open =
        connections.entrySet().stream()
            .filter(e -> e.getValue().isOpen())
            .map(Map.Entry::getKey)
            .sorted()
            .toList();
    if (open.size() == 1) {
      return open.get(0);
    }
    if (open.isEmpty()) {
      throw new CommandException(
          connections.isEmpty()
              ? "no connection: connect first (connect [URL])"
              : "no open connection: connect again (connect [URL])");
    }
    throw new CommandException(
        open.size()
            + " connections are open ("
            + open.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(", "))
            + "): give the connection id first, e.g. call "
            + open.get(0)
            + " test.echo hello");
  }

  private JugglerClient connection(int id) throws CommandException {
    JugglerClient c = connections.get(id);
    if (c == null) {
      throw new CommandException("connection " + id + " does not exist");
    }
    if (!c.isOpen()) {
      throw new CommandException("connection " + id + " is closed");
    }
    return c;
  }

  private void line(int conn, String text) {
    out.println(prefix() + "[" + conn + "] " + text);
  }

  private void error(int conn, String text) {
    out.error(prefix() + "[" + conn + "] " + text);
  }

  private String prefix() {
    DateTimeFormatter f = defaults.timestamps();
    return f == null ? "" : f.format(LocalDateTime.now()) + " ";
  }

  /** Prints what one connection receives. */
  private final class Printer implements ConnectionListener {
    private final int[] id;

    Printer(int[] id) {
      this.id = id;
    }

    @Override
    public void onMessage(Message m) {
      synchronized (out) {
        line(id[0], describe(m, m instanceof Res r && expired.remove(r.forUuid())));
      }
    }

    @Override
    public void onInvalidFrame(String text, RuntimeException error) {
      synchronized (out) {
        error(id[0], "<<< invalid frame (" + error.getMessage() + "): " + abbreviate(text, 100));
      }
    }

    @Override
    public void onClose(ConnectionClosedException cause) {
      synchronized (out) {
        String text =
            "connection closed: "
                + cause.code()
                + (cause.reason().isEmpty() ? "" : " " + cause.reason())
                + (cause.byClient() ? " (by this client)" : "");
        if (cause.byClient() || cause.code() == 1000 || cause.code() == 1001) {
          line(id[0], text);
        } else {
          error(id[0], text);
        }
      }
    }
  }

  /** The {@code <<< ...} text for a received message. */
  static String describe(Message m, boolean lateResult) {
    String head = "<<< " + m.type() + " message: " + m.uuid() + " for ";
    if (m instanceof SessionAck s) {
      return head
          + "SESSION "
          + s.session()
          + (s.resumed() ? " (resumed)" : " (new)")
          + (s.refused() == null ? "" : " (refused: " + s.refused() + ")");
    } else if (m instanceof Ack a) {
      return head
          + a.forType()
          + " "
          + a.forUuid()
          + (a.cancelled() == null ? "" : " (cancelled " + a.uri() + ", " + a.cancelled() + ")");
    } else if (m instanceof Nack n) {
      return head + n.forType() + " " + n.forUuid() + " (" + n.code() + " " + n.message() + ")";
    } else if (m instanceof Res r) {
      return head
          + "CALL "
          + r.forUuid()
          + " ("
          + abbreviate(r.args().json(), RES_DETAIL)
          + ")"
          + (lateResult ? " late: the call had expired, result ignored" : "");
    } else if (m instanceof Evnt e) {
      return head
          + "PUB "
          + e.forUuid()
          + " ("
          + e.channel()
          + (e.pattern() == null ? "" : " via " + e.pattern())
          + ": "
          + abbreviate(e.args().json(), EVNT_DETAIL)
          + ")";
    }
    return head + m;
  }

  static String abbreviate(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
