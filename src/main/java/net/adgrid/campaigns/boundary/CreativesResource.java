package net.adgrid.campaigns.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
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
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.time.Instant;
import java.util.List;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;
import net.adgrid.campaigns.control.CreativeInput;
import net.adgrid.campaigns.entity.Campaign;
import net.adgrid.campaigns.entity.Creative;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.campaigns.entity.Review;
import net.adgrid.platform.Input;
import net.adgrid.platform.Paging;
import net.adgrid.platform.PathIds;
import net.adgrid.platform.Problem;
import net.adgrid.platform.Problem.FieldError;
import net.adgrid.platform.ProblemException;
import net.adgrid.platform.Versions;

/**
 * Creatives: {@code /api/v1/creatives/{id}} to read, change and delete one, its image at {@code
 * .../image}, and an admin's review at {@code .../review}; a campaign's creatives are listed and
 * added under {@code /api/v1/campaigns/{id}/creatives}. A changed creative goes back to review.
 */
@Path("creatives")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class CreativesResource {

  @Inject CurrentCaller currentCaller;
  @Inject CampaignsResource campaigns;
  @PersistenceContext EntityManager em;

  /** A creative as the API returns it; an image is linked, not inlined. */
  public record CreativeDocument(
      long id,
      long campaignId,
      String name,
      CreativeKind kind,
      int width,
      int height,
      String landingUrl,
      String headline,
      String body,
      String html,
      String imageUrl,
      Review review,
      Instant createdAt,
      long version) {
    static CreativeDocument of(Creative c) {
      return new CreativeDocument(
          c.id(),
          c.campaign().id(),
          c.name(),
          c.kind(),
          c.width(),
          c.height(),
          c.landingUrl(),
          c.headline(),
          c.body(),
          c.html(),
          c.kind() == CreativeKind.IMAGE ? "/api/v1/creatives/" + c.id() + "/image" : null,
          c.review(),
          c.createdAt(),
          c.version());
    }
  }

  /** An admin's decision. */
  public record ReviewInput(Review decision) {}

  /** A campaign's creatives (served by {@link CampaignsResource}). */
  Paging.Page<CreativeDocument> list(long campaignId, Integer limit, Long after) {
    Campaign campaign = campaigns.visible(campaignId);
    int size = Paging.size(limit);
    List<CreativeDocument> found =
        em
            .createQuery(
                "SELECT c FROM Creative c WHERE c.campaign = :campaign AND c.id > :after ORDER BY c.id",
                Creative.class)
            .setParameter("campaign", campaign)
            .setParameter("after", after == null ? 0L : after)
            .setMaxResults(size + 1)
            .getResultList()
            .stream()
            .map(CreativeDocument::of)
            .toList();
    return Paging.of(found, size, CreativeDocument::id);
  }

  /** Adds a creative to a campaign (served by {@link CampaignsResource}). */
  @Transactional
  Response create(long campaignId, CreativeInput input, UriInfo uri) {
    currentCaller.require(Role.ADVERTISER);
    Campaign campaign = campaigns.visible(campaignId);
    Input.requireValid(input, "a creative");
    Creative creative = new Creative(campaign);
    input.applyTo(creative);
    em.persist(creative);
    em.flush();
    return Response.created(
            uri.getBaseUriBuilder().path("creatives").path(String.valueOf(creative.id())).build())
        .tag(Versions.entityTag(creative))
        .entity(CreativeDocument.of(creative))
        .build();
  }

  @GET
  @Path(PathIds.ID)
  public Response get(@PathParam("id") long id) {
    Creative creative = visible(id);
    return Response.ok(CreativeDocument.of(creative)).tag(Versions.entityTag(creative)).build();
  }

  @PUT
  @Path(PathIds.ID)
  @Transactional
  public Response update(
      @PathParam("id") long id, @HeaderParam("If-Match") String ifMatch, CreativeInput input) {
    Creative creative = visible(id);
    Versions.requireCurrent(creative, ifMatch);
    Input.requireValid(input, "a creative");
    input.applyTo(creative);
    em.flush();
    return Response.ok(CreativeDocument.of(creative)).tag(Versions.entityTag(creative)).build();
  }

  @DELETE
  @Path(PathIds.ID)
  @Transactional
  public Response delete(@PathParam("id") long id, @HeaderParam("If-Match") String ifMatch) {
    Creative creative = visible(id);
    Versions.requireCurrent(creative, ifMatch);
    em.remove(creative);
    em.flush();
    return Response.noContent().build();
  }

  @POST
  @Path(PathIds.ID + "/review")
  @Transactional
  public Response review(
      @PathParam("id") long id, @HeaderParam("If-Match") String ifMatch, ReviewInput input) {
    currentCaller.require(Role.ADMIN);
    Creative creative = visible(id);
    // The decision is on the version the admin looked at, not on one changed since.
    Versions.requireCurrent(creative, ifMatch);
    if (input == null || input.decision() == null || input.decision() == Review.PENDING) {
      throw new ProblemException(
          Problem.invalid(List.of(new FieldError("decision", "APPROVED or REJECTED"))));
    }
    creative.review(input.decision());
    em.flush();
    return Response.ok(CreativeDocument.of(creative)).tag(Versions.entityTag(creative)).build();
  }

  /**
   * The image of a creative. Public once approved (ad tags load it in visitors' browsers). Cached
   * for five minutes, then revalidated by its ETag, so a rejection takes effect soon.
   */
  @GET
  @Path(PathIds.ID + "/image")
  @Produces({"image/png", "image/jpeg", "image/gif"})
  public Response image(@PathParam("id") long id, @Context Request request) {
    Creative creative = em.find(Creative.class, id);
    boolean mayPreview =
        creative != null
            && currentCaller
                .get()
                .map(c -> c.mayActFor(creative.campaign().accountId()))
                .orElse(false);
    if (creative == null
        || creative.kind() != CreativeKind.IMAGE
        || (creative.review() != Review.APPROVED && !mayPreview)) {
      throw ProblemException.notFound("There is no image " + id + ".");
    }
    EntityTag tag = Versions.entityTag(creative);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
    CacheControl cache = new CacheControl();
    cache.setMaxAge(300);
    cache.setPrivate(creative.review() != Review.APPROVED);
    if (notModified != null) {
      return notModified.cacheControl(cache).build();
    }
    return Response.ok(creative.image(), creative.imageType()).tag(tag).cacheControl(cache).build();
  }

  private Creative visible(long id) {
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.ADMIN);
    Creative creative = em.find(Creative.class, id);
    if (creative == null || !caller.mayActFor(creative.campaign().accountId())) {
      throw ProblemException.notFound("There is no creative " + id + ".");
    }
    return creative;
  }
}
