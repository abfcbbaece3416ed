package io.juggler.client.load;

import io.juggler.client.commandline.Durations;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Locale;

/** The final report, as text for people or as one JSON document for scripts. */
final class Reports {

  private Reports() {}

  static String text(RpcLoad.Report r) {
    LoadOptions o = r.options();
    StringBuilder sb = new StringBuilder();
    sb.append("juggler-load rpc against ").append(o.url()).append('\n');
    sb.append("  load          ").append(o.describe()).append('\n');
    sb.append("  connected     ")
        .append(r.connected())
        .append(" of ")
        .append(o.connections())
        .append('\n');
    sb.append("  measured      ")
        .append(seconds(r.measured().toNanos()))
        .append(" s after ")
        .append(Durations.format(o.warmup()))
        .append(" warm-up\n\n");
    row(sb, "calls", r.calls(), String.format(Locale.ROOT, "%.1f/s sent", r.callsPerSecond()));
    row(sb, "acks", r.acks(), "");
    row(
        sb,
        "results (RES)",
        r.results(),
        String.format(Locale.ROOT, "%.1f/s completed", r.resultsPerSecond()));
    row(sb, "nacks", r.nacks(), "");
    row(sb, "expired", r.expired(), "no answer within the timeout");
    row(sb, "failed", r.failed(), "connection lost while waiting");
    row(sb, "connection errors", r.connectionErrors(), firstError(r.firstConnectionError()));
    sb.append('\n');
    latency(sb, "call latency (send to RES)", r.latency());
    return sb.toString();
  }

  static String text(PubSubLoad.Report r) {
    LoadOptions o = r.options();
    StringBuilder sb = new StringBuilder();
    sb.append("juggler-load pubsub against ").append(o.url()).append('\n');
    sb.append("  load          ").append(o.describe()).append('\n');
    sb.append("  connected     ")
        .append(r.subscribersConnected())
        .append(" of ")
        .append(o.subscribers())
        .append(" subscribers, ")
        .append(r.publishersConnected())
        .append(" of ")
        .append(o.publishers())
        .append(" publishers\n");
    sb.append("  measured      ")
        .append(seconds(r.measured().toNanos()))
        .append(" s after ")
        .append(Durations.format(o.warmup()))
        .append(" warm-up\n\n");
    row(sb, "published", r.published(), "");
    row(sb, "acks", r.acks(), "");
    row(sb, "nacks", r.nacks(), "");
    row(sb, "failed", r.failed(), "connection lost before the ACK");
    row(sb, "expected", r.expectedDeliveries(), "acks x subscribers");
    row(
        sb,
        "delivered (EVNT)",
        r.delivered(),
        String.format(Locale.ROOT, "%.1f/s", r.deliveredPerSecond()));
    long maxMissed = r.missedPerSubscriber().stream().mapToLong(Long::longValue).max().orElse(0);
    row(sb, "missed", r.missed(), "at most " + maxMissed + " by one subscriber");
    row(sb, "connection errors", r.connectionErrors(), firstError(r.firstConnectionError()));
    sb.append('\n');
    latency(sb, "event latency (publish to EVNT)", r.latency());
    return sb.toString();
  }

  static JsonObject json(RpcLoad.Report r) {
    LoadOptions o = r.options();
    JsonObjectBuilder config =
        Json.createObjectBuilder()
            .add("url", o.url().toString())
            .add("connections", o.connections())
            .add("loop", o.rate() != null ? "open" : "closed")
            .add("uri", o.uri())
            .add("payload", o.payload().json())
            .add("timeoutMs", o.timeout().toMillis())
            .add("durationMs", o.duration().toMillis())
            .add("warmupMs", o.warmup().toMillis());
    if (o.rate() != null) {
      config.add("ratePerConnection", o.rate());
    } else {
      config.add("concurrency", o.concurrency());
    }
    return Json.createObjectBuilder()
        .add("mode", "rpc")
        .add("config", config)
        .add("connected", r.connected())
        .add("measuredSeconds", r.measured().toNanos() / 1e9)
        .add("calls", r.calls())
        .add("acks", r.acks())
        .add("results", r.results())
        .add("nacks", r.nacks())
        .add("expired", r.expired())
        .add("failed", r.failed())
        .add("connectionErrors", r.connectionErrors())
        .add("callsPerSecond", round(r.callsPerSecond()))
        .add("resultsPerSecond", round(r.resultsPerSecond()))
        .add("latencyMs", latency(r.latency()))
        .build();
  }

  static JsonObject json(PubSubLoad.Report r) {
    LoadOptions o = r.options();
    JsonArrayBuilder missed = Json.createArrayBuilder();
    r.missedPerSubscriber().forEach(missed::add);
    return Json.createObjectBuilder()
        .add("mode", "pubsub")
        .add(
            "config",
            Json.createObjectBuilder()
                .add("url", o.url().toString())
                .add("subscribers", o.subscribers())
                .add("publishers", o.publishers())
                .add("publishRate", o.publishRate())
                .add("channel", o.channel())
                .add("padding", o.padding())
                .add("durationMs", o.duration().toMillis())
                .add("warmupMs", o.warmup().toMillis()))
        .add("subscribersConnected", r.subscribersConnected())
        .add("publishersConnected", r.publishersConnected())
        .add("measuredSeconds", r.measured().toNanos() / 1e9)
        .add("published", r.published())
        .add("acks", r.acks())
        .add("nacks", r.nacks())
        .add("failed", r.failed())
        .add("expectedDeliveries", r.expectedDeliveries())
        .add("delivered", r.delivered())
        .add("deliveredPerSecond", round(r.deliveredPerSecond()))
        .add("missed", r.missed())
        .add("missedPerSubscriber", missed)
        .add("connectionErrors", r.connectionErrors())
        .add("latencyMs", latency(r.latency()))
        .build();
  }

  private static JsonObjectBuilder latency(Latency.Percentiles p) {
    return Json.createObjectBuilder()
        .add("count", p.count())
        .add("min", p.min())
        .add("mean", round(p.mean()))
        .add("p50", p.p50())
        .add("p90", p.p90())
        .add("p99", p.p99())
        .add("p99.9", p.p999())
        .add("max", p.max());
  }

  private static void latency(StringBuilder sb, String title, Latency.Percentiles p) {
    sb.append(title).append(", ms (").append(p.count()).append(" samples)\n");
    sb.append(
        String.format(
            Locale.ROOT,
            "  p50 %.3f   p90 %.3f   p99 %.3f   p99.9 %.3f   max %.3f   (min %.3f, mean %.3f)%n",
            p.p50(),
            p.p90(),
            p.p99(),
            p.p999(),
            p.max(),
            p.min(),
            p.mean()));
  }

  private static void row(StringBuilder sb, String name, long value, String note) {
    sb.append(String.format(Locale.ROOT, "  %-18s %10d", name, value));
    if (!note.isEmpty()) {
      sb.append("   ").append(note);
    }
    sb.append('\n');
  }

  private static String firstError(String e) {
    return e == null ? "" : "first: " + e;
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  private static double round(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
