package net.adgrid.serving.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

/**
 * {@code GET /api/v1/ping}: 204 and nothing else, through the same balancer, filters and JAX-RS
 * stack as a decision. Uptime checks call it, and {@code scripts/adgrid bench} measures it as the
 * ceiling a decision is compared with ({@code /t/ping} is its twin on the tracking servlet).
 */
@Path("ping")
@ApplicationScoped
public class PingResource {

  @GET
  public Response ping() {
    return Response.noContent().header("Cache-Control", "no-store").build();
  }
}
