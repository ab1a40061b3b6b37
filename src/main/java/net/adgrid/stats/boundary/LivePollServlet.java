package net.adgrid.stats.boundary;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.adgrid.accounts.control.Authentication;
import net.adgrid.accounts.control.Caller;

/**
 * {@code /app/live.json}: the dashboard's poll, every 2 seconds from each open dashboard, so it is
 * made to cost next to nothing: the figures come from memory ({@link LiveDocuments}), the signed-in
 * check from a recent one ({@link Authentication#POLL}), nothing is written to the session, and
 * unchanged figures answer 304 to their ETag without a body.
 */
@WebServlet(Authentication.POLL)
public class LivePollServlet extends HttpServlet {

  @Inject LiveDocuments documents;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "private, no-cache");
    if (!(request.getAttribute(Authentication.REQUEST_CALLER) instanceof Caller caller)) {
      response.sendError(401);
      return;
    }
    LiveDocuments.Document document = documents.of(caller);
    response.setHeader("ETag", document.tag());
    String sent = request.getHeader("If-None-Match");
    if (sent != null && (sent.equals(document.tag()) || sent.equals("W/" + document.tag()))) {
      response.setStatus(304);
      return;
    }
    byte[] body = document.body().get().toString().getBytes(StandardCharsets.UTF_8);
    response.setContentType("application/json");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
