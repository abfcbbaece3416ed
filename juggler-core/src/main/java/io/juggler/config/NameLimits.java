package io.juggler.config;

/**
 * How long the names a client chooses may be, and how much matching work a pattern may ask of
 * Redis. Every name a client sends is stored or matched in Redis: a URI three times per CALL (the
 * call list's key, its expiry key and the stored call), a channel in every PUBLISH, a pattern
 * against the channel of every PUBLISH of the whole deployment.
 *
 * @param maxUriBytes {@value JugglerConfig#MAX_URI_BYTES}: bytes (UTF-8) of a CALL's URI
 * @param maxChannelBytes {@value JugglerConfig#MAX_CHANNEL_BYTES}: bytes of a PUB, SUB or UNSB
 *     channel or pattern
 * @param maxPatternWildcards {@value JugglerConfig#MAX_PATTERN_WILDCARDS}: {@code *} wildcards of a
 *     pattern SUB (see {@link io.juggler.message.Globs#wildcards})
 */
public record NameLimits(int maxUriBytes, int maxChannelBytes, int maxPatternWildcards) {}
