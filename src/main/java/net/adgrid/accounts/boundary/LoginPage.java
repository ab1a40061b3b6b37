package net.adgrid.accounts.boundary;

import static jakarta.security.enterprise.authentication.mechanism.http.AuthenticationParameters.withParams;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.ExternalContext;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.SecurityContext;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.Password;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import net.adgrid.accounts.control.Authentication;
import net.adgrid.accounts.control.PendingSignIn;
import net.adgrid.accounts.control.SecondFactorCredential;

/** The sign-in form, and signing out. */
@Named
@RequestScoped
public class LoginPage {

  static final String HOME = "/app/";

  @Inject SecurityContext security;
  @Inject FacesContext faces;

  @NotBlank(message = "Enter your e-mail address.")
  @Size(max = 254)
  private String email;

  @NotBlank(message = "Enter your password.")
  @Size(max = 200)
  private String password;

  private String next;

  @Size(max = 20)
  private String code;

  /** Hands a credential to the authentication mechanism, as a new sign-in. */
  private AuthenticationStatus authenticate(Credential credential) {
    ExternalContext external = faces.getExternalContext();
    return security.authenticate(
        (HttpServletRequest) external.getRequest(),
        (HttpServletResponse) external.getResponse(),
        withParams().newAuthentication(true).credential(credential));
  }

  public void signIn() throws IOException {
    ExternalContext external = faces.getExternalContext();
    AuthenticationStatus status =
        authenticate(new UsernamePasswordCredential(email, new Password(password)));
    switch (status) {
      case SUCCESS -> {
        external.redirect(external.getRequestContextPath() + safeNext(next));
        faces.responseComplete();
      }
      case SEND_CONTINUE -> faces.responseComplete();
      default -> {
        Object minutes = external.getRequestMap().get(Authentication.THROTTLED_MINUTES);
        if (minutes != null) {
          error(
              "Too many failed sign-ins. Try again in "
                  + minutes
                  + (Long.valueOf(1).equals(minutes) ? " minute." : " minutes."));
        } else if (external.getRequestMap().get(Authentication.CODE_NEEDED) == null) {
          error("The e-mail address or the password is wrong.");
        }
      }
    }
  }

  /** The second step: the code from the user's authenticator app. */
  public void verifyCode() throws IOException {
    ExternalContext external = faces.getExternalContext();
    AuthenticationStatus status = authenticate(new SecondFactorCredential(code));
    if (status == AuthenticationStatus.SUCCESS) {
      external.redirect(external.getRequestContextPath() + safeNext(next));
      faces.responseComplete();
    } else if (external.getRequestMap().get(Authentication.CODE_NEEDED) != null) {
      error("That code is not right. Enter the code your app shows now.");
    } else {
      error("Too many wrong codes, or too late: sign in again.");
    }
  }

  /** Gives up the second step and shows the password form again. */
  public void startOver() {
    Object session = faces.getExternalContext().getSession(false);
    if (session != null) {
      faces.getExternalContext().getSessionMap().remove(PendingSignIn.SESSION_KEY);
    }
  }

  /** Whether the password was right and the code of the second factor is what comes next. */
  public boolean isCodeStep() {
    Object session = faces.getExternalContext().getSession(false);
    return session != null
        && faces.getExternalContext().getSessionMap().get(PendingSignIn.SESSION_KEY)
            instanceof PendingSignIn pending
        && pending.usable();
  }

  private void error(String message) {
    faces.addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, message, null));
  }

  public void signOut() throws IOException {
    ExternalContext external = faces.getExternalContext();
    HttpServletRequest request = (HttpServletRequest) external.getRequest();
    try {
      request.logout();
    } catch (jakarta.servlet.ServletException e) {
      // Signed out already; the session goes either way.
    }
    external.invalidateSession();
    external.redirect(external.getRequestContextPath() + "/login.xhtml?signedOut=true");
    faces.responseComplete();
  }

  /** Only a path of this site: never a redirect to another host. */
  static String safeNext(String next) {
    if (next == null
        || !next.startsWith("/")
        || next.startsWith("//")
        || next.contains("\\")
        || next.chars().anyMatch(c -> c < 0x20)
        || next.startsWith("/login.xhtml")) {
      return HOME;
    }
    return next;
  }

  public String getEmail() {
    return email;
  }

  public void setEmail(String email) {
    this.email = email;
  }

  public String getPassword() {
    return password;
  }

  public void setPassword(String password) {
    this.password = password;
  }

  public String getCode() {
    return code;
  }

  public void setCode(String code) {
    this.code = code;
  }

  public String getNext() {
    return next;
  }

  public void setNext(String next) {
    this.next = next;
  }
}
