/**
 * The operations console at {@code /admin/}: Faces views over the cluster registry in Redis (one
 * backing bean per view), the monitor that samples it, and the console's security (Jakarta
 * Security, the {@code admin} role, credentials from MicroProfile Config, every action audited). It
 * depends on juggler-core only: every action, even on this instance, goes through Redis.
 */
package io.juggler.admin;
