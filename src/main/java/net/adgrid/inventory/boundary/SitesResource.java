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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;
import net.adgrid.inventory.entity.Site;
import net.adgrid.platform.Input;
import net.adgrid.platform.Paging;
import net.adgrid.platform.PathIds;
import net.adgrid.platform.Problem.FieldError;
import net.adgrid.platform.ProblemException;
import net.adgrid.platform.Versions;

/** {@code /api/v1/sites}: a publisher's sites (an admin sees every account's). */
@Path("sites")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class SitesResource {

  static final Pattern DOMAIN =
      Pattern.compile("(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

  @Inject CurrentCaller currentCaller;
  @PersistenceContext EntityManager em;

  /** A site as clients send it. */
  public record SiteInput(String name, String domain) implements Input {
    @Override
    public List<FieldError> problems() {
      List<FieldError> errors = new ArrayList<>();
      if (name == null || name.isBlank() || name.length() > 120) {
        errors.add(new FieldError("name", "is required, at most 120 characters"));
      }
      if (domain == null
          || !DOMAIN.matcher(domain.trim().toLowerCase(java.util.Locale.ROOT)).matches()) {
        errors.add(new FieldError("domain", "must be a host name such as news.example.com"));
      }
      return errors;
    }
  }

  /** A site as the API returns it. */
  public record SiteDocument(
      long id, long accountId, String name, String domain, Instant createdAt, long version) {
    static SiteDocument of(Site site) {
      return new SiteDocument(
          site.id(),
          site.accountId(),
          site.name(),
          site.domain(),
          site.createdAt(),
          site.version());
    }
  }

  @GET
  public Paging.Page<SiteDocument> list(
      @QueryParam("limit") Integer limit, @QueryParam("after") Long after) {
    Caller caller = currentCaller.require(Role.PUBLISHER, Role.ADMIN);
    int size = Paging.size(limit);
    TypedQuery<Site> query =
        em.createQuery(
                "SELECT s FROM Site s WHERE s.id > :after"
                    + (caller.is(Role.ADMIN) ? "" : " AND s.accountId = :account")
                    + " ORDER BY s.id",
                Site.class)
            .setParameter("after", after == null ? 0L : after)
            .setMaxResults(size + 1);
    if (!caller.is(Role.ADMIN)) {
      query.setParameter("account", caller.accountId());
    }
    return Paging.of(
        query.getResultList().stream().map(SiteDocument::of).toList(), size, SiteDocument::id);
  }

  @GET
  @Path(PathIds.ID)
  public Response get(@PathParam("id") long id) {
    Site site = visible(id);
    return Response.ok(SiteDocument.of(site)).tag(Versions.entityTag(site)).build();
  }

  @POST
  @Transactional
  public Response create(SiteInput input, @Context UriInfo uri) {
    Caller caller = currentCaller.require(Role.PUBLISHER);
    Input.requireValid(input, "a site");
    Site site = new Site(caller.accountId(), input.name(), input.domain());
    em.persist(site);
    em.flush();
    return Response.created(uri.getAbsolutePathBuilder().path(String.valueOf(site.id())).build())
        .tag(Versions.entityTag(site))
        .entity(SiteDocument.of(site))
        .build();
  }

  @PUT
  @Path(PathIds.ID)
  @Transactional
  public Response update(
      @PathParam("id") long id, @HeaderParam("If-Match") String ifMatch, SiteInput input) {
    Site site = visible(id);
    Versions.requireCurrent(site, ifMatch);
    Input.requireValid(input, "a site");
    site.rename(input.name(), input.domain());
    em.flush();
    return Response.ok(SiteDocument.of(site)).tag(Versions.entityTag(site)).build();
  }

  @DELETE
  @Path(PathIds.ID)
  @Transactional
  public Response delete(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch) {
    Site site = visible(id);
    Versions.requireCurrent(site, ifMatch);
    long zones =
        em.createQuery("SELECT COUNT(z) FROM Zone z WHERE z.site = :site", Long.class)
            .setParameter("site", site)
            .getSingleResult();
    if (zones > 0) {
      throw new ProblemException(409, "Conflict", "The site still has zones; delete them first.");
    }
    em.remove(site);
    em.flush();
    return Response.noContent().build();
  }

  /** The site, if the caller may see it; 404 otherwise, whether it exists or not. */
  Site visible(long id) {
    Caller caller = currentCaller.require(Role.PUBLISHER, Role.ADMIN);
    Site site = em.find(Site.class, id);
    if (site == null || !caller.mayActFor(site.accountId())) {
      throw ProblemException.notFound("There is no site " + id + ".");
    }
    return site;
  }
}
