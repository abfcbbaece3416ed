/**
 * The benchmark behind {@code ./bench.sh}: starts its own Redis and Payara Micro on loopback, runs
 * each scenario for a bounded time, and writes a results file (JSON and Markdown) with the
 * parameters, the machine and the date. Not a test: it reports figures, it asserts nothing.
 */
package io.juggler.bench;
