/**
 * Configuration: every setting of Juggler EE, read once from MicroProfile Config, validated (a bad
 * value fails start-up with a message naming the key) and logged; and the CDI producer of the Redis
 * broker built from it. The catalogue of keys is {@link io.juggler.config.JugglerConfig}; {@code
 * docs/configuration.md} documents it.
 */
package io.juggler.config;
