package net.adgrid.stats.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Map;
import net.adgrid.stats.control.LiveCounters.Key;
import org.junit.jupiter.api.Test;

class LiveCountersTest {

  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);

  @Test
  void aTallyCountsValidEventsByKindAndInvalidOnesByReason() {
    Tally tally = new Tally();
    tally.count('I', "OK", LiveCounters.units(new BigDecimal("0.0025")), 1);
    tally.count('V', "OK", 0, 1);
    tally.count('C', "OK", LiveCounters.units(new BigDecimal("0.37")), 1);
    tally.count('C', "REPLAY", 0, 2);
    tally.count('I', "BOT", 0, 3);
    assertEquals(1, tally.impressions());
    assertEquals(1, tally.viewable());
    assertEquals(1, tally.clicks());
    assertEquals(5, tally.invalidTotal());
    assertEquals(2, tally.invalid(Tally.INVALID.indexOf("REPLAY")));
    assertEquals(0, new BigDecimal("0.3725").compareTo(tally.spendAmount()));
    assertThrows(IllegalArgumentException.class, () -> tally.count('I', "NEW_REASON", 0, 1));
  }

  @Test
  void spendIsExactAtTheEventTablesScale() {
    // numeric(18,7): a CPM rate of 1.2345 is 0.0012345 per impression.
    assertEquals(12_345, LiveCounters.units(new BigDecimal("0.0012345")));
    assertEquals(0, LiveCounters.units(null));
    Tally many = new Tally();
    for (int i = 0; i < 1_000_000; i++) {
      many.count('I', "OK", 12_345, 1);
    }
    assertEquals(0, new BigDecimal("1234.5").compareTo(many.spendAmount()));
  }

  @Test
  void aSnapshotReadsBackAsWrittenOnlyForItsDay() throws Exception {
    Tally tally = new Tally();
    tally.count('I', "OK", 20_000, 1);
    tally.count('C', "TOO_FAST", 0, 1);
    Map<Key, Tally> written = Map.of(new Key(1, 2, 3), tally, new Key(1, 4, 3), new Tally());
    byte[] snapshot = LiveCounters.encode(DAY, written);
    Map<Key, Tally> read = LiveCounters.decode(snapshot, DAY);
    assertEquals(written.keySet(), read.keySet());
    Tally back = read.get(new Key(1, 2, 3));
    assertEquals(1, back.impressions());
    assertEquals(20_000, back.spend());
    assertEquals(1, back.invalid(Tally.INVALID.indexOf("TOO_FAST")));
    assertTrue(LiveCounters.decode(snapshot, DAY.plusDays(1)).isEmpty(), "yesterday's counts");
  }
}
