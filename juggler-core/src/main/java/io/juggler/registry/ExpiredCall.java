package io.juggler.registry;

/**
 * A call that expired, as recorded cluster-wide.
 *
 * @param uri the call's URI
 * @param msgUuid the CALL's uuid
 * @param stage where it expired (one of {@link Stage})
 * @param at epoch milliseconds
 * @param instance the instance that noticed
 */
public record ExpiredCall(String uri, String msgUuid, String stage, long at, String instance) {

  /** Stages at which a call can expire; also the {@code stage} tag of the expiry metric. */
  public static final class Stage {
    private Stage() {}

    /** A callee popped the call after its time was up (it waited too long in the queue). */
    public static final String QUEUE = "queue";

    /** The server popped the result after the call's time was up. */
    public static final String RESULT = "result";

    /** The server stopped waiting: no result arrived before the deadline. */
    public static final String UNANSWERED = "unanswered";

    /** The client left while the call was pending. */
    public static final String ABANDONED = "abandoned";

    public static final java.util.List<String> ALL =
        java.util.List.of(QUEUE, RESULT, UNANSWERED, ABANDONED);
  }
}
