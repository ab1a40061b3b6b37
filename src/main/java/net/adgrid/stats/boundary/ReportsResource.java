package net.adgrid.stats.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.sql.SQLException;
import java.time.ZoneId;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.platform.ProblemException;
import net.adgrid.stats.control.Reports;

/**
 * {@code GET /api/v1/reports/{by}}: the caller's figures from the hourly rollups by hour, day,
 * campaign, creative, zone or site, over a date range in a time zone; JSON, or CSV for {@code
 * Accept: text/csv} or {@code format=csv}. The same data as the report pages.
 */
@Path("reports")
@RequestScoped
public class ReportsResource {

  static final String CSV = "text/csv";

  @Inject CurrentCaller currentCaller;
  @Inject Reports reports;

  @PersistenceContext EntityManager em;

  @GET
  @Path("{by}")
  @Produces({MediaType.APPLICATION_JSON, CSV})
  public Response report(
      @PathParam("by") String by,
      @QueryParam("from") String from,
      @QueryParam("to") String to,
      @QueryParam("tz") String tz,
      @QueryParam("campaign") String campaign,
      @QueryParam("site") String site,
      @QueryParam("zone") String zone,
      @QueryParam("format") String format,
      @Context HttpHeaders headers) {
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.PUBLISHER, Role.ADMIN);
    boolean csv = wantsCsv(format, headers);
    Reports.Ask ask;
    try {
      ask = Reports.Ask.parse(by, from, to, tz, campaign, site, zone, accountZone(caller));
    } catch (IllegalArgumentException e) {
      throw new ProblemException(400, "Bad report request", e.getMessage());
    }
    Reports.Report report;
    try {
      report = reports.run(caller, ask);
    } catch (SQLException e) {
      throw new ProblemException(503, "Reports unavailable", "the database did not answer");
    }
    if (csv) {
      return Response.ok(ReportDocuments.csv(report, caller.role()), CSV + "; charset=UTF-8")
          .header(
              "Content-Disposition",
              "attachment; filename=\"adgrid-"
                  + ask.by().param()
                  + "-"
                  + ask.from()
                  + "-"
                  + ask.to()
                  + ".csv\"")
          .build();
    }
    return Response.ok(
            ReportDocuments.json(report, caller.role()).toString(), MediaType.APPLICATION_JSON)
        .build();
  }

  private ZoneId accountZone(Caller caller) {
    Account account = em.find(Account.class, caller.accountId());
    return account == null ? ZoneId.of("UTC") : account.timeZone();
  }

  static boolean wantsCsv(String format, HttpHeaders headers) {
    if (format != null && !format.isBlank()) {
      return switch (format.trim()) {
        case "csv" -> true;
        case "json" -> false;
        default -> throw new ProblemException(400, "Bad report request", "format is csv or json");
      };
    }
    return headers.getAcceptableMediaTypes().stream()
        .findFirst()
        .map(type -> type.isCompatible(MediaType.valueOf(CSV)) && !type.isWildcardType())
        .orElse(false);
  }
}
