package net.adgrid.accounts.control;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The form of an API key: {@code adg_<prefix>_<secret>}. The prefix (8 characters) identifies the
 * key and may be shown; the secret (32 characters, about 190 bits) is known only to the integrator.
 * The database keeps the prefix and a SHA-256 of the whole key: a random secret of that length
 * needs no slow hash, and the lookup stays one indexed query.
 */
public final class ApiKeySecrets {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final String PREFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";
  private static final Pattern FORM = Pattern.compile("adg_([a-z2-9]{8})_([A-Za-z0-9]{32})");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiKeySecrets() {}

  /** A new key: what to give the integrator once, and what to store. */
  public record NewKey(String key, String prefix, String hash) {}

  /** A key as presented, split into the part that finds it and the whole to compare. */
  public record PresentedKey(String prefix, String key) {}

  public static NewKey generate() {
    String prefix = random(PREFIX_ALPHABET, 8);
    String key = "adg_" + prefix + "_" + random(ALPHABET, 32);
    return new NewKey(key, prefix, hash(key));
  }

  public static Optional<PresentedKey> parse(String presented) {
    if (presented == null) {
      return Optional.empty();
    }
    Matcher matcher = FORM.matcher(presented.trim());
    return matcher.matches()
        ? Optional.of(new PresentedKey(matcher.group(1), matcher.group(0)))
        : Optional.empty();
  }

  public static String hash(String key) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.US_ASCII));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  /** Compares in constant time, so that timing does not reveal how much of a guess was right. */
  public static boolean matches(PresentedKey presented, String storedHash) {
    return MessageDigest.isEqual(
        hash(presented.key()).getBytes(StandardCharsets.US_ASCII),
        storedHash.getBytes(StandardCharsets.US_ASCII));
  }

  private static String random(String alphabet, int length) {
    StringBuilder out = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
