package net.adgrid.stats.control;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.entity.Role;

/**
 * Passes for the dashboard's poll. The poll comes every 2 seconds from every open dashboard, so it
 * must not touch the HTTP session: a request that reads the replicated session writes it back to
 * the grid (measured by the bench: about 3 ms of node CPU per poll that way). A signed-in page gets
 * a pass (account, role, user, expiry under an HMAC with a key every node derives from the
 * cluster's shared secret) and sends it with each poll, without cookies. A pass lives {@link
 * #LIFE_SECONDS}; the page renews it every minute through a signed-in request, where the account
 * and user are checked again, so a disabled account's dashboard stops within two minutes.
 */
public final class LivePasses {

  public static final long LIFE_SECONDS = 120;
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  private static final int PAYLOAD = 8 + 1 + 8 + 8;

  private final Mac prototype;

  /**
   * @param secret the cluster's shared secret (every node the same)
   */
  public LivePasses(byte[] secret) {
    try {
      Mac derive = Mac.getInstance("HmacSHA256");
      derive.init(new SecretKeySpec(secret, "HmacSHA256"));
      byte[] key = derive.doFinal("adgrid live pass v1".getBytes(StandardCharsets.UTF_8));
      prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /** The pass of the cluster whose shared secret is in {@code ADGRID_FACES_KEY} (base64). */
  public static LivePasses fromEnvironment() {
    String secret = System.getenv("ADGRID_FACES_KEY");
    if (secret == null || secret.isBlank()) {
      throw new IllegalStateException("ADGRID_FACES_KEY is not set (scripts/adgrid sets it)");
    }
    return new LivePasses(Base64.getDecoder().decode(secret.trim()));
  }

  public String issue(Caller caller, Instant now) {
    ByteBuffer payload = ByteBuffer.allocate(PAYLOAD);
    payload.putLong(caller.accountId());
    payload.put((byte) caller.role().ordinal());
    payload.putLong(caller.userId() == null ? -1 : caller.userId());
    payload.putLong(now.getEpochSecond() + LIFE_SECONDS);
    byte[] body = payload.array();
    return ENCODER.encodeToString(body) + "." + ENCODER.encodeToString(mac(body));
  }

  /** The caller a pass stands for, if it is ours, whole and not expired. */
  public Optional<Caller> check(String pass, Instant now) {
    if (pass == null || pass.length() > 200) {
      return Optional.empty();
    }
    int dot = pass.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    byte[] body;
    byte[] signature;
    try {
      body = DECODER.decode(pass.substring(0, dot));
      signature = DECODER.decode(pass.substring(dot + 1));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    // Only the one canonical spelling (base64 ignores a last character's unused bits).
    if (body.length != PAYLOAD
        || !ENCODER.encodeToString(body).equals(pass.substring(0, dot))
        || !ENCODER.encodeToString(signature).equals(pass.substring(dot + 1))
        || !MessageDigest.isEqual(mac(body), signature)) {
      return Optional.empty();
    }
    ByteBuffer payload = ByteBuffer.wrap(body);
    long account = payload.getLong();
    int role = payload.get();
    long user = payload.getLong();
    long expires = payload.getLong();
    if (now.getEpochSecond() >= expires || role < 0 || role >= Role.values().length) {
      return Optional.empty();
    }
    return Optional.of(
        new Caller(account, Role.values()[role], "live pass", user < 0 ? null : user, null));
  }

  private byte[] mac(byte[] body) {
    try {
      Mac mac = (Mac) prototype.clone();
      return mac.doFinal(body);
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
    }
  }
}
