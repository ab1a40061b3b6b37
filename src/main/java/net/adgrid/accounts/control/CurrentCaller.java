package net.adgrid.accounts.control;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.ForbiddenException;
import jakarta.ws.rs.NotAuthorizedException;
import java.util.Arrays;
import java.util.Optional;
import net.adgrid.accounts.entity.Role;

/** The caller of the current request, as {@link Authentication} established it. */
@Named
@RequestScoped
public class CurrentCaller {

  @Inject HttpServletRequest request;

  public Optional<Caller> get() {
    return request.getAttribute(Authentication.REQUEST_CALLER) instanceof Caller caller
        ? Optional.of(caller)
        : Optional.empty();
  }

  /** For pages: whether someone is signed in, and as whom. */
  public boolean isSignedIn() {
    return get().isPresent();
  }

  public String getName() {
    return get().map(Caller::name).orElse("");
  }

  public String getRole() {
    return get().map(caller -> caller.role().name()).orElse("");
  }

  /** The caller, who must have one of the given roles: 401 without a caller, 403 otherwise. */
  public Caller require(Role... roles) {
    Caller caller = get().orElseThrow(() -> new NotAuthorizedException("Bearer realm=\"adgrid\""));
    if (roles.length > 0 && Arrays.stream(roles).noneMatch(caller::is)) {
      throw new ForbiddenException();
    }
    return caller;
  }
}
