/**
 * The local launcher behind the README's run command: Redis (unless {@code JUGGLER_REDIS_URL} is
 * set) plus Payara Micro serving the WAR, or Open Liberty or a Payara Server domain serving the
 * EAR, at {@code ws://localhost:8080/ws}, stopped together on Ctrl-C. Not part of the deployed
 * application.
 */
package io.juggler.launcher;
