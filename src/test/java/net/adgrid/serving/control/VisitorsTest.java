package net.adgrid.serving.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VisitorsTest {

  @Test
  void thePublishersIdWinsOverAddressAndAgent() {
    assertEquals(Visitors.key("u-1", "1.2.3.4", "A"), Visitors.key("u-1", "5.6.7.8", "B"));
    assertNotEquals(Visitors.key("u-1", "1.2.3.4", "A"), Visitors.key("u-2", "1.2.3.4", "A"));
    assertEquals(Visitors.key(null, "1.2.3.4", "A"), Visitors.key(null, "1.2.3.4", "A"));
    assertNotEquals(Visitors.key(null, "1.2.3.4", "A"), Visitors.key(null, "1.2.3.4", "B"));
    // an id that is not one is ignored, not trusted
    assertEquals(Visitors.key("<x>", "1.2.3.4", "A"), Visitors.key(null, "1.2.3.4", "A"));
    assertTrue(Visitors.validId("a.b_c:d-9"));
    assertFalse(Visitors.validId("x".repeat(129)));
    assertFalse(Visitors.validId(""));
  }

  @Test
  void frequencyWindowsPackStartAndCount() {
    long packed = GridCounters.pack(1_795_000_000L, 7);
    assertEquals(1_795_000_000L, GridCounters.start(packed));
    assertEquals(7, GridCounters.count(packed));
  }
}
