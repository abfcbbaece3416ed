package io.juggler.client.load;

import io.juggler.client.JsonArgs;
import io.juggler.client.commandline.CommandLine;
import io.juggler.client.commandline.Durations;
import io.juggler.client.commandline.UsageException;
import io.juggler.message.Protocol;
import io.juggler.message.RawJson;
import io.juggler.message.Uuids;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The load generator's settings, validated.
 *
 * @param rate open loop: calls per second per connection ({@code null} for closed loop)
 * @param concurrency closed loop: calls in flight per connection ({@code 0} for open loop)
 * @param publishRate pub-sub: publications per second, all publishers together
 * @param padding pub-sub: extra characters in each publication's payload
 * @param ioThreads threads running the websocket I/O and callbacks; 0 runs them on the HTTP
 *     client's selector thread, which costs least CPU per message
 */
public record LoadOptions(
    Mode mode,
    URI url,
    String protocol,
    List<Map.Entry<String, String>> headers,
    int connections,
    Double rate,
    int concurrency,
    String uri,
    RawJson payload,
    Duration timeout,
    Duration duration,
    Duration warmup,
    Duration connectTimeout,
    int ioThreads,
    int subscribers,
    int publishers,
    double publishRate,
    String channel,
    int padding,
    boolean json,
    boolean quiet) {

  /** What is loaded. */
  public enum Mode {
    RPC,
    PUBSUB
  }

  static final String DEFAULT_URL = "ws://localhost:8080/ws";

  static final CommandLine OPTIONS =
      new CommandLine(
              "java -jar juggler-load.jar [OPTIONS]",
              "Loads a juggler.0 server. RPC mode (default): --connections connections make calls"
                  + " at --rate calls/s\neach (open loop) or with --concurrency calls in flight"
                  + " each (closed loop, the default with 1).\nPub-sub mode: --subscribers"
                  + " connections subscribe to one channel and --publishers connections\npublish on"
                  + " it at --publish-rate events/s in total. Progress goes to stderr every second,"
                  + " the\nreport to stdout (one JSON document with --json). Latencies are measured"
                  + " from the intended\nsend time (open loop) or the send time (closed loop) to"
                  + " the RES, or to the EVNT.\nDurations are written like 10s, 500ms, 1m30s.")
          .option("mode", "rpc|pubsub", "what to load (default rpc)")
          .option("url", "URL", "server websocket URL (default " + DEFAULT_URL + ")")
          .option("proto", "PROTO", "subprotocol offered (default juggler.0)")
          .repeatable("header", "NAME:VALUE", "handshake header (repeatable)")
          .option("token", "TOKEN", CommandLine.TOKEN_HELP)
          .option("connections", "N", "rpc: connections (default 10)")
          .option("rate", "R", "rpc: open loop, calls per second per connection")
          .option(
              "concurrency", "K", "rpc: closed loop, calls in flight per connection (default 1)")
          .option("uri", "URI", "rpc: URI called (default test.echo)")
          .option("payload", "JSON", "rpc: call arguments as JSON (default \"hello\")")
          .option(
              "timeout", "DURATION", "call timeout, sent and used for local expiry (default 5s)")
          .option("subscribers", "S", "pubsub: subscriber connections (default 10)")
          .option("publishers", "P", "pubsub: publisher connections (default 1)")
          .option("publish-rate", "R", "pubsub: publications per second in total (default 1000)")
          .option("channel", "NAME", "pubsub: channel (default juggler.load.<random>)")
          .option("padding", "N", "pubsub: extra characters per publication (default 0)")
          .option("duration", "DURATION", "measured run time (default 10s)")
          .option("warmup", "DURATION", "load before measuring, not counted (default 1s)")
          .option("connect-timeout", "DURATION", "websocket handshake timeout (default 10s)")
          .option(
              "io-threads",
              "N",
              "threads for websocket I/O and callbacks; 0 = the selector thread (default 0)")
          .flag("json", "print the report as one JSON document")
          .flag("quiet", "no progress lines");

  private static final Set<String> RPC_ONLY =
      Set.of("connections", "rate", "concurrency", "uri", "payload");
  private static final Set<String> PUBSUB_ONLY =
      Set.of("subscribers", "publishers", "publish-rate", "channel", "padding");

  /** Builds validated options from a parsed command line. */
  static LoadOptions from(CommandLine.Parsed p) throws UsageException {
    Mode mode =
        switch (p.string("mode", "rpc")) {
          case "rpc" -> Mode.RPC;
          case "pubsub" -> Mode.PUBSUB;
          default ->
              throw new UsageException(
                  "--mode must be rpc or pubsub, not \"" + p.string("mode", "") + "\"");
        };
    for (String name : mode == Mode.RPC ? PUBSUB_ONLY : RPC_ONLY) {
      if (p.has(name)) {
        throw new UsageException(
            "--" + name + " does not apply to --mode " + mode.name().toLowerCase());
      }
    }
    URI url;
    String text = p.string("url", DEFAULT_URL);
    try {
      url = URI.create(text);
    } catch (IllegalArgumentException e) {
      throw new UsageException("--url is not a URL: " + text);
    }
    if (!"ws".equals(url.getScheme()) && !"wss".equals(url.getScheme())) {
      throw new UsageException("--url must start with ws:// or wss://, not " + text);
    }
    if (p.has("rate") && p.has("concurrency")) {
      throw new UsageException("give --rate (open loop) or --concurrency (closed loop), not both");
    }
    Double rate = p.has("rate") ? p.positiveNumber("rate", 0) : null;
    int concurrency = rate == null ? p.integer("concurrency", 1, 1) : 0;
    RawJson payload;
    try {
      payload = JsonArgs.parse(p.string("payload", "\"hello\""));
    } catch (IllegalArgumentException e) {
      throw new UsageException("--payload: " + e.getMessage());
    }
    return new LoadOptions(
        mode,
        url,
        p.string("proto", Protocol.SUBPROTOCOL),
        p.headersWithToken("header", System.getenv("JUGGLER_TOKEN")),
        p.integer("connections", 10, 1),
        rate,
        concurrency,
        p.string("uri", "test.echo"),
        payload,
        p.duration("timeout", Duration.ofSeconds(5), Duration.ofMillis(1)),
        p.duration("duration", Duration.ofSeconds(10), Duration.ofMillis(100)),
        p.duration("warmup", Duration.ofSeconds(1), Duration.ZERO),
        p.duration("connect-timeout", Duration.ofSeconds(10), Duration.ofMillis(1)),
        p.integer("io-threads", 0, 0),
        p.integer("subscribers", 10, 1),
        p.integer("publishers", 1, 1),
        p.positiveNumber("publish-rate", 1000),
        p.string("channel", "juggler.load." + Uuids.random().substring(0, 8)),
        p.integer("padding", 0, 0),
        p.flag("json"),
        p.flag("quiet"));
  }

  /** One line describing the load, for the report. */
  String describe() {
    if (mode == Mode.RPC) {
      return connections
          + " connections, "
          + (rate != null
              ? "open loop at " + format(rate) + " calls/s each"
              : "closed loop with " + concurrency + " in flight each")
          + ", uri "
          + uri
          + ", payload "
          + payload
          + ", timeout "
          + Durations.format(timeout);
    }
    return subscribers
        + " subscribers, "
        + publishers
        + " publishers at "
        + format(publishRate)
        + " events/s in total, channel "
        + channel
        + (padding > 0 ? ", padding " + padding : "");
  }

  static String format(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
