package io.juggler.registry;

/**
 * An instance's state as a reader found it in the registry, with how long ago it was written.
 *
 * <p>That age is measured on Redis's clock (the publication interval's three-fold time-to-live
 * minus the state's remaining PTTL, read in the same script as the state), never by comparing the
 * reader's clock with the publisher's {@link InstanceState#publishedAt}: instances' clocks differ.
 * A <em>silent</em> instance has not refreshed its state for longer than its publication interval
 * allows (see {@link InstanceRegistry#silentAfter}): it is most likely dead, and readers leave it
 * out of what they count as live (connections, workers, served URIs) until it publishes again or
 * its state expires.
 *
 * @param state the state as last published
 * @param sinceWriteMillis milliseconds since the state was last written, on Redis's clock, when it
 *     was read; -1 when unknown (a state from an instance of an earlier version, which does not
 *     publish its interval: never judged silent)
 * @param readAt epoch milliseconds of the read, on the reader's clock
 * @param silent whether the state had gone unrefreshed for longer than its interval allows
 */
public record RegisteredInstance(
    InstanceState state, long sinceWriteMillis, long readAt, boolean silent) {

  public boolean live() {
    return !silent;
  }

  public String id() {
    return state.id();
  }

  /**
   * When the state was last written, in epoch milliseconds on the reader's clock (so that the
   * reader can show "N s ago" consistently); the publisher's {@code publishedAt} when unknown.
   */
  public long lastWriteAt() {
    return sinceWriteMillis < 0 ? state.publishedAt() : readAt - sinceWriteMillis;
  }
}
