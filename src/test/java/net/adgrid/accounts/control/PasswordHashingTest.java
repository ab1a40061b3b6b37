package net.adgrid.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PasswordHashingTest {

  @Test
  void theRightPasswordVerifiesAndNothingElseDoes() {
    String stored = PasswordHashing.hash("correct horse battery".toCharArray(), 1000);
    assertTrue(PasswordHashing.verify("correct horse battery".toCharArray(), stored));
    assertFalse(PasswordHashing.verify("correct horse batterY".toCharArray(), stored));
    assertFalse(PasswordHashing.verify("".toCharArray(), stored));
  }

  @Test
  void eachHashHasItsOwnSaltAndNamesItsSchemeAndCost() {
    String first = PasswordHashing.hash("same password".toCharArray(), 1000);
    String second = PasswordHashing.hash("same password".toCharArray(), 1000);
    assertNotEquals(first, second);
    assertTrue(first.startsWith("pbkdf2-sha256$1000$"), first);
    assertEquals(4, first.split("\\$").length);
  }

  @Test
  void theProductionCostIsAtLeastTheOwaspFloor() {
    assertTrue(PasswordHashing.ITERATIONS >= 310_000);
    assertTrue(PasswordHashing.hash("x".repeat(12).toCharArray()).contains("$310000$"));
  }

  @Test
  void malformedStoredHashesNeverVerify() {
    for (String stored :
        new String[] {
          null, "", "plain", "md5$1$a$b", "pbkdf2-sha256$x$a$b", "pbkdf2-sha256$1$!!$b"
        }) {
      assertFalse(PasswordHashing.verify("anything at all".toCharArray(), stored), stored);
    }
  }

  @Test
  void weakPasswordsAreNamed() {
    assertNotNull(PasswordHashing.weakness(null));
    assertNotNull(PasswordHashing.weakness("short"));
    assertNotNull(PasswordHashing.weakness(" ".repeat(12)));
    assertNotNull(PasswordHashing.weakness("x".repeat(201)));
    assertNull(PasswordHashing.weakness("a good long passphrase"));
  }
}
