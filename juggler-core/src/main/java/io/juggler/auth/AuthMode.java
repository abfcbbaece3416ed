package io.juggler.auth;

/**
 * Whether clients must, may or cannot authenticate at the handshake ({@code juggler.auth.mode}).
 */
public enum AuthMode {
  /** No authentication: every client is anonymous and credentials are ignored (the reference). */
  NONE,
  /** Authenticated and anonymous clients side by side; a credential presented must be valid. */
  OPTIONAL,
  /** Every client must authenticate: an anonymous handshake is refused with 401. */
  REQUIRED
}
