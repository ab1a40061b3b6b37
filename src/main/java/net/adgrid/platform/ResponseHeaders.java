package net.adgrid.platform;

import jakarta.inject.Inject;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Headers on every response a node sends: which node answered (operators and tests read it to see
 * the balancer at work), the request's id (see {@link RequestIds}) and the security headers a
 * browser should always get. Declared in web.xml, to run before every other filter.
 */
public class ResponseHeaders extends HttpFilter {

  public static final String NODE_HEADER = "X-Adgrid-Node";

  /**
   * Inline scripts and styles stay allowed: the pages' JSF buttons and confirmations are inline
   * handlers. Everything else comes from this site.
   */
  static final String PAGE_POLICY =
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline';"
          + " img-src 'self' data:; frame-src 'self' data:; connect-src 'self';"
          + " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

  @Inject NodeIdentity node;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String id = RequestIds.of(request.getHeader(RequestIds.HEADER));
    response.setHeader(NODE_HEADER, node.name());
    response.setHeader(RequestIds.HEADER, id);
    secure(request, response);
    RequestIds.serving(id);
    try {
      chain.doFilter(request, response);
    } finally {
      RequestIds.served();
    }
  }

  /**
   * The security headers. Also set by the authentication mechanism, which runs before any filter
   * and answers some requests itself (the sign-in redirect, a refused API key).
   */
  public static void secure(HttpServletRequest request, HttpServletResponse response) {
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    // Everything but the ad frame (made to be framed by publishers' pages) refuses framing.
    if (!request.getRequestURI().endsWith("/api/v1/frame")) {
      response.setHeader("X-Frame-Options", "DENY");
    }
    // The pages: scripts, styles, pictures and frames of this site only, forms posted here only,
    // no plugins, no other base. (The ad frame and the tag under /api set their own.)
    if (!request.getServletPath().startsWith("/api/")) {
      response.setHeader("Content-Security-Policy", PAGE_POLICY);
    }
  }
}
