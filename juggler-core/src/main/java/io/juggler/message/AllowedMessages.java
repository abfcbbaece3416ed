package io.juggler.message;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** Parses the {@code Juggler-Allowed-Messages} request header (spec section 2.6). */
public final class AllowedMessages {

  private AllowedMessages() {}

  /**
   * The client types allowed by {@code header} (its first value): empty, absent, {@code *} or a
   * list without any recognised token allows all four; otherwise the recognised tokens ({@code
   * call}, {@code sub}, {@code unsb}, {@code pub}, case-insensitive, trimmed) are allowed.
   */
  public static Set<MessageType> parse(String header) {
    EnumSet<MessageType> all =
        EnumSet.of(MessageType.CALL, MessageType.PUB, MessageType.SUB, MessageType.UNSB);
    if (header == null || header.isBlank() || header.trim().equals("*")) {
      return all;
    }
    EnumSet<MessageType> allowed = EnumSet.noneOf(MessageType.class);
    for (String token : header.split(",")) {
      switch (token.trim().toLowerCase(Locale.ROOT)) {
        case "call" -> allowed.add(MessageType.CALL);
        case "pub" -> allowed.add(MessageType.PUB);
        case "sub" -> allowed.add(MessageType.SUB);
        case "unsb" -> allowed.add(MessageType.UNSB);
        default -> {
          // unknown tokens are ignored, as the reference does
        }
      }
    }
    return allowed.isEmpty() ? all : allowed;
  }
}
