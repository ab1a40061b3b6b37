package net.adgrid.stats.boundary;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import net.adgrid.accounts.control.Authentication;
import net.adgrid.accounts.control.Caller;

/**
 * {@code /app/live-pass}: a pass for the dashboard's poll, for the signed-in caller (checked like
 * every page request: the account and user may still be used). The page asks for one when it opens
 * and every minute; each keeps the session alive while a dashboard is open.
 */
@WebServlet("/app/live-pass")
public class LivePassServlet extends HttpServlet {

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    if (!(request.getAttribute(Authentication.REQUEST_CALLER) instanceof Caller caller)) {
      response.sendError(401);
      return;
    }
    byte[] pass = LivePollServlet.issue(caller).getBytes(StandardCharsets.US_ASCII);
    response.setContentType("text/plain");
    response.setContentLength(pass.length);
    response.getOutputStream().write(pass);
  }
}
