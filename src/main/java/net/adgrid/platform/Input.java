package net.adgrid.platform;

import java.util.List;

/** A body a client sends to create or change something, and what is wrong with it. */
public interface Input {

  /** Every problem with this input, one per field; empty when it may be stored. */
  List<Problem.FieldError> problems();

  /** 400 with every field's problem, or a body that is missing altogether. */
  static void requireValid(Input input, String what) {
    if (input == null) {
      throw new ProblemException(400, "Bad Request", "The body must be " + what + " in JSON.");
    }
    List<Problem.FieldError> problems = input.problems();
    if (!problems.isEmpty()) {
      throw new ProblemException(Problem.invalid(problems));
    }
  }
}
