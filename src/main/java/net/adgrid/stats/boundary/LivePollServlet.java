package net.adgrid.stats.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import net.adgrid.accounts.control.Authentication;
import net.adgrid.accounts.control.Caller;
import net.adgrid.stats.control.LivePasses;

/**
 * The dashboard's poll, every 2 seconds from each open dashboard, so it is made to cost next to
 * nothing: authorized by the pass in {@code X-Live-Pass} (no session is read or written, no
 * database asked), the figures from memory ({@link LiveDocuments}), and unchanged figures answered
 * 304 to their ETag without a body. Without a valid pass: 401, and the page gets a new pass.
 */
@WebServlet(Authentication.LIVE_POLL)
public class LivePollServlet extends HttpServlet {

  static final String PASS_HEADER = "X-Live-Pass";

  /** Made on first use: a node without the cluster's secret fails here, not at deployment. */
  private static final class Passes {
    static final LivePasses PASSES = LivePasses.fromEnvironment();
  }

  @Inject LiveDocuments documents;

  /** For the page (through the signed-in {@code /app/live-pass}). */
  static String issue(Caller caller) {
    return Passes.PASSES.issue(caller, Instant.now());
  }

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "private, no-cache");
    Optional<Caller> caller = Passes.PASSES.check(request.getHeader(PASS_HEADER), Instant.now());
    if (caller.isEmpty()) {
      net.adgrid.serving.boundary.TrackingServlet.problem(
          response, 401, "Unauthorized", "The dashboard's pass is missing, wrong or expired.");
      return;
    }
    LiveDocuments.Document document = documents.of(caller.get());
    response.setHeader("ETag", document.tag());
    String sent = request.getHeader("If-None-Match");
    if (sent != null && (sent.equals(document.tag()) || sent.equals("W/" + document.tag()))) {
      response.setStatus(304);
      return;
    }
    byte[] body = document.body().get();
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
