package net.adgrid.serving.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.platform.Problem;
import net.adgrid.platform.ProblemException;
import net.adgrid.platform.PublicAddress;
import net.adgrid.serving.control.DeliveryIndex;
import net.adgrid.serving.control.DeliveryIndex.Shown;
import net.adgrid.serving.control.EventTokens;
import net.adgrid.serving.control.EventTokens.Kind;
import net.adgrid.serving.control.Selection;
import net.adgrid.serving.control.ServingPolicy;
import net.adgrid.serving.control.SigningKeys;
import net.adgrid.serving.control.UserAgents;
import net.adgrid.serving.control.Visitors;

/**
 * {@code GET /api/v1/decide?zone=}: the ad a zone shows to this visitor now, from the node's
 * delivery index (no database, no session), with signed tracking URLs; 204 when nothing may serve.
 * Public: publishers' pages, servers and apps call it, from any origin.
 */
@Path("decide")
@RequestScoped
public class DecideResource {

  static final Duration IMPRESSION_TOKEN_LIFE = Duration.ofHours(1);
  static final Duration CLICK_TOKEN_LIFE = Duration.ofDays(1);
  static final int MAX_KEYWORDS = 20;

  @Inject DeliveryIndex index;
  @Inject SigningKeys keys;
  @Inject ServingPolicy policy;
  @Context HttpServletRequest request;

  /** The creative as a decision shows it: exactly one of html, text or image is set. */
  public record CreativeView(
      long id,
      CreativeKind kind,
      int width,
      int height,
      String headline,
      String body,
      String html,
      String imageUrl) {}

  public record Decision(
      String decisionId,
      long zoneId,
      CreativeView creative,
      String impressionUrl,
      String clickUrl,
      String viewableUrl) {}

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public Response decide(
      @QueryParam("zone") String zone,
      @QueryParam("kw") String keywords,
      @QueryParam("lang") String language,
      @QueryParam("ref") String referrer,
      @QueryParam("vid") String visitorId,
      @HeaderParam("User-Agent") String userAgent,
      @HeaderParam("Accept-Language") String acceptLanguage,
      @HeaderParam("Referer") String referer) {
    if (zone == null || !zone.matches("\\d{1,18}")) {
      throw new ProblemException(
          Problem.invalid(List.of(new Problem.FieldError("zone", "is required: a zone id"))));
    }
    if (visitorId != null && !Visitors.validId(visitorId)) {
      throw new ProblemException(
          Problem.invalid(
              List.of(
                  new Problem.FieldError(
                      "vid", "is 1 to 128 letters, digits or . _ : - (the publisher's own id)"))));
    }
    long zoneId = Long.parseLong(zone);
    DeliveryIndex.ZoneEntry entry =
        index
            .zone(zoneId)
            .orElseThrow(() -> ProblemException.notFound("There is no zone " + zoneId + "."));
    // Whole seconds: the decision's time is part of its tokens.
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    long visitor = Visitors.key(visitorId, TrackingServlet.ClientAddress.of(request), userAgent);
    Selection.Visit visit =
        new Selection.Visit(
            UserAgents.device(userAgent),
            UserAgents.browser(userAgent),
            language(language, acceptLanguage),
            domain(referrer != null ? referrer : referer),
            keywords(keywords));
    Optional<Selection.Candidate> chosen =
        Selection.choose(
            entry.candidates(),
            visit,
            now,
            c -> policy.mayServe(c, visitor, now),
            ThreadLocalRandom.current());
    if (chosen.isEmpty()) {
      return publicResponse(Response.noContent()).build();
    }
    Selection.Candidate candidate = chosen.get();
    policy.served(candidate, visitor, now);
    Shown shown = entry.creatives().get(candidate.creativeId());
    UUID eventId = UUID.randomUUID();
    EventTokens tokens = keys.tokens();
    String base = PublicAddress.of(request);
    String impression =
        sign(tokens, eventId, shown, zoneId, visitor, Kind.IMPRESSION, now, IMPRESSION_TOKEN_LIFE);
    String click = sign(tokens, eventId, shown, zoneId, visitor, Kind.CLICK, now, CLICK_TOKEN_LIFE);
    String viewable =
        sign(tokens, eventId, shown, zoneId, visitor, Kind.VIEWABLE, now, IMPRESSION_TOKEN_LIFE);
    CreativeView view =
        new CreativeView(
            shown.id(),
            shown.kind(),
            shown.width(),
            shown.height(),
            shown.headline(),
            shown.body(),
            shown.html(),
            shown.kind() == CreativeKind.IMAGE
                ? base + "/api/v1/creatives/" + shown.id() + "/image"
                : null);
    return publicResponse(
            Response.ok(
                new Decision(
                    eventId.toString(),
                    zoneId,
                    view,
                    base + "/t/i/" + impression,
                    base + "/t/c/" + click,
                    base + "/t/v/" + viewable)))
        .build();
  }

  private static String sign(
      EventTokens tokens,
      UUID eventId,
      Shown shown,
      long zoneId,
      long visitor,
      Kind kind,
      Instant decidedAt,
      Duration life) {
    return tokens.sign(
        new EventTokens.Claims(
            eventId, shown.id(), shown.campaignId(), zoneId, visitor, kind, decidedAt, life));
  }

  /** Never cached (each decision is one), readable by any publisher's page. */
  private static Response.ResponseBuilder publicResponse(Response.ResponseBuilder builder) {
    return builder.header("Cache-Control", "no-store").header("Access-Control-Allow-Origin", "*");
  }

  /** The first language the visitor asks for: {@code lang}, else Accept-Language's first tag. */
  static String language(String explicit, String acceptLanguage) {
    String value = explicit != null && !explicit.isBlank() ? explicit : acceptLanguage;
    if (value == null) {
      return null;
    }
    String first = value.split(",")[0].split(";")[0].trim().toLowerCase(Locale.ROOT);
    return first.matches("[a-z]{2,3}(-[a-z0-9]{2,8})*") ? first : null;
  }

  /** The host of a referring page: from a URL, or a bare domain. */
  static String domain(String referrer) {
    if (referrer == null || referrer.isBlank() || referrer.length() > 2048) {
      return null;
    }
    String value = referrer.trim();
    try {
      String host = value.contains("://") ? URI.create(value).getHost() : value.split("[/:?#]")[0];
      return host == null || host.isEmpty() ? null : host.toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  static Set<String> keywords(String keywords) {
    if (keywords == null || keywords.isBlank()) {
      return Set.of();
    }
    return Arrays.stream(keywords.split(","))
        .map(k -> k.trim().toLowerCase(Locale.ROOT))
        .filter(k -> !k.isEmpty() && k.length() <= 40)
        .limit(MAX_KEYWORDS)
        .collect(Collectors.toSet());
  }
}
