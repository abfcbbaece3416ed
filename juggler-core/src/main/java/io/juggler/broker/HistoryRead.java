package io.juggler.broker;

import io.juggler.message.PubPayload;
import java.util.List;

/**
 * What a subscriber missed on a channel with history (issue 23), as {@link
 * PubSubBroker#readHistory} found it.
 *
 * @param status whether the missed events could all be read
 * @param top the channel's last offset (0 when it has no history now)
 * @param epoch the channel's epoch, or null when it has no history now
 * @param events the missed events, oldest first, each with its offset and epoch (empty unless
 *     {@link Status#RECOVERED})
 */
public record HistoryRead(Status status, long top, String epoch, List<PubPayload> events) {

  /** Whether recovery is possible. */
  public enum Status {
    /** Every missed event is in {@link #events} (none, when nothing was missed). */
    RECOVERED,
    /** The history started over (another epoch, or none any more): state must be reloaded. */
    EPOCH_CHANGED,
    /** Some missed events are no longer kept (trimmed by size or age, or too many). */
    HISTORY_GONE,
    /** More bytes were missed than one recovery may replay ({@code max-replay-bytes}). */
    TOO_LARGE
  }
}
