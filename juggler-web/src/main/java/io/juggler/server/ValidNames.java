package io.juggler.server;

import io.juggler.config.JugglerConfig;
import io.juggler.config.NameLimits;
import io.juggler.message.Call;
import io.juggler.message.Globs;
import io.juggler.message.Message;
import io.juggler.message.Pub;
import io.juggler.message.Sub;
import io.juggler.message.Unsb;
import io.juggler.message.Utf8;

/**
 * The names a client chooses, before anything is done with them: a CALL's URI at most {@code
 * juggler.calls.max-uri-bytes} bytes of UTF-8, a channel or pattern at most {@code
 * juggler.server.max-channel-bytes} (NACK 413), a pattern with at most {@code
 * juggler.server.max-pattern-wildcards} {@code *} wildcards (NACK 400), and every name valid
 * Unicode: one holding a lone surrogate (possible through a JSON escape such as {@code \udc00}) has
 * no UTF-8 form, and would reach Redis as another name, so it is refused at once (NACK 400). Each
 * NACK names the setting; each refusal is counted in {@code juggler_limits_exceeded_total}.
 */
final class ValidNames implements Admission {

  private final NameLimits limits;
  private final ServerCounters counters;

  ValidNames(NameLimits limits, ServerCounters counters) {
    this.limits = limits;
    this.counters = counters;
  }

  @Override
  public void admit(Connection c, Message request) {
    if (request instanceof Call call) {
      check("uri", call.uri(), limits.maxUriBytes(), JugglerConfig.MAX_URI_BYTES);
    } else if (request instanceof Pub pub) {
      channel(pub.channel(), false);
    } else if (request instanceof Sub sub) {
      channel(sub.channel(), sub.pattern());
    } else if (request instanceof Unsb unsb) {
      channel(unsb.channel(), unsb.pattern());
    }
  }

  private void channel(String name, boolean pattern) {
    check(
        pattern ? "pattern" : "channel",
        name,
        limits.maxChannelBytes(),
        JugglerConfig.MAX_CHANNEL_BYTES);
    if (pattern) {
      int wildcards = Globs.wildcards(name);
      if (wildcards > limits.maxPatternWildcards()) {
        counters.limitExceeded("max-pattern-wildcards");
        throw new RequestRefusedException(
            400,
            "pattern has "
                + wildcards
                + " * wildcards, more than "
                + JugglerConfig.MAX_PATTERN_WILDCARDS
                + " ("
                + limits.maxPatternWildcards()
                + ")");
      }
    }
  }

  private void check(String what, String name, int maxBytes, String setting) {
    if (Utf8.lengthExceeds(name, maxBytes)) {
      counters.limitExceeded(setting.substring(setting.lastIndexOf('.') + 1));
      throw new RequestRefusedException(
          413, what + " longer than " + setting + " (" + maxBytes + " bytes)");
    }
    int lone = Utf8.loneSurrogate(name);
    if (lone >= 0) {
      counters.limitExceeded("unicode");
      throw new RequestRefusedException(
          400,
          what
              + " is not valid Unicode: a lone surrogate \\u"
              + Integer.toHexString(name.charAt(lone))
              + " at index "
              + lone);
    }
  }
}
