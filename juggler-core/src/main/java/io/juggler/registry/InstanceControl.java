package io.juggler.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Commands from a console to one instance, or to all: close a connection, publish your state now.
 * Each instance waits for its own commands ({@link #awaitCommand}). Thread-safe; failures are
 * reported as broker exceptions.
 */
public interface InstanceControl {

  /**
   * A command for one instance: {@code disconnect} one of its connections, or {@code publish} its
   * state now ({@code connection} null).
   */
  record Command(String action, String connection, String by) {
    public static final String DISCONNECT = "disconnect";
    public static final String PUBLISH = "publish";

    /** {@link #by} of a disconnect asked by a server that a client resumed its session on. */
    public static final String BY_SESSION_RESUME = "session-resume";
  }

  /** Asks {@code instance} to close one of its connections. */
  void requestDisconnect(String instance, String connection, String by);

  /**
   * Asks every registered instance to publish its state at once ({@link Command#PUBLISH}), as a
   * console does when it starts watching details.
   *
   * @return the ids of the instances asked
   */
  List<String> requestPublication(String by);

  /** Waits up to {@code timeout} (at least 1 ms) for the next command for {@code instance}. */
  Optional<Command> awaitCommand(String instance, Duration timeout);
}
