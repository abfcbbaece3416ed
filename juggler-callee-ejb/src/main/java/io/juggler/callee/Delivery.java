package io.juggler.callee;

/**
 * How often a call reaches its function when callees fail; declared per URI with {@link
 * Callee#delivery()}.
 */
public enum Delivery {

  /**
   * The reference's semantics and layout (spec 6.4): a worker pops the call and deletes its expiry
   * key, so it runs at most once; if the callee dies meanwhile, the call is lost and the caller
   * sees it expire. Go callees and Juggler EE callees may serve such a URI together.
   */
  AT_MOST_ONCE,

  /**
   * A worker moves the call into its own processing list ({@code BLMOVE}) under a lease that its
   * instance renews; a reaper on any instance serving the URI returns the calls of an instance
   * whose lease expired (it died, or lost Redis too long) to the queue while their time remains.
   * The function may therefore run more than once for one call: it gets the call's uuid as an
   * idempotency key ({@link CallRequest#msgUuid()}) and the delivery attempt ({@link
   * CallRequest#attempt()}). The guarantee holds only while every callee of the URI is a Juggler EE
   * callee declaring it (a Go callee would pop such a call at most once).
   */
  AT_LEAST_ONCE
}
