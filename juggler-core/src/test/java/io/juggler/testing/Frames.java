package io.juggler.testing;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Generated websocket text frames for property tests of what a hostile client may send: random
 * text, JSON-ish noise, requests of the right shape with values of every JSON type (or none) in
 * every member, and truncations and one-character mutations of those.
 */
public final class Frames {

  private Frames() {}

  public static Arbitrary<String> any() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(200),
        Arbitraries.strings().withChars("{}[]\":,0123456789-.eEtrufalsn \\u").ofMaxLength(120),
        structured(),
        structured(),
        structured().flatMap(Frames::mutated));
  }

  /** Frames of the right shape with values of any JSON type (or none) in every member. */
  public static Arbitrary<String> structured() {
    Arbitrary<String> value =
        Arbitraries.of(
            "null",
            "true",
            "1",
            "-1",
            "1.5",
            "1e400",
            "-0",
            "99999999999999999999999",
            "\"\"",
            "\"x\"",
            "\"test.echo\"",
            "\"3f9d2c4a-6b1e-4f8a-9c7d-0e5b1a2c3d4e\"",
            "\"urn:uuid:3F9D2C4A-6B1E-4F8A-9C7D-0E5B1A2C3D4E\"",
            "{}",
            "[]",
            "[1,{\"a\":[null]}]",
            "\"\\ud800\"");
    Arbitrary<String> type = Arbitraries.oneOf(Arbitraries.of("1", "2", "3", "4"), value);
    Arbitrary<String> member =
        Combinators.combine(
                Arbitraries.of("uri", "channel", "timeout", "args", "pattern", "URI", "x"), value)
            .as((k, v) -> "\"" + k + "\":" + v);
    Arbitrary<String> payload =
        Arbitraries.oneOf(
            member.list().ofMaxSize(5).map(l -> "{" + String.join(",", l) + "}"), value);
    return Combinators.combine(type, value, payload, Arbitraries.of("", ",\"x\":1", "  ", "{}"))
        .as(
            (t, u, p, tail) ->
                "{\"meta\":{\"type\":" + t + ",\"uuid\":" + u + "},\"payload\":" + p + "}" + tail);
  }

  /** {@code frame} truncated, or with one character replaced or removed. */
  public static Arbitrary<String> mutated(String frame) {
    Arbitrary<Integer> at = Arbitraries.integers().between(0, Math.max(0, frame.length() - 1));
    return Arbitraries.oneOf(
        at.map(i -> frame.substring(0, i)),
        at.map(i -> frame.substring(0, i) + frame.substring(Math.min(frame.length(), i + 1))),
        Combinators.combine(at, Arbitraries.chars())
            .as(
                (i, c) ->
                    frame.substring(0, i) + c + frame.substring(Math.min(frame.length(), i + 1))));
  }
}
