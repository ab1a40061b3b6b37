package net.adgrid.campaigns.boundary;

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
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;
import net.adgrid.campaigns.control.CampaignInput;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignStatus;
import net.adgrid.platform.Problem;
import net.adgrid.platform.ProblemException;
import net.adgrid.platform.Versions;

/**
 * {@code /api/v1/campaigns}: an advertiser's campaigns (an admin sees every account's). Another
 * account's campaign does not exist for the caller (404). Updates and deletes need the {@code ETag}
 * of the version they were based on in {@code If-Match}: a change made meanwhile by someone else is
 * never overwritten silently (412).
 */
@Path("campaigns")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CampaignsResource {

  static final int MAX_PAGE = 200;

  @Inject CurrentCaller currentCaller;
  @PersistenceContext EntityManager em;

  /** A page of campaigns, oldest first; {@code next} is the {@code after} of the next page. */
  public record Page(List<CampaignDocument> items, Long next) {}

  @GET
  public Page list(
      @QueryParam("limit") Integer limit,
      @QueryParam("after") Long after,
      @QueryParam("status") CampaignStatus status) {
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.ADMIN);
    int size = limit == null ? 50 : limit;
    if (size < 1 || size > MAX_PAGE) {
      throw new ProblemException(
          Problem.invalid(
              List.of(new Problem.FieldError("limit", "must be from 1 to " + MAX_PAGE))));
    }
    String jpql =
        "SELECT c FROM Campaign c WHERE c.id > :after"
            + (caller.is(Role.ADMIN) ? "" : " AND c.accountId = :account")
            + (status == null ? "" : " AND c.status = :status")
            + " ORDER BY c.id";
    TypedQuery<Campaign> query =
        em.createQuery(jpql, Campaign.class)
            .setParameter("after", after == null ? 0L : after)
            .setMaxResults(size + 1);
    if (!caller.is(Role.ADMIN)) {
      query.setParameter("account", caller.accountId());
    }
    if (status != null) {
      query.setParameter("status", status);
    }
    List<Campaign> found = query.getResultList();
    boolean more = found.size() > size;
    List<CampaignDocument> items = found.stream().limit(size).map(CampaignDocument::of).toList();
    return new Page(items, more ? items.get(items.size() - 1).id() : null);
  }

  @GET
  @Path("{id}")
  public Response get(@PathParam("id") long id, @Context Request request) {
    Campaign campaign = visible(id);
    EntityTag tag = tag(campaign);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
    if (notModified != null) {
      return notModified.build();
    }
    return Response.ok(CampaignDocument.of(campaign)).tag(tag).build();
  }

  @POST
  @Transactional
  public Response create(CampaignInput input, @Context UriInfo uri) {
    Caller caller = currentCaller.require(Role.ADVERTISER);
    valid(input);
    if (input.status() != null && input.status() != CampaignStatus.DRAFT) {
      throw new ProblemException(
          Problem.invalid(List.of(new Problem.FieldError("status", "a new campaign is a DRAFT"))));
    }
    Campaign campaign = input.newCampaign(caller.accountId());
    em.persist(campaign);
    em.flush();
    return Response.created(
            uri.getAbsolutePathBuilder().path(String.valueOf(campaign.id())).build())
        .tag(tag(campaign))
        .entity(CampaignDocument.of(campaign))
        .build();
  }

  @PUT
  @Path("{id}")
  @Transactional
  public Response update(
      @PathParam("id") long id, @HeaderParam("If-Match") String ifMatch, CampaignInput input) {
    Campaign campaign = visible(id);
    requireCurrent(campaign, ifMatch);
    valid(input);
    if (!input.applyTo(campaign)) {
      throw new ProblemException(
          Problem.invalid(
              List.of(
                  new Problem.FieldError(
                      "status",
                      "a "
                          + campaign.status()
                          + " campaign can become "
                          + campaign.status().next()))));
    }
    em.flush();
    return Response.ok(CampaignDocument.of(campaign)).tag(tag(campaign)).build();
  }

  /** Only a draft can be deleted: a campaign that ran keeps its history (finish it instead). */
  @DELETE
  @Path("{id}")
  @Transactional
  public Response delete(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch) {
    Campaign campaign = visible(id);
    requireCurrent(campaign, ifMatch);
    if (campaign.status() != CampaignStatus.DRAFT) {
      throw new ProblemException(
          409, "Conflict", "Only a draft can be deleted; set the status to FINISHED instead.");
    }
    em.remove(campaign);
    return Response.noContent().build();
  }

  private Campaign visible(long id) {
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.ADMIN);
    Campaign campaign = em.find(Campaign.class, id);
    if (campaign == null || !caller.mayActFor(campaign.accountId())) {
      throw ProblemException.notFound("There is no campaign " + id + ".");
    }
    return campaign;
  }

  private static void valid(CampaignInput input) {
    if (input == null) {
      throw new ProblemException(400, "Bad Request", "The body must be a campaign in JSON.");
    }
    List<Problem.FieldError> problems = input.problems();
    if (!problems.isEmpty()) {
      throw new ProblemException(Problem.invalid(problems));
    }
  }

  static EntityTag tag(Campaign campaign) {
    return new EntityTag(Versions.tag(campaign.id(), campaign.version()));
  }

  private static void requireCurrent(Campaign campaign, String ifMatch) {
    Versions.requireCurrent(Versions.tag(campaign.id(), campaign.version()), ifMatch);
  }
}
