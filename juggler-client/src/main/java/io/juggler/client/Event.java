package io.juggler.client;

import io.juggler.message.RawJson;
import io.juggler.message.Sub;

/**
 * One EVNT delivered to a subscription (spec section 3.9).
 *
 * @param uuid the EVNT's own message uuid
 * @param publicationUuid the uuid of the PUB that produced it ({@code for})
 * @param channel the concrete channel it was published on
 * @param pattern the pattern that matched, or {@code null} for an exact-channel subscription
 * @param args the published value ({@link RawJson#NULL} when the PUB had none)
 * @param offset its position in the channel's history (Juggler EE, issue 23), 0 on a channel that
 *     keeps none
 * @param epoch the history's epoch, null on a channel that keeps none
 */
public record Event(
    String uuid,
    String publicationUuid,
    String channel,
    String pattern,
    RawJson args,
    long offset,
    String epoch) {

  public Event(String uuid, String publicationUuid, String channel, String pattern, RawJson args) {
    this(uuid, publicationUuid, channel, pattern, args, 0, null);
  }

  /**
   * Where this event is in its channel's history, to {@link JugglerClient#subscribe(String,
   * Sub.Position, java.util.function.Consumer) recover} from after a reconnect; null on a channel
   * that keeps none.
   */
  public Sub.Position position() {
    return epoch == null ? null : new Sub.Position(offset, epoch);
  }
}
