package io.juggler.faults;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A TCP proxy on loopback that can delay what it forwards: the fault suite's slow Redis (scenario
 * 5). Every chunk read from either side is written to the other {@link #delay(int)} milliseconds
 * after it arrived, in order (a chunk never overtakes an earlier one). With no delay it only
 * forwards. When the target refuses or drops a connection, the proxy drops the client's, so a dead
 * Redis looks dead through it too. {@link #cut()} resets every connection through it (the clients'
 * network drop of scenario 7).
 *
 * <p>Why a proxy of the suite's own: no fault-injection proxy is in the package lists this project
 * may use, and {@code tc netem} on a veth pair into a network namespace, the other way, needs the
 * kernel's {@code sch_netem}, which this machine's kernel lacks ({@code tc qdisc add ... netem}
 * answers "Specified qdisc kind is unknown", and there are no kernel modules to load).
 */
final class LatencyProxy implements AutoCloseable {

  private record Chunk(byte[] bytes, long dueNanos) {}

  private final ServerSocket server;
  private final InetSocketAddress target;
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private volatile long delayNanos;
  private volatile boolean closed;

  LatencyProxy(int port, InetSocketAddress target) throws IOException {
    this.server = new ServerSocket(port, 512, InetAddress.getLoopbackAddress());
    this.target = target;
    Thread t = new Thread(this::accept, "faults-proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** Delay added in each direction from now on (0: none). */
  void delay(int millis) {
    delayNanos = millis * 1_000_000L;
  }

  /**
   * Resets every connection through the proxy at once, both ends (a network drop as a load balancer
   * or a NAT that forgets its connections makes it); new connections are accepted as before.
   */
  void cut() {
    for (Socket s : sockets) {
      try {
        s.setSoLinger(true, 0); // RST, not FIN
      } catch (IOException e) {
        // closing anyway
      }
      closeQuietly(s);
    }
  }

  private void accept() {
    while (!closed) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> connect(client), "faults-proxy-connect");
      t.setDaemon(true);
      t.start();
    }
  }

  private void connect(Socket client) {
    Socket upstream = new Socket();
    try {
      client.setTcpNoDelay(true);
      upstream.setTcpNoDelay(true);
      upstream.connect(target, 2_000);
    } catch (IOException e) {
      closeQuietly(client);
      closeQuietly(upstream);
      return;
    }
    sockets.add(client);
    sockets.add(upstream);
    pipe(client, upstream);
    pipe(upstream, client);
  }

  /** Copies {@code from} to {@code to} through a queue, each chunk held until it is due. */
  private void pipe(Socket from, Socket to) {
    BlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              byte[] buf = new byte[16384];
              try (InputStream in = from.getInputStream()) {
                int n;
                while ((n = in.read(buf)) > 0) {
                  queue.add(new Chunk(Arrays.copyOf(buf, n), System.nanoTime() + delayNanos));
                }
              } catch (IOException e) {
                // closed
              }
              queue.add(new Chunk(null, 0)); // end of stream
            },
            "faults-proxy-read");
    Thread writer =
        new Thread(
            () -> {
              try {
                OutputStream out = to.getOutputStream();
                while (true) {
                  Chunk c = queue.take();
                  if (c.bytes() == null) {
                    break;
                  }
                  long wait = c.dueNanos() - System.nanoTime();
                  if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                  }
                  out.write(c.bytes());
                  out.flush();
                }
              } catch (IOException | InterruptedException e) {
                // closed
              }
              closeQuietly(from);
              closeQuietly(to);
              sockets.remove(from);
              sockets.remove(to);
            },
            "faults-proxy-write");
    reader.setDaemon(true);
    writer.setDaemon(true);
    reader.start();
    writer.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    sockets.forEach(LatencyProxy::closeQuietly);
  }
}
