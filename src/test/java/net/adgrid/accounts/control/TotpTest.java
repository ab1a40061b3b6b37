package net.adgrid.accounts.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TotpTest {

  /** RFC 6238, appendix B: the SHA1 secret, its 8-digit codes cut to the 6 an app shows. */
  private static final String RFC_SECRET =
      Totp.encode("12345678901234567890".getBytes(StandardCharsets.US_ASCII));

  @Test
  void theRfcTestVectors() {
    assertEquals("287082", Totp.codeAt(RFC_SECRET, Instant.ofEpochSecond(59)));
    assertEquals("081804", Totp.codeAt(RFC_SECRET, Instant.ofEpochSecond(1111111109)));
    assertEquals("050471", Totp.codeAt(RFC_SECRET, Instant.ofEpochSecond(1111111111)));
    assertEquals("005924", Totp.codeAt(RFC_SECRET, Instant.ofEpochSecond(1234567890)));
    assertEquals("279037", Totp.codeAt(RFC_SECRET, Instant.ofEpochSecond(2000000000)));
  }

  @Test
  void aCodeWorksInItsStepAndTheNeighboursButNeverTwice() {
    Instant now = Instant.ofEpochSecond(1234567890);
    String code = Totp.codeAt(RFC_SECRET, now);
    OptionalLong step = Totp.verify(RFC_SECRET, code, now, 0);
    assertEquals(OptionalLong.of(1234567890 / 30), step);
    assertTrue(Totp.verify(RFC_SECRET, code, now.plusSeconds(30), 0).isPresent(), "drift");
    assertTrue(Totp.verify(RFC_SECRET, code, now.plusSeconds(60), 0).isEmpty(), "too late");
    assertTrue(Totp.verify(RFC_SECRET, code, now, step.getAsLong()).isEmpty(), "replayed");
    assertTrue(Totp.verify(RFC_SECRET, "12345", now, 0).isEmpty());
    assertTrue(Totp.verify(RFC_SECRET, "abcdef", now, 0).isEmpty());
    assertTrue(Totp.verify(RFC_SECRET, null, now, 0).isEmpty());
  }

  @Test
  void secretsAreRandomBase32AndRoundTrip() {
    String secret = Totp.newSecret();
    assertEquals(32, secret.length());
    assertTrue(secret.matches("[A-Z2-7]+"));
    assertArrayEquals(Totp.decode(secret), Totp.decode(Totp.encode(Totp.decode(secret))));
    assertTrue(
        Totp.uri("adgrid", "ads@northwind.test", secret)
            .startsWith("otpauth://totp/adgrid%3Aads%40northwind.test?secret=" + secret));
  }
}
