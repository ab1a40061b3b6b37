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
import net.adgrid.campaigns.control.CampaignZones;
import net.adgrid.campaigns.control.CreativeInput;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.CampaignStatus;
import net.adgrid.platform.Input;
import net.adgrid.platform.Paging;
import net.adgrid.platform.PathIds;
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

  @Inject CurrentCaller currentCaller;
  @Inject CreativesResource creatives;
  @Inject CampaignZones zones;
  @PersistenceContext EntityManager em;

  @GET
  public Paging.Page<CampaignDocument> list(
      @QueryParam("limit") Integer limit,
      @QueryParam("after") Long after,
      @QueryParam("status") CampaignStatus status) {
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.ADMIN);
    int size = Paging.size(limit);
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
    List<CampaignDocument> found =
        query.getResultList().stream().map(CampaignDocument::of).toList();
    return Paging.of(found, size, CampaignDocument::id);
  }

  @GET
  @Path(PathIds.ID)
  public Response get(@PathParam("id") long id, @Context Request request) {
    Campaign campaign = visible(id);
    EntityTag tag = Versions.entityTag(campaign);
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
    Input.requireValid(input, "a campaign");
    if (input.status() != null && input.status() != CampaignStatus.DRAFT) {
      throw new ProblemException(
          Problem.invalid(List.of(new Problem.FieldError("status", "a new campaign is a DRAFT"))));
    }
    Campaign campaign = input.newCampaign(caller.accountId());
    em.persist(campaign);
    em.flush();
    return Response.created(
            uri.getAbsolutePathBuilder().path(String.valueOf(campaign.id())).build())
        .tag(Versions.entityTag(campaign))
        .entity(CampaignDocument.of(campaign))
        .build();
  }

  @PUT
  @Path(PathIds.ID)
  @Transactional
  public Response update(
      @PathParam("id") long id, @HeaderParam("If-Match") String ifMatch, CampaignInput input) {
    Campaign campaign = visible(id);
    Versions.requireCurrent(campaign, ifMatch);
    Input.requireValid(input, "a campaign");
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
    return Response.ok(CampaignDocument.of(campaign)).tag(Versions.entityTag(campaign)).build();
  }

  @GET
  @Path(PathIds.ID + "/creatives")
  public Paging.Page<CreativesResource.CreativeDocument> creatives(
      @PathParam("id") long id,
      @QueryParam("limit") Integer limit,
      @QueryParam("after") Long after) {
    return creatives.list(id, limit, after);
  }

  @POST
  @Path(PathIds.ID + "/creatives")
  public Response addCreative(@PathParam("id") long id, CreativeInput input, @Context UriInfo uri) {
    return creatives.create(id, input, uri);
  }

  /** The zones a campaign runs in. */
  @GET
  @Path(PathIds.ID + "/zones")
  public List<Long> zones(@PathParam("id") long id) {
    return zones.ids(visible(id));
  }

  /** Runs the campaign in a zone of the network (idempotent). */
  @PUT
  @Path(PathIds.ID + "/zones/" + PathIds.ZONE_ID)
  @Transactional
  public Response link(@PathParam("id") long id, @PathParam("zoneId") long zoneId) {
    zones.link(visible(id), zoneId);
    return Response.noContent().build();
  }

  /** Stops running the campaign in a zone (idempotent). */
  @DELETE
  @Path(PathIds.ID + "/zones/" + PathIds.ZONE_ID)
  @Transactional
  public Response unlink(@PathParam("id") long id, @PathParam("zoneId") long zoneId) {
    zones.unlink(visible(id), zoneId);
    return Response.noContent().build();
  }

  /** Only a draft can be deleted: a campaign that ran keeps its history (finish it instead). */
  @DELETE
  @Path(PathIds.ID)
  @Transactional
  public Response delete(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch) {
    Campaign campaign = visible(id);
    Versions.requireCurrent(campaign, ifMatch);
    if (campaign.status() != CampaignStatus.DRAFT) {
      throw new ProblemException(
          409, "Conflict", "Only a draft can be deleted; set the status to FINISHED instead.");
    }
    // A draft never served: its creatives and zone links go with it.
    em.createNativeQuery("DELETE FROM campaign_zone WHERE campaign_id = ?1")
        .setParameter(1, campaign.id())
        .executeUpdate();
    em.createQuery("DELETE FROM Creative c WHERE c.campaign = :campaign")
        .setParameter("campaign", campaign)
        .executeUpdate();
    em.remove(campaign);
    em.flush();
    return Response.noContent().build();
  }

  /** The campaign, if the caller may see it; 404 otherwise, whether it exists or not. */
  Campaign visible(long id) {
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.ADMIN);
    Campaign campaign = em.find(Campaign.class, id);
    if (campaign == null || !caller.mayActFor(campaign.accountId())) {
      throw ProblemException.notFound("There is no campaign " + id + ".");
    }
    return campaign;
  }
}
