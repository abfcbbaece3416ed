package io.juggler.client;

import io.juggler.message.Ack;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A handler receiving the events of one channel or pattern on one {@link JugglerClient}, made by
 * {@link JugglerClient#subscribe}. Events arriving before the SUB's ACK are delivered too.
 *
 * <p>Several subscriptions to the same channel (or pattern) on one client share one server-side
 * subscription: the SUB is sent for the first and the UNSB when the last one closes. {@link
 * #close()} is idempotent and thread-safe.
 */
public final class Subscription implements AutoCloseable {

  private static final Logger LOG = Logger.getLogger(Subscription.class.getName());

  private volatile JugglerClient client;
  private final String channel;
  private final boolean pattern;
  private final Consumer<Event> handler;
  private CompletableFuture<Void> acknowledged;
  private final CompletableFuture<Ack.Recovery> recovery = new CompletableFuture<>();

  Subscription(JugglerClient client, String channel, boolean pattern, Consumer<Event> handler) {
    this.client = client;
    this.channel = channel;
    this.pattern = pattern;
    this.handler = handler;
  }

  /** The channel name, or the glob pattern when {@link #pattern()} is true. */
  public String channel() {
    return channel;
  }

  public boolean pattern() {
    return pattern;
  }

  /**
   * Completes when the server acknowledged the SUB; fails with {@link RequestRejectedException} on
   * NACK (the subscription is then void) or {@link ConnectionClosedException}.
   */
  public CompletableFuture<Void> acknowledged() {
    return acknowledged;
  }

  void acknowledged(CompletableFuture<Void> ack) {
    this.acknowledged = ack;
  }

  /**
   * For a subscription made to recover missed events ({@link JugglerClient#subscribe(String,
   * io.juggler.message.Sub.Position, Consumer)}), what the server's ACK said: {@code recovered}
   * (the missed events come first, in order), or why not. Completes with null when the server says
   * nothing of it (a reference server), and never for a subscription that did not ask.
   */
  public CompletableFuture<Ack.Recovery> recovery() {
    return recovery;
  }

  /** Moves this subscription to the client that resumed its own ({@link JugglerClient#resume}). */
  void movedTo(JugglerClient next) {
    this.client = next;
  }

  void recovered(Ack.Recovery r) {
    recovery.complete(r);
  }

  /**
   * Stops delivery to this handler at once; when it was the last handler of its channel on this
   * client, sends UNSB and returns a future completing on its ACK. Otherwise (or when the
   * connection has ended) the returned future is already complete.
   */
  public CompletableFuture<Void> unsubscribe() {
    return client.unsubscribe(this);
  }

  /** {@link #unsubscribe()} without waiting for the server. */
  @Override
  public void close() {
    unsubscribe();
  }

  void deliver(Event event) {
    try {
      handler.accept(event);
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, e, () -> "Event handler of " + channel + " failed");
    }
  }

  @Override
  public String toString() {
    return (pattern ? "pattern " : "channel ") + channel;
  }
}
