package net.adgrid.serving.boundary;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import net.adgrid.campaigns.entity.CreativeKind;
import net.adgrid.cluster.control.GridObjects;
import net.adgrid.platform.ClientAddress;
import net.adgrid.platform.Problem;
import net.adgrid.platform.ProblemException;
import net.adgrid.platform.PublicAddress;
import net.adgrid.serving.boundary.DecideResource.Decision;
import net.adgrid.serving.control.DeliveryIndex;
import net.adgrid.serving.control.EventTokens;
import net.adgrid.serving.control.EventTokens.Kind;
import net.adgrid.serving.control.EventWriter;
import net.adgrid.serving.control.SigningKeys;
import net.adgrid.serving.control.Visitors;

/**
 * The image tag, for places that run neither script nor frames (newsletters, some apps): {@code <a
 * href="/api/v1/redirect?zone=Z&n=R"><img src="/api/v1/image?zone=Z&n=R"></a>}, where R is a random
 * number the publisher writes into both addresses on every page view.
 *
 * <p>{@code image} makes the decision (image creatives only), records its impression like {@code
 * /t/i/} does (answered once committed), and redirects to the creative's picture, which browsers
 * and mail proxies may cache. The decision's signed click token is kept in the grid for an hour
 * under (zone, R, visitor), so that {@code redirect} on any node counts the click of the ad that
 * was seen, exactly like {@code /t/c/}. One impression per (zone, R, visitor): the same image asked
 * again shows the same ad without counting it again.
 *
 * <p>When the click comes from another visitor key (the address changed) or after the hour, the ad
 * that was seen is unknown: the visitor goes to the landing page of a fresh decision, and nothing
 * is counted (what other ad servers do with their cookie-less image tags, too).
 */
@WebServlet(
    urlPatterns = {ImageTagServlet.IMAGE, ImageTagServlet.REDIRECT},
    asyncSupported = true)
public class ImageTagServlet extends HttpServlet {

  private static final Logger LOG = Logger.getLogger(ImageTagServlet.class.getName());

  static final String IMAGE = "/api/v1/image";
  static final String REDIRECT = "/api/v1/redirect";
  static final String MAP = "adgrid.image-decisions";
  static final Duration REMEMBERED = Duration.ofHours(1);

  /** What it serves, as the OpenAPI document names it (checked by AuthorizationMatrixIT). */
  public static final List<String> ENDPOINTS = List.of("GET " + IMAGE, "GET " + REDIRECT);

  private static final Pattern ZONE = Pattern.compile("\\d{1,18}");
  private static final Pattern RANDOM = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  @Inject Decisions decisions;
  @Inject SigningKeys keys;
  @Inject EventWriter writer;
  @Inject DeliveryIndex index;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  private volatile IMap<String, String> remembered;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Access-Control-Allow-Origin", "*");
    String zone = request.getParameter("zone");
    String random = request.getParameter("n");
    if (zone == null || !ZONE.matcher(zone).matches()) {
      TrackingServlet.problem(response, 400, "Bad Request", "zone is required: a zone id.");
      return;
    }
    if (random == null || !RANDOM.matcher(random).matches()) {
      TrackingServlet.problem(
          response,
          400,
          "Bad Request",
          "n is required: 1 to 64 letters, digits or . _ - (a new random number per page view).");
      return;
    }
    String userAgent = request.getHeader("User-Agent");
    Decisions.Ask ask =
        new Decisions.Ask(
            Long.parseLong(zone),
            Visitors.key(null, ClientAddress.of(request), userAgent),
            Decisions.visit(
                userAgent,
                null,
                request.getHeader("Accept-Language"),
                request.getHeader("Referer"),
                null),
            PublicAddress.of(request));
    String key = ask.zoneId() + ":" + random + ":" + ask.visitor();
    try {
      if (IMAGE.equals(request.getServletPath())) {
        image(request, response, ask, key);
      } else {
        redirect(request, response, ask, key);
      }
    } catch (ProblemException e) {
      Problem problem = e.problem();
      TrackingServlet.problem(response, problem.status(), problem.title(), problem.detail());
    }
  }

  private void image(
      HttpServletRequest request, HttpServletResponse response, Decisions.Ask ask, String key)
      throws IOException {
    Optional<EventTokens.Claims> seen = seen(key);
    if (seen.isPresent()) {
      response.sendRedirect(Decisions.imageUrl(ask.base(), seen.get().creativeId()));
      return;
    }
    Optional<Decision> decision = decisions.decide(ask, ImageTagServlet::picture, true);
    if (decision.isEmpty()) {
      TrackingServlet.pixel(response);
      return;
    }
    String click = decision.get().clickUrl();
    String clickToken = click.substring(click.lastIndexOf('/') + 1);
    String earlier;
    try {
      earlier = map().putIfAbsent(key, clickToken, REMEMBERED.toSeconds(), TimeUnit.SECONDS);
    } catch (RuntimeException e) {
      // Without the grid the click could not find this impression: nothing is counted.
      LOG.log(Level.FINE, "image tag: grid unavailable", e);
      TrackingServlet.unavailable(response, 2, "The ad could not be recorded; try again.");
      return;
    }
    if (earlier != null) {
      // The same image asked twice at once: the first decision stands, counted once.
      Optional<EventTokens.Claims> first = claims(earlier);
      if (first.isPresent()) {
        response.sendRedirect(Decisions.imageUrl(ask.base(), first.get().creativeId()));
        return;
      }
    }
    String impression = decision.get().impressionUrl();
    Instant now = Instant.now();
    EventTokens.Checked checked =
        keys.verify(impression.substring(impression.lastIndexOf('/') + 1), now);
    String picture = decision.get().creative().imageUrl();
    TrackingServlet.record(
        request, response, writer, checked.claims(), now, (r, outcome) -> r.sendRedirect(picture));
  }

  private void redirect(
      HttpServletRequest request, HttpServletResponse response, Decisions.Ask ask, String key)
      throws IOException {
    Instant now = Instant.now();
    Optional<String> token = remembered(key);
    if (token.isPresent()) {
      EventTokens.Checked checked = keys.verify(token.get(), now);
      Optional<String> landing =
          checked.claims() == null
              ? Optional.empty()
              : index.landing(checked.claims().creativeId());
      if (landing.isPresent()) {
        String target = landing.get();
        if (checked.valid() && checked.claims().kind() == Kind.CLICK) {
          TrackingServlet.record(
              request, response, writer, checked.claims(), now, (r, o) -> r.sendRedirect(target));
        } else {
          response.sendRedirect(target);
        }
        return;
      }
    }
    // Not known here: the landing page of what this zone would show, counting nothing.
    Optional<String> landing =
        decisions
            .decide(ask, ImageTagServlet::picture, false)
            .flatMap(d -> index.landing(d.creative().id()));
    if (landing.isEmpty()) {
      TrackingServlet.problem(
          response, 404, "Not Found", "The ad of this link is no longer available.");
      return;
    }
    response.sendRedirect(landing.get());
  }

  /** The click token remembered for this image, if any (and the grid can be read). */
  private Optional<String> remembered(String key) {
    try {
      return Optional.ofNullable(map().get(key));
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "image tag: grid unavailable", e);
      return Optional.empty();
    }
  }

  /** The decision remembered for this image, if any. */
  private Optional<EventTokens.Claims> seen(String key) {
    return remembered(key).flatMap(this::claims);
  }

  /** A remembered click token's claims, expired or not, if it is one of ours. */
  private Optional<EventTokens.Claims> claims(String token) {
    EventTokens.Checked checked = keys.verify(token, Instant.now());
    return Optional.ofNullable(checked.claims()).filter(c -> c.kind() == Kind.CLICK);
  }

  private static boolean picture(DeliveryIndex.Shown shown) {
    return shown != null && shown.kind() == CreativeKind.IMAGE;
  }

  private IMap<String, String> map() {
    IMap<String, String> map = remembered;
    if (map == null) {
      map = GridObjects.outsideApplication(() -> grid.<String, String>getMap(MAP));
      remembered = map;
    }
    return map;
  }
}
