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
 * and say what was wrong; anything unexpected becomes a 500 that names an incident id, which is
 * logged with the stack trace on the node, and never shown to the caller.
 */
public final class ProblemResponses {

  private static final Logger LOG = Logger.getLogger(ProblemResponses.class.getName());

  private ProblemResponses() {}

  static Problem forClientError(int status, String reasonPhrase) {
    String detail =
        switch (status) {
          case 404 -> "There is no resource at this address.";
          case 405 -> "This resource does not support that method.";
          case 406 -> "This resource cannot answer in the media type asked for.";
          case 415 -> "This resource does not accept that media type.";
          default -> reasonPhrase;
        };
    return Problem.of(status, reasonPhrase, detail);
  }

  static Problem forUnexpected(Throwable e) {
    String incident = UUID.randomUUID().toString();
    LOG.log(Level.SEVERE, "Unexpected error, incident " + incident, e);
    return Problem.of(
        500,
        "Internal Server Error",
        "The server could not complete the request; incident " + incident + " is logged.");
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
      return forClientError(status.getStatusCode(), status.getReasonPhrase()).toResponse();
    }
  }

  /** Everything else is a defect or an outage: log it, answer without internals. */
  @Provider
  public static class UnexpectedErrors implements ExceptionMapper<Throwable> {
    @Override
    public Response toResponse(Throwable e) {
      return forUnexpected(e).toResponse();
    }
  }
}
