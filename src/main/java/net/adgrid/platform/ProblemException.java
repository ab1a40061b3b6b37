package net.adgrid.platform;

/** Ends a request with a specific problem: a status and a sentence for the client. */
public class ProblemException extends RuntimeException {

  private final transient Problem problem;

  public ProblemException(Problem problem) {
    super(problem.detail());
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
