package net.adgrid.platform;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The address visitors reach the network at, for URLs that leave the network's own pages (tags,
 * tracking links): {@code ADGRID_PUBLIC_URL} when the operator set it (TLS in front of httpd,
 * another host name), else the scheme and host the request was made to (httpd keeps the Host).
 */
public final class PublicAddress {

  private PublicAddress() {}

  public static String of(HttpServletRequest request) {
    String configured = System.getenv("ADGRID_PUBLIC_URL");
    if (configured != null && !configured.isBlank()) {
      String trimmed = configured.trim();
      return trimmed.endsWith("/") ? trimmed.substring(0, trimmed.length() - 1) : trimmed;
    }
    String proto = request.getHeader("X-Forwarded-Proto");
    String scheme = "https".equalsIgnoreCase(proto) ? "https" : request.getScheme();
    String host = request.getHeader("Host");
    if (host == null || !host.matches("[A-Za-z0-9.\\-\\[\\]:]{1,300}")) {
      host = request.getServerName() + ":" + request.getServerPort();
    }
    return scheme + "://" + host;
  }
}
