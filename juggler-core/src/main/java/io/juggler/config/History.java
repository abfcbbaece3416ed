package io.juggler.config;

import io.juggler.message.Globs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which channels keep a history of their events for recovery (issue 23, {@value
 * JugglerConfig#HISTORY_CHANNELS}): rules {@code PATTERN SIZE AGE} separated by {@code ;}, e.g.
 * {@code chat.* 1000 10m; orders.* 100 1h}. The first rule whose pattern ({@code *} any run of
 * characters) matches a channel decides: its last {@code SIZE} events (about: Redis trims streams
 * in whole nodes) younger than {@code AGE} are kept. No rule: no history, as in the reference.
 */
public record History(List<Rule> rules, int maxReplayBytes) {

  /** The default of {@value JugglerConfig#HISTORY_MAX_REPLAY_BYTES}: 8 MiB. */
  public static final int DEFAULT_MAX_REPLAY_BYTES = 8 * 1024 * 1024;

  /** The most events a channel may keep. */
  public static final int MAX_SIZE = 100_000;

  /** The longest an event may be kept. */
  public static final Duration MAX_AGE = Duration.ofDays(7);

  public static final History NONE = new History(List.of(), DEFAULT_MAX_REPLAY_BYTES);

  /** One rule: channels matching {@code pattern} keep {@code size} events for {@code age}. */
  public record Rule(String pattern, int size, Duration age) {}

  /** The rule of {@code channel}, if it keeps a history. */
  public Optional<Rule> forChannel(String channel) {
    for (Rule r : rules) {
      if (Globs.matchesStars(r.pattern(), channel)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }

  public boolean isEmpty() {
    return rules.isEmpty();
  }

  /**
   * Parses the setting's value.
   *
   * @throws IllegalArgumentException saying which rule is wrong and why
   */
  public static History parse(String value) {
    List<Rule> rules = new ArrayList<>();
    for (String entry : value.split(";")) {
      if (entry.isBlank()) {
        continue;
      }
      String[] w = entry.trim().split("\\s+");
      if (w.length != 3) {
        throw new IllegalArgumentException(
            "\"" + entry.trim() + "\": expected PATTERN SIZE AGE, e.g. chat.* 1000 10m");
      }
      int size;
      try {
        size = Integer.parseInt(w[1]);
      } catch (NumberFormatException e) {
        size = -1;
      }
      if (size < 1 || size > MAX_SIZE) {
        throw new IllegalArgumentException(
            "\"" + entry.trim() + "\": SIZE must be a number from 1 to " + MAX_SIZE);
      }
      Duration age;
      try {
        age = new DurationConverter().convert(w[2]);
      } catch (IllegalArgumentException e) {
        age = null;
      }
      if (age == null || age.compareTo(Duration.ofSeconds(1)) < 0 || age.compareTo(MAX_AGE) > 0) {
        throw new IllegalArgumentException(
            "\"" + entry.trim() + "\": AGE must be a duration from 1s to 168h, e.g. 10m");
      }
      rules.add(new Rule(w[0], size, age));
    }
    return new History(List.copyOf(rules), DEFAULT_MAX_REPLAY_BYTES);
  }

  /** These rules, with at most {@code bytes} of missed events replayed to one subscriber. */
  public History withMaxReplayBytes(int bytes) {
    return new History(rules, bytes);
  }
}
