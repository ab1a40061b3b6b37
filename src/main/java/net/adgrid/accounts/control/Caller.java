package net.adgrid.accounts.control;

import java.io.Serializable;
import net.adgrid.accounts.entity.Role;

/**
 * Who is calling: the user (or API key) and the account it acts for. Kept in the HTTP session after
 * a sign-in, which the grid replicates, so it is small and serializable.
 */
public record Caller(long accountId, Role role, String name, Long userId, Long apiKeyId)
    implements Serializable {

  public boolean is(Role other) {
    return role == other;
  }

  /** Whether this caller may see and change what belongs to the given account. */
  public boolean mayActFor(long otherAccountId) {
    return role == Role.ADMIN || accountId == otherAccountId;
  }
}
