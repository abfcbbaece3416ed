/**
 * The load generator ({@code juggler-load.jar}): many connections making calls at a fixed rate
 * (open loop) or with a fixed number in flight (closed loop), or publishers and subscribers on one
 * channel; progress every second and a final report with HdrHistogram latency percentiles, as text
 * or JSON.
 *
 * <p>Built to load a server to 10k+ calls/s from a small machine: one HTTP client for all
 * connections, callbacks run on the receiving threads without blocking, one pacing thread for every
 * open-loop connection, and no thread or timer per message beyond the client's expiry timer.
 */
package io.juggler.client.load;
