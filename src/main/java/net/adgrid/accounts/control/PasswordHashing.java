package net.adgrid.accounts.control;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Password hashes: PBKDF2 with HMAC-SHA256, a random salt per password and enough iterations to
 * make guessing expensive. Stored as {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, so the
 * iteration count can be raised later without invalidating existing hashes.
 */
public final class PasswordHashing {

  static final String SCHEME = "pbkdf2-sha256";
  static final int ITERATIONS = 310_000;
  public static final int MIN_LENGTH = 10;
  public static final int MAX_LENGTH = 200;
  private static final int SALT_BYTES = 16;
  private static final int HASH_BITS = 256;
  private static final SecureRandom RANDOM = new SecureRandom();

  /** Verified against when an e-mail is unknown, so that timing does not reveal accounts. */
  private static final String DUMMY = hash("not a password of anyone".toCharArray(), ITERATIONS);

  private PasswordHashing() {}

  /** Why a password is not acceptable, or null when it is. */
  public static String weakness(String password) {
    if (password == null || password.length() < MIN_LENGTH) {
      return "A password needs at least " + MIN_LENGTH + " characters.";
    }
    if (password.length() > MAX_LENGTH) {
      return "A password may have at most " + MAX_LENGTH + " characters.";
    }
    if (password.isBlank()) {
      return "A password cannot be only spaces.";
    }
    return null;
  }

  public static String hash(char[] password) {
    return hash(password, ITERATIONS);
  }

  static String hash(char[] password, int iterations) {
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
    return SCHEME
        + "$"
        + iterations
        + "$"
        + base64.encodeToString(salt)
        + "$"
        + base64.encodeToString(derive(password, salt, iterations));
  }

  public static boolean verify(char[] password, String stored) {
    String[] parts = stored == null ? new String[0] : stored.split("\\$");
    if (parts.length != 4 || !SCHEME.equals(parts[0]) || password.length > MAX_LENGTH) {
      return false;
    }
    try {
      int iterations = Integer.parseInt(parts[1]);
      byte[] salt = Base64.getDecoder().decode(parts[2]);
      byte[] expected = Base64.getDecoder().decode(parts[3]);
      return MessageDigest.isEqual(expected, derive(password, salt, iterations));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Spends the time of a real verification, for an unknown user. */
  public static void verifyNobody(char[] password) {
    verify(password, DUMMY);
  }

  private static byte[] derive(char[] password, byte[] salt, int iterations) {
    PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, HASH_BITS);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is not available", e);
    } finally {
      spec.clearPassword();
    }
  }
}
