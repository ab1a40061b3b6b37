package net.adgrid.stats.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;

/**
 * {@code GET /api/v1/stats/live}: the UTC day's figures so far in the caller's scope, cluster-wide,
 * about a second behind the events, from memory ({@link LiveDocuments}); 304 to the ETag of
 * unchanged figures.
 */
@Path("stats")
@RequestScoped
public class StatsResource {

  @Inject CurrentCaller currentCaller;
  @Inject LiveDocuments documents;

  @GET
  @Path("live")
  @Produces(MediaType.APPLICATION_JSON)
  public Response live(@Context Request request) {
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.PUBLISHER, Role.ADMIN);
    LiveDocuments.Document document = documents.of(caller);
    EntityTag tag = EntityTag.valueOf(document.tag());
    CacheControl revalidate = new CacheControl();
    revalidate.setPrivate(true);
    revalidate.setNoCache(true);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
    if (notModified != null) {
      return notModified.cacheControl(revalidate).build();
    }
    return Response.ok(document.body().get(), MediaType.APPLICATION_JSON)
        .tag(tag)
        .cacheControl(revalidate)
        .build();
  }
}
