/** Small statistics over recent measurements (service times, latencies) for the registry. */
package io.juggler.stats;
