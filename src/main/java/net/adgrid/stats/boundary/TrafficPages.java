package net.adgrid.stats.boundary;

import jakarta.enterprise.context.RequestScoped;
import jakarta.faces.context.FacesContext;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.IOException;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.adgrid.accounts.boundary.PageAccess;
import net.adgrid.accounts.control.CurrentCaller;
import net.adgrid.accounts.entity.Role;
import net.adgrid.stats.control.Reports;
import net.adgrid.stats.control.Tally;
import net.adgrid.stats.control.TrafficReview;

/**
 * {@code /app/admin/traffic.xhtml}: invalid traffic for admins: reasons day by day, publishers
 * whose click-through rate or invalid share stands out, and the raw events behind them.
 */
@Named
@RequestScoped
public class TrafficPages {

  private static final Logger LOG = Logger.getLogger(TrafficPages.class.getName());
  static final int MAX_DAYS = 92;
  static final int EVENTS = 200;

  @Inject CurrentCaller currentCaller;
  @Inject FacesContext faces;
  @Inject TrafficReview review;

  private LocalDate from;
  private LocalDate to;
  private List<TrafficReview.Day> days = List.of();
  private List<TrafficReview.Publisher> publishers = List.of();
  private List<TrafficReview.Event> events;
  private String drill;
  private String error;

  public void requireAccess() throws IOException {
    if (!PageAccess.allow(faces, currentCaller, "invalid-traffic review", Role.ADMIN)) {
      return;
    }
    Map<String, String> params = faces.getExternalContext().getRequestParameterMap();
    try {
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      to = date(params.get("to"), today, "to");
      from = date(params.get("from"), to.minusDays(6), "from");
      if (to.isBefore(from) || ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) {
        throw new IllegalArgumentException(
            "from must not be after to, and at most " + MAX_DAYS + " days at once");
      }
      days = review.days(from, to);
      publishers = review.publishers(from, to);
      String day = params.get("day");
      if (day != null && !day.isBlank()) {
        LocalDate drillDay = date(day, null, "day");
        Long publisher = Reports.Ask.id("publisher", params.get("publisher"));
        Long zone = Reports.Ask.id("zone", params.get("zone"));
        String reason = params.get("reason");
        if (reason != null && reason.isBlank()) {
          reason = null;
        }
        if (reason != null
            && !reason.equals("invalid")
            && !reason.equals("OK")
            && !Tally.INVALID.contains(reason)) {
          throw new IllegalArgumentException("reason is not one of the stored reasons: " + reason);
        }
        events = review.events(drillDay, publisher, zone, reason, EVENTS);
        drill =
            drillDay
                + (publisher == null ? "" : ", publisher #" + publisher)
                + (zone == null ? "" : ", zone #" + zone)
                + (reason == null ? "" : ", reason " + reason);
      }
    } catch (IllegalArgumentException e) {
      error = e.getMessage();
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Traffic review failed", e);
      error = "The database did not answer just now; please try again.";
    }
  }

  private static LocalDate date(String value, LocalDate fallback, String name) {
    if (value == null || value.isBlank()) {
      if (fallback == null) {
        throw new IllegalArgumentException(name + " is needed");
      }
      return fallback;
    }
    return Reports.Ask.date(name, value);
  }

  public LocalDate getFrom() {
    return from;
  }

  public LocalDate getTo() {
    return to;
  }

  public List<String> getReasons() {
    return Tally.INVALID;
  }

  public List<TrafficReview.Day> getDays() {
    return days;
  }

  public List<TrafficReview.Publisher> getPublishers() {
    return publishers;
  }

  public String getNetworkCtr() {
    return TrafficReview.networkCtr(publishers).toPlainString();
  }

  public List<TrafficReview.Event> getEvents() {
    return events;
  }

  public String getDrill() {
    return drill;
  }

  public String getError() {
    return error;
  }

  public int getCtrFactor() {
    return TrafficReview.CTR_FACTOR;
  }

  public int getInvalidPercent() {
    return TrafficReview.INVALID_PERCENT;
  }

  public long getMinImpressions() {
    return TrafficReview.MIN_IMPRESSIONS;
  }
}
