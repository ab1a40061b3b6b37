package net.adgrid.serving.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Who a decision was made for, as a 64-bit key: the publisher's own visitor id ({@code vid}) when
 * it gives one, else the visitor's address and User-Agent. Only the hash travels in tokens and is
 * stored, never the address or the id itself. It needs no cookie, third-party or other: frequency
 * caps, uniques and per-visitor limits are kept by the cluster under this key.
 */
public final class Visitors {

  private Visitors() {}

  /** A publisher's visitor id: 1 to 128 letters, digits or {@code . _ : -}. */
  public static boolean validId(String vid) {
    return vid != null && vid.matches("[A-Za-z0-9._:-]{1,128}");
  }

  public static long key(String vid, String address, String userAgent) {
    String identity =
        validId(vid)
            ? "vid:" + vid
            : "addr:" + address + "|" + (userAgent == null ? "" : userAgent);
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
