package io.juggler.client;

import io.juggler.message.RawJson;

/**
 * One EVNT delivered to a subscription (spec section 3.9).
 *
 * @param uuid the EVNT's own message uuid
 * @param publicationUuid the uuid of the PUB that produced it ({@code for})
 * @param channel the concrete channel it was published on
 * @param pattern the pattern that matched, or {@code null} for an exact-channel subscription
 * @param args the published value ({@link RawJson#NULL} when the PUB had none)
 */
public record Event(
    String uuid, String publicationUuid, String channel, String pattern, RawJson args) {}
