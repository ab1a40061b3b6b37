package net.adgrid.platform;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * An RFC 9457 problem detail: what every API error looks like, so that integrators can handle
 * errors by status and {@code type} and read a sentence meant for them, never a stack trace.
 */
public record Problem(String type, String title, int status, String detail) {

  public static final String MEDIA_TYPE = "application/problem+json";

  public static Problem of(int status, String title, String detail) {
    return new Problem("about:blank", title, status, detail);
  }

  public Response toResponse() {
    return Response.status(status)
        .type(MediaType.valueOf(MEDIA_TYPE))
        .header("Cache-Control", "no-store")
        .entity(this)
        .build();
  }
}
