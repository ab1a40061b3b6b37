package net.adgrid.serving.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import net.adgrid.serving.control.EventTokens.Claims;
import net.adgrid.serving.control.EventTokens.Kind;
import net.adgrid.serving.control.EventTokens.Verdict;
import org.junit.jupiter.api.Test;

class EventTokensTest {

  private static final byte[] OLD = key(1);
  private static final byte[] NEW = key(2);
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private static final Claims CLICK =
      new Claims(UUID.randomUUID(), 11, 7, 3, -42L, Kind.CLICK, NOW, Duration.ofHours(1));

  private static byte[] key(int fill) {
    byte[] key = new byte[32];
    Arrays.fill(key, (byte) fill);
    return key;
  }

  @Test
  void aSignedTokenReadsBackItsClaims() {
    EventTokens tokens = new EventTokens(Map.of(1, OLD), 1);
    String token = tokens.sign(CLICK);
    assertEquals(100, token.length());
    assertTrue(token.matches("[A-Za-z0-9_-]+"), "URL-safe: " + token);
    assertEquals(CLICK, tokens.valid(token, NOW).orElseThrow());
  }

  @Test
  void expiredTamperedForeignAndGarbageTokensAreRefused() {
    EventTokens tokens = new EventTokens(Map.of(1, OLD), 1);
    String token = tokens.sign(CLICK);
    assertEquals(Verdict.EXPIRED, tokens.verify(token, CLICK.expires()).verdict());
    // Every single changed character is noticed, whichever it is changed to (the last one too,
    // whose low bits base64 would ignore).
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (int i = 0; i < token.length(); i++) {
      for (char c : alphabet.toCharArray()) {
        if (c != token.charAt(i)) {
          String tampered = token.substring(0, i) + c + token.substring(i + 1);
          assertTrue(!tokens.verify(tampered, NOW).valid(), "tampered at " + i + " with " + c);
        }
      }
    }
    EventTokens other = new EventTokens(Map.of(1, NEW), 1);
    assertEquals(Verdict.BAD_SIGNATURE, other.verify(token, NOW).verdict());
    assertEquals(
        Verdict.UNKNOWN_KEY, new EventTokens(Map.of(2, NEW), 2).verify(token, NOW).verdict());
    for (String garbage : new String[] {null, "", "abc", token + "A", token.replace('A', '+')}) {
      assertTrue(!tokens.verify(garbage, NOW).valid(), String.valueOf(garbage));
    }
  }

  @Test
  void aRotatedKeyStillVerifiesWhatItSigned() {
    String signedBefore = new EventTokens(Map.of(1, OLD), 1).sign(CLICK);
    EventTokens rotated = new EventTokens(Map.of(1, OLD, 2, NEW), 2);
    assertTrue(rotated.valid(signedBefore, NOW).isPresent(), "old tokens until they expire");
    String signedAfter = rotated.sign(CLICK);
    assertTrue(new EventTokens(Map.of(2, NEW), 2).valid(signedAfter, NOW).isPresent());
    assertTrue(new EventTokens(Map.of(1, OLD), 1).valid(signedAfter, NOW).isEmpty());
  }

  @Test
  void keysMustBeStrong() {
    assertThrows(IllegalArgumentException.class, () -> new EventTokens(Map.of(1, new byte[16]), 1));
    assertThrows(IllegalArgumentException.class, () -> new EventTokens(Map.of(1, OLD), 2));
  }
}
