/**
 * Configuration: every setting of Juggler EE, read once from MicroProfile Config, validated (a bad
 * value fails start-up with a message naming the key) and logged; its duration format as a
 * MicroProfile Config converter; and {@link io.juggler.config.Juggler}, the CDI producer of the
 * application's shared Redis clients, the broker in its three roles and the registry. The catalogue
 * of keys is {@link io.juggler.config.JugglerConfig}; {@code docs/configuration.md} documents it.
 */
package io.juggler.config;
