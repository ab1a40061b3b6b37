package net.adgrid.platform;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Turns every exception that leaves a resource into problem+json. Client errors keep their status
 * and say what was wrong; anything unexpected becomes a 500 that names an incident id (the
 * request's id), which is logged with the stack trace on the node, and never shown to the caller.
 */
public final class ProblemResponses {

  private static final Logger LOG = Logger.getLogger(ProblemResponses.class.getName());

  private ProblemResponses() {}

  static Problem forClientError(int status, String reasonPhrase) {
    String detail =
        switch (status) {
          case 400 -> "The request could not be read; check its parameters and body.";
          case 401 -> "This resource needs an API key: send Authorization: Bearer <key>.";
          case 403 -> "This account may not use this resource.";
          case 404 -> "There is no resource at this address.";
          case 405 -> "This resource does not support that method.";
          case 406 -> "This resource cannot answer in the media type asked for.";
          case 415 -> "This resource does not accept that media type.";
          default -> reasonPhrase;
        };
    return Problem.of(status, reasonPhrase, detail);
  }

  static Problem forUnexpected(Throwable e) {
    // The request's id: the same in httpd's access log and the node's log line.
    String incident = RequestIds.current();
    if (incident == null) {
      incident = UUID.randomUUID().toString();
    }
    LOG.log(Level.SEVERE, "Unexpected error, incident " + incident, e);
    return Problem.of(
        500,
        "Internal Server Error",
        "The server could not complete the request; incident " + incident + " is logged.");
  }

  /** A request body that JSON-B could not read is the client's error, not the server's. */
  static boolean isUnreadableBody(Throwable e) {
    return causedBy(e, jakarta.json.bind.JsonbException.class)
        || causedBy(e, jakarta.json.JsonException.class);
  }

  /** A PostgreSQL integrity constraint (SQLSTATE class 23) refused a write. */
  static boolean violatesConstraint(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof java.sql.SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("23")) {
        return true;
      }
    }
    return false;
  }

  static boolean causedBy(Throwable e, Class<? extends Throwable> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return true;
      }
    }
    return false;
  }

  /** Client errors raised by JAX-RS itself or by resources (404, 405, 415, 400 ...). */
  @Provider
  public static class WebApplicationErrors implements ExceptionMapper<WebApplicationException> {
    @Override
    public Response toResponse(WebApplicationException e) {
      Response.StatusType status = e.getResponse().getStatusInfo();
      if (status.getStatusCode() >= 500) {
        return forUnexpected(e).toResponse();
      }
      if (e.getClass().getSimpleName().equals("QueryParamException")) {
        // JAX-RS says 404 for a query parameter it cannot convert; the client sent a bad value.
        return Problem.of(400, "Bad Request", "A query parameter has a value of the wrong form.")
            .toResponse();
      }
      Response problem =
          forClientError(status.getStatusCode(), status.getReasonPhrase()).toResponse();
      // Keep what tells the client how to go on: how to authenticate, which methods exist.
      for (String header : new String[] {"WWW-Authenticate", "Allow", "Retry-After"}) {
        String value = e.getResponse().getHeaderString(header);
        if (value != null) {
          problem.getHeaders().putSingle(header, value);
        }
      }
      return problem;
    }
  }

  /** Problems the application raised on purpose, each with its status and sentence. */
  @Provider
  public static class ApplicationProblems implements ExceptionMapper<ProblemException> {
    @Override
    public Response toResponse(ProblemException e) {
      return e.problem().toResponse();
    }
  }

  /** Everything else is a defect or an outage: log it, answer without internals. */
  @Provider
  public static class UnexpectedErrors implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      if (causedBy(e, jakarta.persistence.OptimisticLockException.class)) {
        return Problem.of(
                412,
                "Precondition Failed",
                "Someone else changed this at the same moment; read it again and repeat the change.")
            .toResponse();
      }
      if (violatesConstraint(e)) {
        return Problem.of(
                409,
                "Conflict",
                "This conflicts with a change made at the same moment; read again and retry.")
            .toResponse();
      }
      if (isUnreadableBody(e)) {
        return Problem.of(400, "Bad Request", "The body is not valid JSON of the expected form.")
            .toResponse();
      }
      return forUnexpected(e).toResponse();
    }
  }
}
