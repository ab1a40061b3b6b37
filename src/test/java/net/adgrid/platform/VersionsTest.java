package net.adgrid.platform;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class VersionsTest {

  private final String current = Versions.tag(7, 3);

  @Test
  void theCurrentVersionMayBeChanged() {
    assertDoesNotThrow(() -> Versions.requireCurrent(current, "\"7-3\""));
    assertDoesNotThrow(() -> Versions.requireCurrent(current, " W/\"7-3\" "));
  }

  @Test
  void aMissingOrOldVersionIsRefused() {
    assertEquals(
        428,
        assertThrows(ProblemException.class, () -> Versions.requireCurrent(current, null))
            .problem()
            .status());
    assertEquals(
        428,
        assertThrows(ProblemException.class, () -> Versions.requireCurrent(current, " "))
            .problem()
            .status());
    for (String old : new String[] {"\"7-2\"", "7-3", "*", "\"8-3\""}) {
      assertEquals(
          412,
          assertThrows(ProblemException.class, () -> Versions.requireCurrent(current, old))
              .problem()
              .status(),
          old);
    }
  }
}
