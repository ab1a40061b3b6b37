package net.adgrid.serving.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import net.adgrid.serving.control.ServingSettings;

/**
 * Overload on the serving paths gets a fast 503 with Retry-After, never a pile-up.
 *
 * <ul>
 *   <li>A request that waited too long before the application saw it (httpd stamps {@code
 *       X-Request-Start: t=<microseconds>} when it receives it; the wait is mostly the node's
 *       request queue) is answered at once, without doing its work: by then the page that asked has
 *       usually moved on, and doing it would only make the queue behind it longer.
 *   <li>Decisions (and the tags that make one) run at most {@code ADGRID_DECIDE_CONCURRENCY} at a
 *       time per node, so that a flood of them (or a slow grid under them) leaves request threads
 *       for tracking, the pages and the API.
 * </ul>
 *
 * The balancer passes a 503 on as it is (it does not take the node out for it), and the client
 * tries again after {@code Retry-After}. Tracking URLs are only subject to the wait check: their
 * own bound is the event writer's queue.
 */
@WebFilter(
    urlPatterns = {
      "/api/v1/decide",
      "/api/v1/frame",
      ImageTagServlet.IMAGE,
      ImageTagServlet.REDIRECT,
      "/t/*"
    },
    asyncSupported = true)
public class LoadShedding extends HttpFilter {

  private static final Logger LOG = Logger.getLogger(LoadShedding.class.getName());
  static final String START_HEADER = "X-Request-Start";

  private static final ServingSettings SETTINGS = ServingSettings.fromEnvironment();
  private static final Semaphore DECISIONS = new Semaphore(SETTINGS.decideConcurrency());
  private static final AtomicLong SKEW_WARNED_AT = new AtomicLong();

  @jakarta.inject.Inject net.adgrid.cluster.control.NodeMetrics metrics;

  @Override
  protected void doFilter(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws IOException, ServletException {
    long waitedMillis = waitedMillis(request.getHeader(START_HEADER), System.currentTimeMillis());
    long limit = SETTINGS.shedAfter().toMillis();
    if (limit > 0 && waitedMillis > limit) {
      metrics.rejected("waited");
      refuse(response, "The server is busy (the request waited " + waitedMillis + " ms).");
      return;
    }
    if (waitedMillis < -limit && limit > 0) {
      warnSkew(waitedMillis);
    }
    boolean decision = !request.getServletPath().equals("/t");
    if (!decision) {
      chain.doFilter(request, response);
      return;
    }
    if (!DECISIONS.tryAcquire()) {
      metrics.rejected("busy");
      refuse(response, "The server is busy making other decisions.");
      return;
    }
    try {
      chain.doFilter(request, response);
    } finally {
      DECISIONS.release();
    }
  }

  /**
   * How long ago httpd received the request, from its {@code t=<microseconds since the epoch>}
   * stamp; 0 without a readable stamp.
   */
  static long waitedMillis(String stamp, long nowMillis) {
    if (stamp == null || !stamp.startsWith("t=") || stamp.length() > 20) {
      return 0;
    }
    try {
      return nowMillis - Long.parseLong(stamp.substring(2)) / 1000;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static void refuse(HttpServletResponse response, String detail) throws IOException {
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("Access-Control-Allow-Origin", "*");
    TrackingServlet.unavailable(response, 1, detail);
  }

  /** httpd's clock is ahead of this node's: the wait check cannot be trusted; say so hourly. */
  private static void warnSkew(long waitedMillis) {
    long now = System.currentTimeMillis();
    long last = SKEW_WARNED_AT.get();
    if (now - last > 3_600_000 && SKEW_WARNED_AT.compareAndSet(last, now)) {
      LOG.warning(
          "httpd's clock is "
              + -waitedMillis
              + " ms ahead of this node's: keep the clocks in step (NTP), or set"
              + " ADGRID_SHED_AFTER_MILLIS=0");
    }
  }
}
