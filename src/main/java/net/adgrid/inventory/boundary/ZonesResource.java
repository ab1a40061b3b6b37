package net.adgrid.inventory.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.inventory.entity.Site;
import net.adgrid.inventory.entity.Zone;
import net.adgrid.platform.Input;
import net.adgrid.platform.Paging;
import net.adgrid.platform.PathIds;
import net.adgrid.platform.Problem.FieldError;
import net.adgrid.platform.ProblemException;
import net.adgrid.platform.Versions;

/**
 * {@code /api/v1/zones}: the zones of a publisher's sites. Advertisers read every zone of the
 * network (to link campaigns to them) but change none; an admin reads and changes all.
 */
@Path("zones")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ZonesResource {

  @Inject CurrentCaller currentCaller;
  @Inject SitesResource sites;
  @PersistenceContext EntityManager em;

  /** A zone as clients send it. */
  public record ZoneInput(
      Long siteId, String name, Integer width, Integer height, Set<CreativeKind> allowedKinds)
      implements Input {
    @Override
    public List<FieldError> problems() {
      List<FieldError> errors = new ArrayList<>();
      if (siteId == null) {
        errors.add(new FieldError("siteId", "is required"));
      }
      if (name == null || name.isBlank() || name.length() > 120) {
        errors.add(new FieldError("name", "is required, at most 120 characters"));
      }
      if (width == null || width < 1 || width > 4000) {
        errors.add(new FieldError("width", "is required, from 1 to 4000 pixels"));
      }
      if (height == null || height < 1 || height > 4000) {
        errors.add(new FieldError("height", "is required, from 1 to 4000 pixels"));
      }
      if (allowedKinds == null || allowedKinds.isEmpty() || allowedKinds.contains(null)) {
        errors.add(new FieldError("allowedKinds", "at least one of IMAGE, HTML, TEXT"));
      }
      return errors;
    }
  }

  /** A zone as the API returns it. */
  public record ZoneDocument(
      long id,
      long siteId,
      String siteDomain,
      String name,
      int width,
      int height,
      Set<CreativeKind> allowedKinds,
      long version) {
    static ZoneDocument of(Zone zone) {
      return new ZoneDocument(
          zone.id(),
          zone.site().id(),
          zone.site().domain(),
          zone.name(),
          zone.width(),
          zone.height(),
          zone.allowedKinds(),
          zone.version());
    }
  }

  @GET
  public Paging.Page<ZoneDocument> list(
      @QueryParam("limit") Integer limit,
      @QueryParam("after") Long after,
      @QueryParam("siteId") Long siteId) {
    Caller caller = currentCaller.require(Role.PUBLISHER, Role.ADVERTISER, Role.ADMIN);
    int size = Paging.size(limit);
    boolean own = caller.is(Role.PUBLISHER);
    TypedQuery<Zone> query =
        em.createQuery(
                "SELECT z FROM Zone z WHERE z.id > :after"
                    + (own ? " AND z.site.accountId = :account" : "")
                    + (siteId == null ? "" : " AND z.site.id = :site")
                    + " ORDER BY z.id",
                Zone.class)
            .setParameter("after", after == null ? 0L : after)
            .setMaxResults(size + 1);
    if (own) {
      query.setParameter("account", caller.accountId());
    }
    if (siteId != null) {
      query.setParameter("site", siteId);
    }
    return Paging.of(
        query.getResultList().stream().map(ZoneDocument::of).toList(), size, ZoneDocument::id);
  }

  @GET
  @Path(PathIds.ID)
  public Response get(@PathParam("id") long id) {
    Caller caller = currentCaller.require(Role.PUBLISHER, Role.ADVERTISER, Role.ADMIN);
    Zone zone = em.find(Zone.class, id);
    if (zone == null || (caller.is(Role.PUBLISHER) && !caller.mayActFor(zone.site().accountId()))) {
      throw ProblemException.notFound("There is no zone " + id + ".");
    }
    return Response.ok(ZoneDocument.of(zone)).tag(Versions.entityTag(zone)).build();
  }

  @POST
  @Transactional
  public Response create(ZoneInput input, @Context UriInfo uri) {
    currentCaller.require(Role.PUBLISHER);
    Input.requireValid(input, "a zone");
    Site site = ownSite(input.siteId());
    Zone zone = new Zone(site, input.name(), input.width(), input.height(), input.allowedKinds());
    em.persist(zone);
    em.flush();
    return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(zone.id())).build())
        .tag(Versions.entityTag(zone))
        .entity(ZoneDocument.of(zone))
        .build();
  }

  @PUT
  @Path(PathIds.ID)
  @Transactional
  public Response update(
      @PathParam("id") long id, @HeaderParam("If-Match") String ifMatch, ZoneInput input) {
    Zone zone = changeable(id);
    Versions.requireCurrent(zone, ifMatch);
    Input.requireValid(input, "a zone");
    if (!input.siteId().equals(zone.site().id())) {
      throw new ProblemException(
          400, "Bad Request", "A zone stays on its site; siteId cannot change.");
    }
    zone.describe(input.name(), input.width(), input.height(), input.allowedKinds());
    em.flush();
    return Response.ok(ZoneDocument.of(zone)).tag(Versions.entityTag(zone)).build();
  }

  @DELETE
  @Path(PathIds.ID)
  @Transactional
  public Response delete(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch) {
    Zone zone = changeable(id);
    Versions.requireCurrent(zone, ifMatch);
    // The zone is the publisher's: campaigns linked to it stop running there.
    em.createNativeQuery("DELETE FROM campaign_zone WHERE zone_id = ?1")
        .setParameter(1, zone.id())
        .executeUpdate();
    em.remove(zone);
    em.flush();
    return Response.noContent().build();
  }

  private Site ownSite(long siteId) {
    try {
      return sites.visible(siteId);
    } catch (ProblemException notVisible) {
      throw new ProblemException(
          net.adgrid.platform.Problem.invalid(
              List.of(new FieldError("siteId", "is not a site of this account"))));
    }
  }

  private Zone changeable(long id) {
    Caller caller = currentCaller.require(Role.PUBLISHER, Role.ADMIN);
    Zone zone = em.find(Zone.class, id);
    if (zone == null || !caller.mayActFor(zone.site().accountId())) {
      throw ProblemException.notFound("There is no zone " + id + ".");
    }
    return zone;
  }
}
