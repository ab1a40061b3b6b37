package net.adgrid.accounts.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeySecretsTest {

  @Test
  void aNewKeyParsesBackToItsPrefixAndMatchesItsStoredHash() {
    ApiKeySecrets.NewKey created = ApiKeySecrets.generate();
    assertTrue(created.key().matches("adg_[a-z2-9]{8}_[A-Za-z0-9]{32}"), created.key());
    ApiKeySecrets.PresentedKey presented = ApiKeySecrets.parse(created.key()).orElseThrow();
    assertEquals(created.prefix(), presented.prefix());
    assertTrue(ApiKeySecrets.matches(presented, created.hash()));
    assertFalse(created.hash().contains(created.key().substring(13)), "the secret is not stored");
  }

  @Test
  void aTamperedKeyDoesNotMatch() {
    ApiKeySecrets.NewKey created = ApiKeySecrets.generate();
    char last = created.key().charAt(created.key().length() - 1);
    String tampered =
        created.key().substring(0, created.key().length() - 1) + (last == 'a' ? 'b' : 'a');
    assertFalse(ApiKeySecrets.matches(ApiKeySecrets.parse(tampered).orElseThrow(), created.hash()));
  }

  @Test
  void anythingNotShapedLikeAKeyIsRefusedBeforeAnyLookup() {
    for (String bad :
        new String[] {
          null,
          "",
          "adg_",
          "adg_abcdefgh_short",
          "xyz_abcdefgh_" + "A".repeat(32),
          "adg_ABCDEFGH_" + "A".repeat(32),
          "adg_abcdefgh_" + "A".repeat(33),
          "' OR 1=1 --"
        }) {
      assertTrue(ApiKeySecrets.parse(bad).isEmpty(), String.valueOf(bad));
    }
  }

  @Test
  void keysDoNotRepeat() {
    Set<String> prefixes = new HashSet<>();
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      ApiKeySecrets.NewKey key = ApiKeySecrets.generate();
      keys.add(key.key());
      prefixes.add(key.prefix());
    }
    assertEquals(1000, keys.size());
    assertEquals(1000, prefixes.size());
    assertNotEquals(ApiKeySecrets.hash("a"), ApiKeySecrets.hash("b"));
  }
}
