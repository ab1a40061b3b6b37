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

  @Inject NodeIdentity node;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    String id = RequestIds.of(request.getHeader(RequestIds.HEADER));
    response.setHeader(NODE_HEADER, node.name());
    response.setHeader(RequestIds.HEADER, id);
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    // Everything but the ad frame (made to be framed by publishers' pages) refuses framing.
    if (!request.getRequestURI().endsWith("/api/v1/frame")) {
      response.setHeader("X-Frame-Options", "DENY");
    }
    RequestIds.serving(id);
    try {
      chain.doFilter(request, response);
    } finally {
      RequestIds.served();
    }
  }
}
