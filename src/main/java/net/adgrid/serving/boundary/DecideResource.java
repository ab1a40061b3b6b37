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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.platform.ClientAddress;
import net.adgrid.platform.Problem;
import net.adgrid.platform.ProblemException;
import net.adgrid.platform.PublicAddress;
import net.adgrid.serving.control.Visitors;

/**
 * {@code GET /api/v1/decide?zone=}: the ad a zone shows to this visitor now, from the node's
 * delivery index (no database, no session), with signed tracking URLs; 204 when nothing may serve.
 * Public: publishers' pages, servers and apps call it, from any origin.
 */
@Path("decide")
@RequestScoped
public class DecideResource {

  static final int MAX_KEYWORDS = 20;

  @Inject Decisions decisions;
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
    Decisions.Ask ask =
        new Decisions.Ask(
            zoneId,
            Visitors.key(visitorId, ClientAddress.of(request), userAgent),
            Decisions.visit(
                userAgent,
                language,
                acceptLanguage,
                referrer != null ? referrer : referer,
                keywords),
            PublicAddress.of(request));
    Optional<Decision> decision = decisions.decide(ask, shown -> true, true);
    return publicResponse(decision.isEmpty() ? Response.noContent() : Response.ok(decision.get()))
        .build();
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
