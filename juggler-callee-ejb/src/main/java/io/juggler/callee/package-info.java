/**
 * The callee runtime: the SPI a user implements to serve a URI ({@link
 * io.juggler.callee.CalleeFunction} plus {@link io.juggler.callee.Callee}), and {@link
 * io.juggler.callee.CalleeRuntime}, the start-up singleton that runs worker loops as long-running
 * managed tasks. Workers take a call only when free (no prefetch), drop expired calls, run the
 * function and store its result with the call's remaining time (spec section 10).
 */
package io.juggler.callee;
