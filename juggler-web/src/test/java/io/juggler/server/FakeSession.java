package io.juggler.server;

import io.juggler.auth.Identity;
import io.juggler.message.MessageType;
import io.juggler.message.Uuids;
import jakarta.websocket.CloseReason;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendHandler;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * A websocket session for unit tests of {@link Connection}: records every text written, every ping
 * and the close, and leaves each asynchronous write pending until the test completes it ({@link
 * #complete}, {@link #fail}), as a slow network would. Only the methods {@code Connection} calls
 * are implemented; any other call fails the test.
 */
final class FakeSession {

  final List<String> written = new ArrayList<>();
  final List<SendHandler> pending = new ArrayList<>();
  int pings;
  CloseReason closed;
  boolean open = true;

  final Session session =
      (Session)
          Proxy.newProxyInstance(
              getClass().getClassLoader(),
              new Class<?>[] {Session.class},
              (proxy, method, args) ->
                  switch (method.getName()) {
                    case "getAsyncRemote" -> async();
                    case "isOpen" -> open;
                    case "close" -> {
                      closed = (CloseReason) args[0];
                      open = false;
                      yield null;
                    }
                    case "toString" -> "FakeSession";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException(method.getName());
                  });

  private RemoteEndpoint.Async async() {
    return (RemoteEndpoint.Async)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {RemoteEndpoint.Async.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "sendText" -> {
                    synchronized (this) {
                      written.add((String) args[0]);
                      pending.add((SendHandler) args[1]);
                    }
                    yield null;
                  }
                  case "sendPing" -> {
                    if (!open) {
                      throw new IOException("closed");
                    }
                    pings++;
                    yield null;
                  }
                  default -> throw new UnsupportedOperationException(method.getName());
                });
  }

  /** Completes the oldest pending write successfully. */
  void complete() {
    SendHandler h;
    synchronized (this) {
      h = pending.remove(0);
    }
    h.onResult(new SendResult());
  }

  /** Fails the oldest pending write. */
  void fail(Throwable cause) {
    SendHandler h;
    synchronized (this) {
      h = pending.remove(0);
    }
    h.onResult(new SendResult(cause));
  }

  /** Closes handed off by connections of this session, run by {@link #runCloses()}. */
  final List<Runnable> closes = new ArrayList<>();

  /**
   * A connection on this session with the given outbound bounds and no rate limit; closes it hands
   * off wait in {@link #closes}.
   */
  Connection connection(int maxQueued, long maxQueuedBytes) {
    return connection(maxQueued, maxQueuedBytes, Identity.ANONYMOUS);
  }

  /** A connection on this session for {@code identity}, otherwise as above. */
  Connection connection(int maxQueued, long maxQueuedBytes, Identity identity) {
    return new Connection(
        Uuids.random(),
        session,
        EnumSet.allOf(MessageType.class),
        new Connection.Limits(maxQueued, maxQueuedBytes),
        null,
        ServerCounters.NONE,
        closes::add,
        new Connection.Peer("127.0.0.1", "test", identity));
  }

  /** Runs the closes handed off so far, as the server's closer threads would. */
  void runCloses() {
    List<Runnable> now = new ArrayList<>(closes);
    closes.clear();
    now.forEach(Runnable::run);
  }

  int closeCode() {
    return closed == null ? -1 : closed.getCloseCode().getCode();
  }
}
