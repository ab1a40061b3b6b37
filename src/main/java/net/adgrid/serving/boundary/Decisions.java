package net.adgrid.serving.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.platform.ProblemException;
import net.adgrid.serving.boundary.DecideResource.CreativeView;
import net.adgrid.serving.boundary.DecideResource.Decision;
import net.adgrid.serving.control.DeliveryIndex;
import net.adgrid.serving.control.DeliveryIndex.Shown;
import net.adgrid.serving.control.EventTokens;
import net.adgrid.serving.control.EventTokens.Kind;
import net.adgrid.serving.control.Selection;
import net.adgrid.serving.control.ServingPolicy;
import net.adgrid.serving.control.SigningKeys;
import net.adgrid.serving.control.UserAgents;

/**
 * The one way a decision is made, for every invocation tag: the JSON decision, the iframe document
 * and the image tag. From the node's delivery index (no database, no session), with signed tracking
 * URLs.
 */
@ApplicationScoped
public class Decisions {

  static final Duration IMPRESSION_TOKEN_LIFE = Duration.ofHours(1);
  static final Duration CLICK_TOKEN_LIFE = Duration.ofDays(1);

  @Inject net.adgrid.cluster.control.NodeMetrics metrics;
  @Inject DeliveryIndex index;
  @Inject SigningKeys keys;
  @Inject ServingPolicy policy;

  /**
   * What a decision is asked with, already validated and parsed.
   *
   * @param visitor the visitor's key ({@code Visitors.key})
   * @param base the network's public address, for the URLs handed out
   */
  public record Ask(long zoneId, long visitor, Selection.Visit visit, String base) {}

  /**
   * The ad this visitor sees in the zone now, if any; a creative must also pass {@code fits} (the
   * image tag shows only images). {@code served} false makes a decision that counts nowhere, not
   * even towards a frequency cap (the image tag's fallback, which only needs a landing page).
   *
   * @throws ProblemException 404 when the zone does not exist
   */
  public Optional<Decision> decide(Ask ask, Predicate<Shown> fits, boolean served) {
    DeliveryIndex.ZoneEntry entry =
        index
            .zone(ask.zoneId())
            .orElseThrow(() -> ProblemException.notFound("There is no zone " + ask.zoneId() + "."));
    // Whole seconds: the decision's time is part of its tokens.
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    Optional<Selection.Candidate> chosen =
        Selection.choose(
            entry.candidates(),
            ask.visit(),
            now,
            c ->
                fits.test(entry.creatives().get(c.creativeId()))
                    && policy.mayServe(c, ask.visitor(), now),
            ThreadLocalRandom.current());
    metrics.decision(chosen.isPresent());
    if (chosen.isEmpty()) {
      return Optional.empty();
    }
    Selection.Candidate candidate = chosen.get();
    if (served) {
      policy.served(candidate, ask.visitor(), now);
    }
    Shown shown = entry.creatives().get(candidate.creativeId());
    UUID eventId = UUID.randomUUID();
    EventTokens tokens = keys.tokens();
    String impression =
        sign(tokens, eventId, shown, ask, Kind.IMPRESSION, now, IMPRESSION_TOKEN_LIFE);
    String click = sign(tokens, eventId, shown, ask, Kind.CLICK, now, CLICK_TOKEN_LIFE);
    String viewable = sign(tokens, eventId, shown, ask, Kind.VIEWABLE, now, IMPRESSION_TOKEN_LIFE);
    String base = ask.base();
    CreativeView view =
        new CreativeView(
            shown.id(),
            shown.kind(),
            shown.width(),
            shown.height(),
            shown.headline(),
            shown.body(),
            shown.html(),
            shown.kind() == CreativeKind.IMAGE ? imageUrl(base, shown.id()) : null);
    return Optional.of(
        new Decision(
            eventId.toString(),
            ask.zoneId(),
            view,
            base + "/t/i/" + impression,
            base + "/t/c/" + click,
            base + "/t/v/" + viewable));
  }

  /** Where an approved image creative's picture is served (public, cacheable). */
  static String imageUrl(String base, long creativeId) {
    return base + "/api/v1/creatives/" + creativeId + "/image";
  }

  private static String sign(
      EventTokens tokens,
      UUID eventId,
      Shown shown,
      Ask ask,
      Kind kind,
      Instant decidedAt,
      Duration life) {
    return tokens.sign(
        new EventTokens.Claims(
            eventId,
            shown.id(),
            shown.campaignId(),
            ask.zoneId(),
            ask.visitor(),
            kind,
            decidedAt,
            life));
  }

  /** A visit as the tags describe it: the visitor's device, browser, language, page, keywords. */
  static Selection.Visit visit(
      String userAgent, String language, String acceptLanguage, String referrer, String keywords) {
    return new Selection.Visit(
        UserAgents.device(userAgent),
        UserAgents.browser(userAgent),
        DecideResource.language(language, acceptLanguage),
        DecideResource.domain(referrer),
        DecideResource.keywords(keywords));
  }
}
