package net.adgrid.serving.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EvenPacingTest {

  private static final Instant START = Instant.parse("2026-11-23T10:00:00Z");

  /** Requests every 10 ms for the given seconds; how many were allowed. */
  private static int served(
      EvenPacing pacing, long remaining, Instant until, int fromSecond, int seconds, int nodes) {
    int served = 0;
    for (int ms = fromSecond * 1000; ms < (fromSecond + seconds) * 1000; ms += 10) {
      if (pacing.take(remaining, until, START.plusMillis(ms), nodes)) {
        served++;
      }
    }
    return served;
  }

  @Test
  void whatRemainsIsSpreadOverTheTimeThatRemains() {
    EvenPacing pacing = new EvenPacing();
    Instant end = START.plusSeconds(100);
    // 100 to deliver in 100 s on one node: about one a second, whatever the request rate.
    assertEquals(10, served(pacing, 100, end, 0, 10, 1), 1);
    // Two nodes share it: each gets half the rate.
    assertEquals(5, served(new EvenPacing(), 100, end, 0, 10, 2), 1);
  }

  @Test
  void noBurstAfterAQuietSpell() {
    EvenPacing pacing = new EvenPacing();
    Instant end = START.plusSeconds(1000);
    served(pacing, 1000, end, 0, 1, 1);
    // 500 s without requests, then a flood (499 left for 499 s: one a second): only the few
    // seconds' worth the bucket holds.
    int flood = 0;
    for (int i = 0; i < 1000; i++) {
      if (pacing.take(499, end, START.plusSeconds(501), 1)) {
        flood++;
      }
    }
    assertEquals(5, flood, 1);
  }

  @Test
  void nothingLeftOrNoTimeLeftServesNothing() {
    assertFalse(new EvenPacing().take(0, START.plusSeconds(10), START, 1));
    assertFalse(new EvenPacing().take(10, START, START, 1));
  }
}
