package net.adgrid.platform;

import jakarta.servlet.http.HttpServletRequest;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The visitor's address: what httpd saw (the last X-Forwarded-For entry it appended). */
public final class ClientAddress {

  private ClientAddress() {}

  /** In the one spelling Java and PostgreSQL agree on, or null when there is none. */
  public static String of(HttpServletRequest request) {
    String remote = request.getRemoteAddr();
    String forwarded = request.getHeader("X-Forwarded-For");
    if (forwarded != null && trustedProxy(remote)) {
      String[] hops = forwarded.split(",");
      return normalized(hops[hops.length - 1].trim());
    }
    return normalized(remote);
  }

  static String normalized(String address) {
    byte[] bytes = bytes(address);
    try {
      return bytes == null ? null : InetAddress.getByAddress(bytes).getHostAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static boolean trustedProxy(String remote) {
    String trusted = System.getenv("ADGRID_TRUSTED_PROXIES");
    if (trusted == null || trusted.isBlank()) {
      return remote != null
          && (remote.startsWith("127.")
              || remote.equals("::1")
              || remote.equals("0:0:0:0:0:0:0:1"));
    }
    for (String proxy : trusted.split(",")) {
      if (proxy.trim().equals(remote)) {
        return true;
      }
    }
    return false;
  }

  static boolean literal(String address) {
    return address != null
        && address.length() <= 45
        && address.matches("[0-9a-fA-F:.]+")
        && (address.contains(".") || address.contains(":"));
  }

  /** The address's bytes, without any name lookup; null if it is not an address. */
  public static byte[] bytes(String address) {
    if (!literal(address)) {
      return null;
    }
    try {
      return InetAddress.getByName(address).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
