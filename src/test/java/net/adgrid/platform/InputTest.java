package net.adgrid.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class InputTest {

  record Named(String name, String note, int size) implements Input {
    @Override
    public List<Problem.FieldError> problems() {
      return List.of();
    }
  }

  @Test
  void textWithControlCharactersIsRefusedFieldByField() {
    ProblemException refused =
        assertThrows(
            ProblemException.class,
            () -> Input.requireValid(new Named("a\u0000b", "fine\ttext\r\n", 3), "a thing"));
    assertEquals(400, refused.problem().status());
    assertEquals(
        List.of(new Problem.FieldError("name", "contains control characters")),
        refused.problem().errors());
    assertThrows(
        ProblemException.class,
        () -> Input.requireValid(new Named("x", "bell\u0007", 1), "a thing"));
  }

  @Test
  void aMissingBodyIsRefused() {
    assertEquals(
        400,
        assertThrows(ProblemException.class, () -> Input.requireValid(null, "a thing"))
            .problem()
            .status());
  }
}
