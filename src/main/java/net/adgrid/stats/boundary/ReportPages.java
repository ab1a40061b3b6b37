package net.adgrid.stats.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.adgrid.accounts.boundary.PageAccess;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Account;
import net.adgrid.accounts.entity.Role;
import net.adgrid.serving.control.DeliveryIndex;
import net.adgrid.stats.control.Reports;
import net.adgrid.stats.control.Reports.Line;

/**
 * The report page ({@code /app/reports.xhtml}) for every role: a plain GET form (range, time zone,
 * grouping, filters), so a report is a link that can be kept and shared; a chart and a table of the
 * same lines; the CSV of the same report at {@code /app/reports.csv}.
 */
@jakarta.inject.Named("reportPages")
@RequestScoped
public class ReportPages {

  private static final Logger LOG = Logger.getLogger(ReportPages.class.getName());
  private static final List<String> PARAMS =
      List.of("by", "from", "to", "tz", "campaign", "site", "zone");

  @Inject CurrentCaller currentCaller;
  @Inject FacesContext faces;
  @Inject Reports reports;
  @Inject DeliveryIndex index;
  @PersistenceContext EntityManager em;

  private Reports.Report report;
  private String error;

  /** One bar of the chart, in the SVG's coordinates, with its tooltip. */
  public record Bar(double x, double y, double width, double height, String title) {}

  public void requireAccess() throws IOException {
    if (!PageAccess.allow(
        faces, currentCaller, "reports", Role.ADVERTISER, Role.PUBLISHER, Role.ADMIN)) {
      return;
    }
    Caller caller = currentCaller.require(Role.ADVERTISER, Role.PUBLISHER, Role.ADMIN);
    Map<String, String> params = faces.getExternalContext().getRequestParameterMap();
    try {
      Reports.Ask ask = Reports.Ask.fromParameters(params::get, accountZone(caller));
      report = reports.run(caller, ask);
    } catch (IllegalArgumentException e) {
      error = e.getMessage();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Report failed", e);
      error = "The report could not be read from the database just now; please try again.";
    }
  }

  private ZoneId accountZone(Caller caller) {
    Account account = em.find(Account.class, caller.accountId());
    return account == null ? ZoneId.of("UTC") : account.timeZone();
  }

  public Reports.Report getReport() {
    return report;
  }

  public String getError() {
    return error;
  }

  public String getMoney() {
    return currentCaller.get().map(c -> ReportDocuments.money(c.role())).orElse("spend");
  }

  public String getDimension() {
    return report == null ? "day" : report.ask().by().param();
  }

  public boolean isTimeReport() {
    return report != null && report.ask().by().isTime();
  }

  public String param(String name) {
    if (report == null) {
      return Objects.requireNonNullElse(
          faces.getExternalContext().getRequestParameterMap().get(name), "");
    }
    Reports.Ask ask = report.ask();
    return switch (name) {
      case "by" -> ask.by().param();
      case "from" -> ask.from().toString();
      case "to" -> ask.to().toString();
      case "tz" -> ask.zone().getId();
      case "campaign" -> ask.campaign() == null ? "" : ask.campaign().toString();
      case "site" -> ask.site() == null ? "" : ask.site().toString();
      case "zone" -> ask.zoneId() == null ? "" : ask.zoneId().toString();
      default -> "";
    };
  }

  /** The query string of this report, for the CSV link. */
  public String getQuery() {
    StringBuilder query = new StringBuilder();
    for (String name : PARAMS) {
      String value = param(name);
      if (!value.isEmpty()) {
        query.append(query.length() == 0 ? "" : "&").append(name).append('=');
        query.append(URLEncoder.encode(value, StandardCharsets.UTF_8));
      }
    }
    return query.toString();
  }

  /** The caller's campaigns, sites and zones for the filters: id to name. */
  public Map<Long, String> options(String what) {
    Caller caller = currentCaller.get().orElse(null);
    Map<Long, String> options = new LinkedHashMap<>();
    if (caller == null) {
      return options;
    }
    DeliveryIndex.Directory directory = index.directory();
    Map<Long, DeliveryIndex.Named> named =
        switch (what) {
          case "campaign" -> caller.is(Role.PUBLISHER) ? Map.of() : directory.campaigns();
          case "site" -> caller.is(Role.ADVERTISER) ? Map.of() : directory.sites();
          case "zone" -> caller.is(Role.ADVERTISER) ? Map.of() : directory.zones();
          default -> Map.of();
        };
    named.entrySet().stream()
        .filter(e -> caller.is(Role.ADMIN) || e.getValue().owner() == caller.accountId())
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> options.put(e.getKey(), e.getValue().name() + " (#" + e.getKey() + ")"));
    return options;
  }

  public List<Map.Entry<Long, String>> optionList(String what) {
    return new ArrayList<>(options(what).entrySet());
  }

  /** Impressions as bars (time reports: in order; others: the 20 largest). */
  public List<Bar> getBars() {
    List<Bar> bars = new ArrayList<>();
    if (report == null || report.lines().isEmpty()) {
      return bars;
    }
    List<Line> lines = report.lines();
    if (!isTimeReport() && lines.size() > 20) {
      lines = lines.subList(0, 20);
    }
    long max = Math.max(1, lines.stream().mapToLong(Line::impressions).max().orElse(1));
    double step = 600.0 / lines.size();
    for (int i = 0; i < lines.size(); i++) {
      Line line = lines.get(i);
      double height = 110.0 * line.impressions() / max;
      bars.add(
          new Bar(
              i * step + step * 0.1,
              115 - height,
              Math.max(0.5, step * 0.8),
              height,
              line.label()
                  + ": "
                  + line.impressions()
                  + " impressions, "
                  + line.clicks()
                  + " clicks"));
    }
    return bars;
  }

  /** Clicks as a polyline over the bars, scaled to their own maximum. */
  public String getClickPoints() {
    if (report == null || !isTimeReport() || report.lines().isEmpty()) {
      return "";
    }
    List<Line> lines = report.lines();
    long max = Math.max(1, lines.stream().mapToLong(Line::clicks).max().orElse(1));
    double step = 600.0 / lines.size();
    StringBuilder points = new StringBuilder();
    for (int i = 0; i < lines.size(); i++) {
      double y = 115 - 110.0 * lines.get(i).clicks() / max;
      points.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", i * step + step / 2, y));
    }
    return points.toString().trim();
  }

  public String amount(BigDecimal value) {
    return value == null ? "" : value.setScale(2, java.math.RoundingMode.HALF_UP).toPlainString();
  }
}
