package net.adgrid.stats.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.entity.Role;
import org.junit.jupiter.api.Test;

class LivePassesTest {

  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  private final LivePasses passes = new LivePasses(new byte[32]);
  private final Caller advertiser = new Caller(7, Role.ADVERTISER, "a@b.test", 11L, null);

  @Test
  void aPassStandsForItsCallerUntilItExpires() {
    String pass = passes.issue(advertiser, NOW);
    Caller back = passes.check(pass, NOW.plusSeconds(119)).orElseThrow();
    assertEquals(7, back.accountId());
    assertEquals(Role.ADVERTISER, back.role());
    assertEquals(11L, back.userId());
    assertTrue(passes.check(pass, NOW.plusSeconds(120)).isEmpty(), "expired");
  }

  @Test
  void aChangedForgedOrForeignPassIsRefused() {
    String pass = passes.issue(advertiser, NOW);
    char[] chars = pass.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      if (chars[i] == '.') {
        continue;
      }
      char[] changed = chars.clone();
      changed[i] = changed[i] == 'A' ? 'B' : 'A';
      assertTrue(passes.check(new String(changed), NOW).isEmpty(), "changed at " + i);
    }
    byte[] otherSecret = new byte[32];
    otherSecret[0] = 1;
    assertTrue(new LivePasses(otherSecret).check(pass, NOW).isEmpty(), "another cluster's");
    assertTrue(passes.check(null, NOW).isEmpty());
    assertTrue(passes.check("abc", NOW).isEmpty());
    assertTrue(passes.check("a.b", NOW).isEmpty());
  }
}
