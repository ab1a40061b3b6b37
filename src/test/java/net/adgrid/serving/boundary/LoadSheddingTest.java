package net.adgrid.serving.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LoadSheddingTest {

  private static final long NOW = 1_790_000_000_000L;

  @Test
  void theWaitComesFromHttpdsMicrosecondStamp() {
    assertEquals(250, LoadShedding.waitedMillis("t=" + (NOW - 250) * 1000, NOW));
    assertEquals(-40, LoadShedding.waitedMillis("t=" + ((NOW + 40) * 1000 + 123), NOW));
  }

  @Test
  void withoutAReadableStampNothingWaited() {
    assertEquals(0, LoadShedding.waitedMillis(null, NOW));
    assertEquals(0, LoadShedding.waitedMillis("", NOW));
    assertEquals(0, LoadShedding.waitedMillis("1790000000000000", NOW));
    assertEquals(0, LoadShedding.waitedMillis("t=abc", NOW));
    assertEquals(0, LoadShedding.waitedMillis("t=" + "9".repeat(30), NOW));
  }
}
