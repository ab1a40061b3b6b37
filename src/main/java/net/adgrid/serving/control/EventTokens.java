package net.adgrid.serving.control;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The signed part of a tracking URL: which event (a fresh id, so that a token counts once), for
 * which creative, campaign and zone, of which kind, until when, signed with an HMAC-SHA256 key the
 * cluster shares. Keys have small ids: a token names the key it was signed with, so a new key can
 * sign while the old one still verifies the tokens it signed until they expire (rotation). A token
 * is checked for its signature before anything else in it is believed.
 *
 * <p>Form: base64url (no padding) of 75 bytes: version, key id, kind, event id (16), creative,
 * campaign and zone ids (8 each), the visitor's key (8: a hash, see {@code Visitors}), the
 * decision's time in epoch seconds and the token's lifetime in seconds (4 each, unsigned), then the
 * first 16 bytes of the HMAC over those 59 bytes: 100 characters in a URL. The tokens of one
 * decision (impression, click, viewable) share event id and decision time, which is how their
 * events find each other in the day-partitioned events table.
 */
public final class EventTokens {

  public enum Kind {
    IMPRESSION,
    CLICK,
    VIEWABLE
  }

  /**
   * @param visitor the key of the visitor the decision was made for (frequency caps, uniques)
   * @param decidedAt when the decision was made (whole seconds)
   * @param life how long after the decision the token is accepted
   */
  public record Claims(
      UUID eventId,
      long creativeId,
      long campaignId,
      long zoneId,
      long visitor,
      Kind kind,
      Instant decidedAt,
      Duration life) {

    public Claims {
      if (decidedAt.getNano() != 0 || decidedAt.getEpochSecond() < 0) {
        throw new IllegalArgumentException("a decision time is whole seconds since 1970");
      }
      if (life.isNegative() || life.getSeconds() > 0xffffffffL || life.getNano() != 0) {
        throw new IllegalArgumentException("a token lives whole seconds, at most 2^32-1");
      }
    }

    public Instant expires() {
      return decidedAt.plus(life);
    }
  }

  /** What a presented token turned out to be; only a VALID token's claims may be used. */
  public enum Verdict {
    VALID,
    MALFORMED,
    UNKNOWN_KEY,
    BAD_SIGNATURE,
    EXPIRED
  }

  public record Checked(Verdict verdict, Claims claims) {
    public boolean valid() {
      return verdict == Verdict.VALID;
    }
  }

  static final byte VERSION = 2;
  static final int BODY = 1 + 1 + 1 + 16 + 8 + 8 + 8 + 8 + 4 + 4;
  static final int MAC = 16;
  static final int LENGTH = ((BODY + MAC) * 8 + 5) / 6;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  /** An initialized HMAC per key id; each use works on a clone (no provider lookup, no init). */
  private final Map<Integer, Mac> keys;

  private final int signingKey;

  /**
   * @param keys every key that may verify, by id (0 to 255), each at least 32 bytes
   * @param signingKey the id of the key new tokens are signed with
   */
  public EventTokens(Map<Integer, byte[]> keys, int signingKey) {
    if (!keys.containsKey(signingKey)) {
      throw new IllegalArgumentException("the signing key must be one of the keys");
    }
    for (var key : keys.entrySet()) {
      if (key.getKey() < 0 || key.getKey() > 255 || key.getValue().length < 32) {
        throw new IllegalArgumentException("key " + key.getKey() + ": ids 0-255, 32 bytes or more");
      }
    }
    Map<Integer, Mac> macs = new java.util.HashMap<>();
    for (var key : keys.entrySet()) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getValue(), "HmacSHA256"));
        macs.put(key.getKey(), mac);
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
      }
    }
    this.keys = Map.copyOf(macs);
    this.signingKey = signingKey;
  }

  public String sign(Claims claims) {
    ByteBuffer body = ByteBuffer.allocate(BODY + MAC);
    body.put(VERSION)
        .put((byte) signingKey)
        .put((byte) claims.kind().ordinal())
        .putLong(claims.eventId().getMostSignificantBits())
        .putLong(claims.eventId().getLeastSignificantBits())
        .putLong(claims.creativeId())
        .putLong(claims.campaignId())
        .putLong(claims.zoneId())
        .putLong(claims.visitor())
        .putInt((int) claims.decidedAt().getEpochSecond())
        .putInt((int) claims.life().getSeconds());
    byte[] bytes = body.array();
    System.arraycopy(mac(keys.get(signingKey), bytes), 0, bytes, BODY, MAC);
    return ENCODER.encodeToString(bytes);
  }

  public Checked verify(String token, Instant now) {
    if (token == null || token.length() != LENGTH) {
      return new Checked(Verdict.MALFORMED, null);
    }
    byte[] bytes;
    try {
      bytes = DECODER.decode(token);
    } catch (IllegalArgumentException e) {
      return new Checked(Verdict.MALFORMED, null);
    }
    // Base64 ignores the unused low bits of the last character: only the one canonical spelling
    // of a token is accepted, so that one token has one text.
    if (bytes.length != BODY + MAC
        || bytes[0] != VERSION
        || !ENCODER.encodeToString(bytes).equals(token)) {
      return new Checked(Verdict.MALFORMED, null);
    }
    Mac key = keys.get(bytes[1] & 0xff);
    if (key == null) {
      return new Checked(Verdict.UNKNOWN_KEY, null);
    }
    byte[] expected = mac(key, bytes);
    if (!MessageDigest.isEqual(
        Arrays.copyOf(expected, MAC), Arrays.copyOfRange(bytes, BODY, BODY + MAC))) {
      return new Checked(Verdict.BAD_SIGNATURE, null);
    }
    ByteBuffer body = ByteBuffer.wrap(bytes, 2, BODY - 2);
    int kind = body.get();
    if (kind < 0 || kind >= Kind.values().length) {
      return new Checked(Verdict.MALFORMED, null);
    }
    Claims claims =
        new Claims(
            new UUID(body.getLong(), body.getLong()),
            body.getLong(),
            body.getLong(),
            body.getLong(),
            body.getLong(),
            Kind.values()[kind],
            Instant.ofEpochSecond(Integer.toUnsignedLong(body.getInt())),
            Duration.ofSeconds(Integer.toUnsignedLong(body.getInt())));
    if (!now.isBefore(claims.expires())) {
      return new Checked(Verdict.EXPIRED, claims);
    }
    return new Checked(Verdict.VALID, claims);
  }

  /** The id of the key new tokens are signed with. */
  public int signingKey() {
    return signingKey;
  }

  /** The claims, only if the token is valid now. */
  public Optional<Claims> valid(String token, Instant now) {
    Checked checked = verify(token, now);
    return checked.valid() ? Optional.of(checked.claims()) : Optional.empty();
  }

  /** The HMAC of the token's body (its first BODY bytes). */
  private static byte[] mac(Mac prototype, byte[] token) {
    try {
      // The prototype is never used itself, only read by clone(): safe from any thread.
      Mac mac = (Mac) prototype.clone();
      mac.update(token, 0, BODY);
      return mac.doFinal();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
    }
  }
}
