package io.juggler.server.tyrus;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.WebConnection;
import java.io.IOException;
import org.glassfish.tyrus.servlet.TyrusHttpUpgradeHandler;

/**
 * Tyrus's upgrade handler with its read listener registered only after its connection exists.
 *
 * <p>{@link #init} hands Tyrus a view of the connection whose {@code setReadListener} only records
 * the listener; once Tyrus's own {@code init} has created its connection (and released the latch
 * its {@code onDataAvailable} waits on), the recorded listener is registered with the container.
 * Bytes that arrived with the upgrade request are then read at once, on this thread, instead of
 * parking it.
 */
public class OrderedUpgradeHandler extends TyrusHttpUpgradeHandler {

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

    DeferredListenerConnection(WebConnection connection) {
      this.connection = connection;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
      if (input == null) {
        input = new DeferredListenerInput(connection.getInputStream(), this);
      }
      return input;
    }

    @Override
    public ServletOutputStream getOutputStream() throws IOException {
      return connection.getOutputStream();
    }

    @Override
    public void close() throws Exception {
      connection.close();
    }

    void registerListener() {
      ReadListener l = listener;
      if (l != null) {
        ((DeferredListenerInput) input).delegate.setReadListener(l);
      }
    }
  }

  /** Delegates every read; {@code setReadListener} is recorded, not passed on. */
  private static final class DeferredListenerInput extends ServletInputStream {

    final ServletInputStream delegate;
    private final DeferredListenerConnection owner;

    DeferredListenerInput(ServletInputStream delegate, DeferredListenerConnection owner) {
      this.delegate = delegate;
      this.owner = owner;
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
      return delegate.isReady();
    }

    @Override
    public int read() throws IOException {
      return delegate.read();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return delegate.read(b, off, len);
    }

    @Override
    public int readLine(byte[] b, int off, int len) throws IOException {
      return delegate.readLine(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return delegate.available();
    }

    @Override
    public long skip(long n) throws IOException {
      return delegate.skip(n);
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }
}
