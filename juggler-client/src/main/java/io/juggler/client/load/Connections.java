package io.juggler.client.load;

import io.juggler.client.ClientOptions;
import io.juggler.client.JugglerClient;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens the load's connections in parallel over one HTTP client, with callbacks on the receiving
 * threads, and counts those that fail to open or end while the load runs.
 */
final class Connections {

  /** Handshakes in flight at once while opening connections. */
  static final int HANDSHAKES_IN_FLIGHT = 200;

  private final LoadOptions options;
  private final HttpClient http;
  private final AtomicInteger errors = new AtomicInteger();
  private final AtomicReference<String> firstError = new AtomicReference<>();
  private final List<JugglerClient> opened = new ArrayList<>();
  private volatile boolean closing;

  Connections(LoadOptions options) {
    this.options = options;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(options.connectTimeout());
    if (options.ioThreads() == 0) {
      // about half the CPU per message of the default pool: no hand-off between threads
      b.executor(Runnable::run);
    } else {
      AtomicInteger n = new AtomicInteger();
      b.executor(
          Executors.newFixedThreadPool(
              options.ioThreads(),
              r -> {
                Thread t = new Thread(r, "juggler-load-io-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
              }));
    }
    this.http = b.build();
  }

  /** Opens {@code n} connections; returns those that opened (failures are counted). */
  List<JugglerClient> open(int n) {
    ClientOptions.Builder b =
        ClientOptions.builder()
            .subprotocols(options.protocol())
            .httpClient(http)
            .callbackExecutor(Runnable::run)
            .connectTimeout(options.connectTimeout())
            .defaultCallTimeout(options.timeout());
    options.headers().forEach(h -> b.header(h.getKey(), h.getValue()));
    ClientOptions clientOptions = b.build();
    List<CompletableFuture<JugglerClient>> futures = new ArrayList<>();
    // a bounded number of handshakes at a time: thousands at once time out on a busy server
    Semaphore handshakes = new Semaphore(HANDSHAKES_IN_FLIGHT);
    for (int i = 0; i < n; i++) {
      handshakes.acquireUninterruptibly();
      CompletableFuture<JugglerClient> f = JugglerClient.connectAsync(options.url(), clientOptions);
      f.whenComplete((c, e) -> handshakes.release());
      futures.add(f);
    }
    List<JugglerClient> clients = new ArrayList<>();
    for (CompletableFuture<JugglerClient> f : futures) {
      try {
        JugglerClient c = f.join();
        clients.add(c);
        c.closeFuture()
            .thenAccept(
                cause -> {
                  if (!closing) {
                    error("connection lost: " + cause.getMessage());
                  }
                });
      } catch (CompletionException e) {
        error("cannot connect to " + options.url() + ": " + describe(e.getCause()));
      }
    }
    synchronized (opened) {
      opened.addAll(clients);
    }
    return clients;
  }

  private void error(String message) {
    errors.incrementAndGet();
    firstError.compareAndSet(null, message);
  }

  static String describe(Throwable t) {
    Throwable c = t;
    while (c.getCause() != null && (c.getMessage() == null || c instanceof CompletionException)) {
      c = c.getCause();
    }
    return c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
  }

  /** Connections that could not be opened or were lost before {@link #closeAll()}. */
  int errors() {
    return errors.get();
  }

  /** The first connection error, or {@code null}. */
  String firstError() {
    return firstError.get();
  }

  /** Closes every connection (close frames in parallel, then abort what is left). */
  void closeAll() {
    closing = true;
    List<CompletableFuture<Void>> closes = new ArrayList<>();
    synchronized (opened) {
      for (JugglerClient c : opened) {
        closes.add(c.closeAsync(1000, "").exceptionally(e -> null));
      }
    }
    try {
      CompletableFuture.allOf(closes.toArray(CompletableFuture[]::new)).join();
    } catch (CompletionException e) {
      // aborted below
    }
    synchronized (opened) {
      opened.forEach(JugglerClient::abort);
    }
  }
}
