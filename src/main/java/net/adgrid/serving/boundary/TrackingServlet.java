package net.adgrid.serving.boundary;

import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.adgrid.platform.ClientAddress;
import net.adgrid.platform.Problem;
import net.adgrid.serving.control.DeliveryIndex;
import net.adgrid.serving.control.EventTokens;
import net.adgrid.serving.control.EventTokens.Checked;
import net.adgrid.serving.control.EventTokens.Kind;
import net.adgrid.serving.control.EventWriter;
import net.adgrid.serving.control.EventWriter.Overloaded;
import net.adgrid.serving.control.SigningKeys;

/**
 * The tracking URLs a decision hands out: {@code /t/i/{token}} (impression: a 1×1 transparent GIF),
 * {@code /t/v/{token}} (viewable impression: 204) and {@code /t/c/{token}} (click: 302 to the
 * landing page). The token's signature and expiry are checked before anything else; then the event
 * goes to the node's writer and the answer waits, without holding a request thread, until the batch
 * holding the event is committed. An answer in the 2xx/3xx range means the event is stored; when it
 * cannot be (database down, queue full) the answer is a 503 with Retry-After. Invalid traffic gets
 * the same answer as valid traffic (it is stored with its reason), so that the rules cannot be
 * probed. No session is ever created here.
 */
@WebServlet(urlPatterns = "/t/*", asyncSupported = true)
public class TrackingServlet extends HttpServlet {

  private static final Logger LOG = Logger.getLogger(TrackingServlet.class.getName());
  static final long WAIT_MILLIS = 10_000;

  /** What it serves, as the OpenAPI document names it (checked by AuthorizationMatrixIT). */
  public static final java.util.List<String> ENDPOINTS =
      java.util.List.of(
          "GET /t/i/{token}",
          "GET /t/v/{token}",
          "POST /t/v/{token}",
          "GET /t/c/{token}",
          "GET /t/ping");

  private static final byte[] PIXEL =
      Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

  @Inject SigningKeys keys;
  @Inject EventWriter writer;
  @Inject DeliveryIndex index;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    track(request, response);
  }

  /** Viewable events may come as a beacon (POST without a body). */
  @Override
  protected void doPost(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    track(request, response);
  }

  private void track(HttpServletRequest request, HttpServletResponse response) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Access-Control-Allow-Origin", "*");
    String path = request.getPathInfo();
    if ("/ping".equals(path)) {
      // The tracking path's ceiling for scripts/adgrid bench: the same servlet, nothing counted.
      response.setStatus(204);
      return;
    }
    Kind expected =
        path == null || path.length() < 4 || path.charAt(2) != '/' ? null : kind(path.charAt(1));
    if (expected == null) {
      problem(response, 404, "Not Found", "There is no tracking resource at this address.");
      return;
    }
    Instant now = Instant.now();
    Checked checked = keys.verify(path.substring(3), now);
    if (checked.verdict() == EventTokens.Verdict.EXPIRED
        && checked.claims().kind() == expected
        && expected == Kind.CLICK) {
      // A genuine but old link: the visitor still reaches the advertiser; nothing is counted.
      Optional<String> landing = index.landing(checked.claims().creativeId());
      if (landing.isPresent()) {
        response.sendRedirect(landing.get());
        return;
      }
    }
    if (!checked.valid() || checked.claims().kind() != expected) {
      problem(
          response,
          checked.verdict() == EventTokens.Verdict.EXPIRED ? 410 : 400,
          checked.verdict() == EventTokens.Verdict.EXPIRED ? "Gone" : "Bad Request",
          checked.verdict() == EventTokens.Verdict.EXPIRED
              ? "This tracking link has expired; nothing was counted."
              : "This is not a valid tracking link; nothing was counted.");
      return;
    }
    EventTokens.Claims claims = checked.claims();
    Optional<String> landing = Optional.empty();
    if (expected == Kind.CLICK) {
      landing = index.landing(claims.creativeId());
      if (landing.isEmpty()) {
        problem(response, 404, "Not Found", "The ad of this link no longer exists.");
        return;
      }
    }
    String target = landing.orElse(null);
    record(request, response, writer, claims, now, (r, outcome) -> answer(r, expected, target));
  }

  /** How a stored event is answered (the event is committed when this runs). */
  interface Answer {
    void write(HttpServletResponse response, EventWriter.Outcome outcome) throws IOException;
  }

  /**
   * Hands a verified event to the node's writer and answers once its batch is committed, without
   * holding the request thread; a 503 with Retry-After when it cannot be stored in time.
   */
  static void record(
      HttpServletRequest request,
      HttpServletResponse response,
      EventWriter writer,
      EventTokens.Claims claims,
      Instant now,
      Answer stored) {
    String address = ClientAddress.of(request);
    String screened =
        writer.rules().screen(request.getHeader("User-Agent"), ClientAddress.bytes(address));
    AsyncContext async = request.startAsync();
    net.adgrid.platform.Draining.answeredLater(request, async);
    async.setTimeout(WAIT_MILLIS + 5_000);
    AtomicBoolean answered = new AtomicBoolean();
    async.addListener(
        new AsyncListener() {
          @Override
          public void onTimeout(AsyncEvent event) throws IOException {
            if (answered.compareAndSet(false, true)) {
              unavailable(response, 5, "The event could not be recorded in time.");
              async.complete();
            }
          }

          @Override
          public void onComplete(AsyncEvent event) {}

          @Override
          public void onError(AsyncEvent event) {}

          @Override
          public void onStartAsync(AsyncEvent event) {}
        });
    writer
        .submit(new EventWriter.Tracked(claims, now, address, screened))
        .orTimeout(WAIT_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)
        .whenComplete(
            (outcome, error) -> {
              if (!answered.compareAndSet(false, true)) {
                return;
              }
              try {
                if (error == null) {
                  stored.write(response, outcome);
                } else {
                  Throwable cause = error instanceof CompletionException ? error.getCause() : error;
                  if (!(cause instanceof Overloaded)) {
                    LOG.log(Level.FINE, "event not recorded", cause);
                  }
                  unavailable(
                      response,
                      cause instanceof Overloaded ? 1 : 2,
                      "The event could not be recorded; try again.");
                }
              } catch (IOException | RuntimeException e) {
                LOG.log(Level.FINE, "could not answer a tracking request", e);
              } finally {
                async.complete();
              }
            });
  }

  private static void answer(HttpServletResponse response, Kind kind, String landing)
      throws IOException {
    switch (kind) {
      case IMPRESSION -> pixel(response);
      case VIEWABLE -> response.setStatus(204);
      case CLICK -> {
        response.setStatus(302);
        response.setHeader("Location", landing);
      }
    }
  }

  /** A 1×1 transparent GIF. */
  static void pixel(HttpServletResponse response) throws IOException {
    response.setStatus(200);
    response.setContentType("image/gif");
    response.setContentLength(PIXEL.length);
    response.getOutputStream().write(PIXEL);
  }

  private static Kind kind(char letter) {
    return switch (letter) {
      case 'i' -> Kind.IMPRESSION;
      case 'c' -> Kind.CLICK;
      case 'v' -> Kind.VIEWABLE;
      default -> null;
    };
  }

  static void unavailable(HttpServletResponse response, int retryAfter, String detail)
      throws IOException {
    response.setHeader("Retry-After", String.valueOf(retryAfter));
    problem(response, 503, "Service Unavailable", detail);
  }

  public static void problem(HttpServletResponse response, int status, String title, String detail)
      throws IOException {
    byte[] body =
        Json.createObjectBuilder()
            .add("type", "about:blank")
            .add("title", title)
            .add("status", status)
            .add("detail", detail)
            .build()
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType(Problem.MEDIA_TYPE);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
