package io.juggler.message;

import java.util.List;

/**
 * Who made a call, as the server adds it to the call stored in Redis (the optional {@code caller}
 * member, absent for anonymous callers; see docs/protocol-choices.md): callees that know it can act
 * on the caller's behalf, the reference's ignore it.
 *
 * @param name the principal's name
 * @param roles the principal's roles
 * @param conn the id of the connection the call came on (the server's, not the {@code conn_uuid})
 */
public record Caller(String name, List<String> roles, String conn) {

  public Caller {
    roles = List.copyOf(roles);
  }
}
