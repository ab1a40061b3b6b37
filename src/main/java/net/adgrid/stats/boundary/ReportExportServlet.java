package net.adgrid.stats.boundary;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.ZoneId;
import net.adgrid.accounts.control.Authentication;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.entity.Account;
import net.adgrid.stats.control.Reports;

/**
 * {@code /app/reports.csv}: the report page's report as CSV, for the signed-in caller, with the
 * page's parameters. Bad parameters get a 400 with the reason as plain text.
 */
@WebServlet("/app/reports.csv")
public class ReportExportServlet extends HttpServlet {

  @Inject Reports reports;

  @PersistenceContext EntityManager em;

  @Override
  protected void doGet(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    response.setHeader("Cache-Control", "no-store");
    if (!(request.getAttribute(Authentication.REQUEST_CALLER) instanceof Caller caller)) {
      response.sendError(401);
      return;
    }
    Account account = em.find(Account.class, caller.accountId());
    ZoneId accountZone = account == null ? ZoneId.of("UTC") : account.timeZone();
    Reports.Report report;
    try {
      Reports.Ask ask = Reports.Ask.fromParameters(request::getParameter, accountZone);
      report = reports.run(caller, ask);
    } catch (IllegalArgumentException e) {
      write(response, 400, "text/plain; charset=UTF-8", e.getMessage() + "\n");
      return;
    } catch (SQLException e) {
      write(response, 503, "text/plain; charset=UTF-8", "The database did not answer.\n");
      return;
    }
    response.setHeader(
        "Content-Disposition",
        "attachment; filename=\"adgrid-"
            + report.ask().by().param()
            + "-"
            + report.ask().from()
            + "-"
            + report.ask().to()
            + ".csv\"");
    write(response, 200, "text/csv; charset=UTF-8", ReportDocuments.csv(report, caller.role()));
  }

  private static void write(HttpServletResponse response, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    response.setStatus(status);
    response.setContentType(type);
    response.setContentLength(bytes.length);
    response.getOutputStream().write(bytes);
  }
}
