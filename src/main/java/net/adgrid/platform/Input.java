package net.adgrid.platform;

import java.util.List;

/** A body a client sends to create or change something, and what is wrong with it. */
public interface Input {

  /** Every problem with this input, one per field; empty when it may be stored. */
  List<Problem.FieldError> problems();

  /**
   * Text fields of a record input that hold control characters (other than tab and line breaks):
   * PostgreSQL refuses NUL in text, and none of them belongs in what adgrid stores.
   */
  static List<Problem.FieldError> controlCharacters(Input input) {
    if (!input.getClass().isRecord()) {
      return List.of();
    }
    List<Problem.FieldError> errors = new java.util.ArrayList<>();
    for (var component : input.getClass().getRecordComponents()) {
      if (component.getType() != String.class) {
        continue;
      }
      try {
        String value = (String) component.getAccessor().invoke(input);
        if (hasControlCharacter(value)) {
          errors.add(new Problem.FieldError(component.getName(), "contains control characters"));
        }
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e);
      }
    }
    return errors;
  }

  static boolean hasControlCharacter(String value) {
    return value != null
        && value
            .chars()
            .anyMatch(c -> c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f);
  }

  /** 400 with every field's problem, or a body that is missing altogether. */
  static void requireValid(Input input, String what) {
    if (input == null) {
      throw new ProblemException(400, "Bad Request", "The body must be " + what + " in JSON.");
    }
    List<Problem.FieldError> problems = new java.util.ArrayList<>(controlCharacters(input));
    problems.addAll(input.problems());
    if (!problems.isEmpty()) {
      throw new ProblemException(Problem.invalid(problems));
    }
  }
}
