package net.adgrid.platform;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Set;

/**
 * Cross-site request forgery guard for the pages: a form post (or any other state-changing request
 * that does not carry an API key) must come from a page of this site, as its Origin or Referer
 * header says. Together with SameSite session cookies this stops another site from submitting forms
 * in a signed-in user's name. API calls with a bearer key are not sent by browsers on their own and
 * are not affected.
 */
@WebFilter(urlPatterns = "/*", asyncSupported = true)
public class SameOriginPosts extends HttpFilter {

  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS", "TRACE");

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    if (SAFE.contains(request.getMethod())
        || net.adgrid.accounts.control.Authentication.isApi(request)
        || sameOrigin(request)) {
      chain.doFilter(request, response);
      return;
    }
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("text/plain;charset=UTF-8");
    response
        .getWriter()
        .write(
            "This form was not sent from a page of this site. Reload the page and send it again.");
  }

  static boolean sameOrigin(HttpServletRequest request) {
    String source = request.getHeader("Origin");
    if (source == null || "null".equals(source)) {
      source = request.getHeader("Referer");
    }
    String host = request.getHeader("Host");
    return source != null && host != null && host.equalsIgnoreCase(authority(source));
  }

  static String authority(String url) {
    try {
      return URI.create(url).getRawAuthority();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
