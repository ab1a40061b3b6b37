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

  private static final java.util.regex.Pattern ID =
      java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final MessageDigest SHA_256;

  static {
    try {
      SHA_256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private Visitors() {}

  /** A publisher's visitor id: 1 to 128 letters, digits or {@code . _ : -}. */
  public static boolean validId(String vid) {
    return vid != null && ID.matcher(vid).matches();
  }

  public static long key(String vid, String address, String userAgent) {
    String identity =
        validId(vid)
            ? "vid:" + vid
            : "addr:" + address + "|" + (userAgent == null ? "" : userAgent);
    try {
      // A clone of an unused prototype: no provider lookup per call, safe from any thread.
      MessageDigest sha = (MessageDigest) SHA_256.clone();
      return ByteBuffer.wrap(sha.digest(identity.getBytes(StandardCharsets.UTF_8))).getLong();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
    }
  }
}
