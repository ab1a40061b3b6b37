package net.adgrid.platform;

import jakarta.ws.rs.WebApplicationException;

/** Ends a request with a specific problem: a status and a sentence for the client. */
public class ProblemException extends WebApplicationException {

  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.detail(), problem.status());
    this.problem = problem;
  }

  public ProblemException(int status, String title, String detail) {
    this(Problem.of(status, title, detail));
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "Not Found", detail);
  }

  public Problem problem() {
    return problem;
  }
}
