package net.adgrid.accounts.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpAuthenticationMechanism;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.security.enterprise.credential.Credential;
import jakarta.security.enterprise.credential.UsernamePasswordCredential;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import net.adgrid.platform.ClientAddress;
import net.adgrid.platform.ResponseHeaders;

/**
 * How a request says who it is. Integrators send {@code Authorization: Bearer <api key>} with each
 * request; people sign in once on the login page and are known by their session from then on. A
 * request without either reaches only public resources: protected pages redirect to the login page,
 * protected API resources answer 401.
 */
@ApplicationScoped
public class Authentication implements HttpAuthenticationMechanism {

  static final String SESSION_CALLER = "adgrid.caller";
  public static final String REQUEST_CALLER = "adgrid.caller";

  /**
   * The dashboard's poll: authorized by the pass it carries (LivePasses), never by a session or a
   * key, so that nothing here reads the session for it.
   */
  public static final String LIVE_POLL = "/live/poll";

  public static final String LOGIN_PAGE = "/login.xhtml";

  /** What a read-only API key may send. */
  static final Set<String> READING = Set.of("GET", "HEAD");

  /** Set on a request whose sign-in was refused for too many wrong tries: minutes to wait. */
  public static final String THROTTLED_MINUTES = "adgrid.throttled-minutes";

  /** Set on a request whose sign-in needs (another) code of the user's second factor. */
  public static final String CODE_NEEDED = "adgrid.code-needed";

  @Inject Accounts accounts;

  @Override
  public AuthenticationStatus validateRequest(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    ResponseHeaders.secure(request, response);
    if (LIVE_POLL.equals(request.getServletPath())) {
      return context.doNothing();
    }
    // API keys work on the API only: a leaked integrator key does not open the pages (where
    // it could manage the account's keys).
    String authorization = isApi(request) ? request.getHeader("Authorization") : null;
    if (authorization != null) {
      Optional<Accounts.KeyCaller> caller =
          authorization.regionMatches(true, 0, "Bearer ", 0, 7)
              ? accounts.callerForKey(authorization.substring(7))
              : Optional.empty();
      if (caller.isEmpty()) {
        return Unauthorized.send(response, context, "The API key is not valid.");
      }
      if (caller.get().readOnly() && !READING.contains(request.getMethod())) {
        return Unauthorized.forbid(response, "This API key may only read (GET).");
      }
      return accept(request, context, caller.get().caller());
    }

    Credential credential = context.getAuthParameters().getCredential();
    if (context.isAuthenticationRequest()
        && credential instanceof UsernamePasswordCredential password) {
      Accounts.SignIn result =
          accounts.signIn(
              password.getCaller(), password.getPasswordAsString(), ClientAddress.of(request));
      if (result instanceof Accounts.SignIn.Done done) {
        return signedIn(request, context, done.caller());
      }
      if (result instanceof Accounts.SignIn.Throttled throttled) {
        request.setAttribute(THROTTLED_MINUTES, throttled.minutes());
      }
      if (result instanceof Accounts.SignIn.NeedsCode needsCode) {
        // Not signed in yet: the session only remembers whose password was right, for a while.
        request.getSession(true);
        request.changeSessionId();
        request
            .getSession()
            .setAttribute(PendingSignIn.SESSION_KEY, PendingSignIn.start(needsCode.userId()));
        request.setAttribute(CODE_NEEDED, Boolean.TRUE);
      }
      return AuthenticationStatus.SEND_FAILURE;
    }
    if (context.isAuthenticationRequest() && credential instanceof SecondFactorCredential code) {
      HttpSession session = request.getSession(false);
      if (session == null
          || !(session.getAttribute(PendingSignIn.SESSION_KEY) instanceof PendingSignIn pending)
          || !pending.usable()) {
        if (session != null) {
          session.removeAttribute(PendingSignIn.SESSION_KEY);
        }
        return AuthenticationStatus.SEND_FAILURE;
      }
      Optional<Caller> caller = accounts.secondFactor(pending.userId(), code.code());
      if (caller.isEmpty()) {
        PendingSignIn next = pending.wrongCode();
        if (next.usable()) {
          session.setAttribute(PendingSignIn.SESSION_KEY, next);
          request.setAttribute(CODE_NEEDED, Boolean.TRUE);
        } else {
          session.removeAttribute(PendingSignIn.SESSION_KEY);
        }
        return AuthenticationStatus.SEND_FAILURE;
      }
      session.removeAttribute(PendingSignIn.SESSION_KEY);
      return signedIn(request, context, caller.get());
    }

    // The API takes API keys only: a browser's session cookie, which rides along on requests
    // that other sites make it send, never authorizes an API call.
    HttpSession session = isApi(request) ? null : request.getSession(false);
    if (session != null && session.getAttribute(SESSION_CALLER) instanceof Caller caller) {
      if (accounts.stillAllowed(caller)) {
        return accept(request, context, caller);
      }
      session.invalidate();
    }

    if (context.isProtected()) {
      return toLoginPage(request, response, context);
    }
    return context.doNothing();
  }

  private static AuthenticationStatus signedIn(
      HttpServletRequest request, HttpMessageContext context, Caller caller) {
    // A new session id at sign-in: an id planted before it is worth nothing after.
    request.getSession(true);
    request.changeSessionId();
    request.getSession().setAttribute(SESSION_CALLER, caller);
    return accept(request, context, caller);
  }

  /** Whether the request is for the API, as the container routes it (not as the raw URI reads). */
  public static boolean isApi(HttpServletRequest request) {
    return request.getServletPath().startsWith("/api/");
  }

  private static AuthenticationStatus accept(
      HttpServletRequest request, HttpMessageContext context, Caller caller) {
    request.setAttribute(REQUEST_CALLER, caller);
    return context.notifyContainerAboutLogin(caller.name(), Set.of(caller.role().name()));
  }

  private static AuthenticationStatus toLoginPage(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    String next = request.getRequestURI().substring(request.getContextPath().length());
    try {
      response.sendRedirect(
          request.getContextPath()
              + LOGIN_PAGE
              + "?next="
              + URLEncoder.encode(next, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return AuthenticationStatus.SEND_FAILURE;
    }
    return AuthenticationStatus.SEND_CONTINUE;
  }

  @Override
  public void cleanSubject(
      HttpServletRequest request, HttpServletResponse response, HttpMessageContext context) {
    HttpSession session = request.getSession(false);
    if (session != null) {
      session.removeAttribute(SESSION_CALLER);
    }
  }

  /** The 401 an API client gets: problem+json and how to authenticate. */
  static final class Unauthorized {
    private Unauthorized() {}

    static AuthenticationStatus send(
        HttpServletResponse response, HttpMessageContext context, String detail) {
      response.setHeader("WWW-Authenticate", "Bearer realm=\"adgrid\"");
      return problem(response, 401, "Unauthorized", detail);
    }

    /** A key that is valid but may not do this: 403. */
    static AuthenticationStatus forbid(HttpServletResponse response, String detail) {
      return problem(response, 403, "Forbidden", detail);
    }

    private static AuthenticationStatus problem(
        HttpServletResponse response, int status, String title, String detail) {
      try {
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setCharacterEncoding("UTF-8");
        response.setContentType("application/problem+json");
        response
            .getWriter()
            .write(
                "{\"type\":\"about:blank\",\"title\":\""
                    + title
                    + "\",\"status\":"
                    + status
                    + ",\"detail\":\""
                    + detail
                    + "\"}");
        // Committed now, so that the container adds no error page of its own.
        response.flushBuffer();
      } catch (IOException e) {
        return AuthenticationStatus.SEND_FAILURE;
      }
      return AuthenticationStatus.SEND_FAILURE;
    }
  }
}
