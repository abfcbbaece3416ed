package io.juggler.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class GoLoadReportTest {

  /** What juggler-load printed against the reference (10 connections, 3 s), stats cut short. */
  static final String REPORT =
      """

      --- CONFIGURATION

      Address:    ws://127.0.0.1:18090/ws
      Protocol:   juggler.0
      URI:        test.echo x 0
      Payload:    hello

      Connections: 10
      Rate:        -1ms
      Timeout:     1s
      Duration:    3s

      --- CLIENT STATISTICS

      Actual Duration: 3.05733047s
      Calls:           11075
      Acks:            11075
      Nacks:           0
      Results:         11074
      Expired:         1

      --- CLIENT LATENCIES

      Minimum:         71.356µs
      Maximum:         2562047h47m16.854775807s
      Average:         -231h21m25.317682788s
      Median:          2.460706ms
      75th Percentile: 2.875287ms
      90th Percentile: 3.415228ms
      99th Percentile: 6.856615ms

      --- SERVER STATISTICS

      Memory          Before          After           Diff.
      Alloc:          0.00B           0.00B           0.00B
      """;

  @Test
  void readsTheClientStatisticsAndPercentiles() {
    GoLoadReport r = GoLoadReport.parse(REPORT.stripIndent());
    assertEquals(3.05733047, r.actualSeconds(), 1e-9);
    assertEquals(11075, r.calls());
    assertEquals(0, r.nacks());
    assertEquals(11074, r.results());
    assertEquals(1, r.expired());
    assertEquals(2.460706, r.p50Ms(), 1e-9);
    assertEquals(3.415228, r.p90Ms(), 1e-9);
    assertEquals(6.856615, r.p99Ms(), 1e-9);
    assertEquals(11074 / 3.05733047, r.resultsPerSecond(), 1e-6);
  }

  @Test
  void aReportWithoutItsStatisticsIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> GoLoadReport.parse("dial tcp 127.0.0.1:1: connect: connection refused\n"));
  }

  @Test
  void readsGoDurations() {
    assertEquals(0, GoLoadReport.goDurationSeconds("0s"));
    assertEquals(0, GoLoadReport.goDurationSeconds("0"));
    assertEquals(500e-9, GoLoadReport.goDurationSeconds("500ns"), 1e-15);
    assertEquals(71.356e-6, GoLoadReport.goDurationSeconds("71.356µs"), 1e-12);
    assertEquals(71.356e-6, GoLoadReport.goDurationSeconds("71.356us"), 1e-12);
    assertEquals(0.787, GoLoadReport.goDurationSeconds("787ms"), 1e-12);
    assertEquals(62.5, GoLoadReport.goDurationSeconds("1m2.5s"), 1e-9);
    assertEquals(3723, GoLoadReport.goDurationSeconds("1h2m3s"), 1e-9);
    assertEquals(-(231 * 3600 + 21 * 60 + 25.5), GoLoadReport.goDurationSeconds("-231h21m25.5s"));
  }

  @Test
  void refusesWhatIsNotAGoDuration() {
    for (String s : new String[] {"", "s", "12", "1.5x", "3s junk", "ms5"}) {
      assertThrows(IllegalArgumentException.class, () -> GoLoadReport.goDurationSeconds(s), s);
    }
  }
}
