package io.juggler.server.tyrus;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Tyrus's upgrade handler with its read listener registered only after its connection exists, and
 * the read limit enforced on frame headers.
 *
 * <p>{@link #init} hands Tyrus a view of the connection whose {@code setReadListener} only records
 * the listener; once Tyrus's own {@code init} has created its connection (and released the latch
 * its {@code onDataAvailable} waits on), the recorded listener is registered with the container.
 * Bytes that arrived with the upgrade request are then read at once, on this thread, instead of
 * parking it. Everything Tyrus reads passes through a {@link FrameSizeGuard} when a read limit is
 * set.
 */
public class OrderedUpgradeHandler extends TyrusHttpUpgradeHandler {

  /** {@code juggler.server.read-limit} of this application (0: none), set at start-up. */
  static volatile long readLimit;

  @Override
  public void init(WebConnection connection) {
    DeferredListenerConnection deferred = new DeferredListenerConnection(connection);
    super.init(deferred);
    deferred.registerListener();
  }

  /** The container's connection, holding back the read listener until {@link #registerListener}. */
  private static final class DeferredListenerConnection implements WebConnection {

    private final WebConnection connection;
    private ServletInputStream input;
    private ReadListener listener;
    private volatile boolean closed;

    DeferredListenerConnection(WebConnection connection) {
      this.connection = connection;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (input == null) {
        long limit = readLimit;
        input =
            new DeferredListenerInput(
                connection.getInputStream(), this, limit > 0 ? new FrameSizeGuard(limit) : null);
      }
      return input;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      return connection.getOutputStream();
    }

    @Override
    public void close() throws Exception {
      closed = true;
      connection.close();
    }

    /**
     * Registers the recorded listener, unless the connection was closed meanwhile (the endpoint
     * refused it while Tyrus opened it): the container refuses a listener on a closed upgrade (an
     * {@code IllegalStateException} with a stack trace at SEVERE), and the socket was left open for
     * good.
     */
    void registerListener() {
      ReadListener l = listener;
      if (l != null && !closed) {
        ((DeferredListenerInput) input).delegate.setReadListener(l);
      }
    }
  }

  /**
   * Delegates every read, through the frame guard if any; {@code setReadListener} is recorded, not
   * passed on.
   */
  private static final class DeferredListenerInput extends ServletInputStream {

    final ServletInputStream delegate;
    private final DeferredListenerConnection owner;
    private final FrameSizeGuard guard;

    DeferredListenerInput(
        ServletInputStream delegate, DeferredListenerConnection owner, FrameSizeGuard guard) {
      this.delegate = delegate;
      this.owner = owner;
      this.guard = guard;
    }

    @Override
    public void setReadListener(ReadListener readListener) {
      owner.listener = readListener;
    }

    @Override
    public boolean isFinished() {
      return delegate.isFinished();
    }

    @Override
    public boolean isReady() {
      return (guard != null && guard.pendingCount() > 0) || delegate.isReady();
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n <= 0 ? (n < 0 ? -1 : 0) : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (guard == null) {
        return delegate.read(b, off, len);
      }
      if (guard.pendingCount() > 0) {
        return guard.drainPending(b, off, len);
      }
      int n = delegate.read(b, off, len);
      return n <= 0 ? n : guard.filter(b, off, n, len);
    }

    @Override
    public int available() throws IOException {
      return (guard == null ? 0 : guard.pendingCount()) + delegate.available();
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
