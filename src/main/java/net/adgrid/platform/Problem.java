package net.adgrid.platform;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;

/**
 * An RFC 9457 problem detail: what every API error looks like, so that integrators can handle
 * errors by status and {@code type} and read a sentence meant for them, never a stack trace.
 * Invalid input names each offending field in {@code errors}.
 */
public record Problem(
    String type, String title, int status, String detail, List<FieldError> errors) {

  public static final String MEDIA_TYPE = "application/problem+json";

  /** One field of the input and what is wrong with it. */
  public record FieldError(String field, String message) {}

  public static Problem of(int status, String title, String detail) {
    return new Problem("about:blank", title, status, detail, null);
  }

  public static Problem invalid(List<FieldError> errors) {
    return new Problem(
        "about:blank", "Bad Request", 400, "The input is not valid; see errors.", errors);
  }

  public Response toResponse() {
    return Response.status(status)
        .type(MediaType.valueOf(MEDIA_TYPE))
        .header("Cache-Control", "no-store")
        .entity(this)
        .build();
  }
}
