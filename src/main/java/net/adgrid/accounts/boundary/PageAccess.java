package net.adgrid.accounts.boundary;

import jakarta.faces.context.FacesContext;
import java.io.IOException;
import java.util.Arrays;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;

/** The gate of a page that only some roles use: anyone else gets 403 and the page is not made. */
public final class PageAccess {

  private PageAccess() {}

  /** True when the caller has one of the roles; otherwise the response is a 403, complete. */
  public static boolean allow(FacesContext faces, CurrentCaller caller, String why, Role... roles)
      throws IOException {
    boolean allowed = caller.get().map(c -> Arrays.stream(roles).anyMatch(c::is)).orElse(false);
    if (!allowed) {
      faces.getExternalContext().responseSendError(403, why);
      faces.responseComplete();
    }
    return allowed;
  }
}
