package net.adgrid.stats.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.entity.Role;

/**
 * Reports from the hourly rollups: the caller's figures (an advertiser's campaigns, a publisher's
 * zones, everything for an admin) over a date range in a time zone, by hour, day, campaign,
 * creative, zone or site. Scoped in SQL by the owning account, so no filter can reach another
 * account's rows. Unique visitors are merged from the rows' sketches (never summed).
 */
@ApplicationScoped
public class Reports {

  public enum By {
    HOUR,
    DAY,
    CAMPAIGN,
    CREATIVE,
    ZONE,
    SITE;

    public String param() {
      return name().toLowerCase(Locale.ROOT);
    }

    public boolean isTime() {
      return this == HOUR || this == DAY;
    }
  }

  /** The longest ranges asked at once: a year by day or dimension, a month by hour. */
  public static final int MAX_DAYS = 366;

  public static final int MAX_HOUR_DAYS = 31;

  /** What is asked; filters are optional (null). */
  public record Ask(
      LocalDate from, LocalDate to, ZoneId zone, By by, Long campaign, Long site, Long zoneId) {

    /** The problem with it, or null when it can be answered. */
    public String problem() {
      if (from == null || to == null || zone == null || by == null) {
        return "from, to, a time zone and a grouping are needed";
      }
      if (to.isBefore(from)) {
        return "to (" + to + ") is before from (" + from + ")";
      }
      long days = ChronoUnit.DAYS.between(from, to) + 1;
      int max = by == By.HOUR ? MAX_HOUR_DAYS : MAX_DAYS;
      if (days > max) {
        return "at most "
            + max
            + " days "
            + (by == By.HOUR ? "by hour" : "at once")
            + ", not "
            + days;
      }
      return null;
    }

    /**
     * An ask from request parameters (any may be null or blank): by one of {@link By} (default
     * day), from and to as ISO dates (default: the 7 days to today), tz an IANA zone (default the
     * account's), filters as ids. Bad values are refused with a message fit for the user.
     */
    public static Ask parse(
        String by,
        String from,
        String to,
        String tz,
        String campaign,
        String site,
        String zoneId,
        ZoneId accountZone) {
      By grouping;
      try {
        grouping = blank(by) ? By.DAY : By.valueOf(by.trim().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "by must be one of hour, day, campaign, creative, zone, site; not '" + by + "'");
      }
      ZoneId zone;
      try {
        zone = blank(tz) ? accountZone : ZoneId.of(tz.trim());
      } catch (java.time.DateTimeException e) {
        throw new IllegalArgumentException("tz is not a time zone: '" + tz + "'");
      }
      LocalDate today = LocalDate.now(zone);
      LocalDate last = blank(to) ? today : date("to", to);
      LocalDate first = blank(from) ? last.minusDays(6) : date("from", from);
      Ask ask =
          new Ask(
              first,
              last,
              zone,
              grouping,
              id("campaign", campaign),
              id("site", site),
              id("zone", zoneId));
      String problem = ask.problem();
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
      return ask;
    }

    private static boolean blank(String value) {
      return value == null || value.isBlank();
    }

    /**
     * An ask from named request parameters ({@code by}, {@code from}, {@code to}, {@code tz},
     * {@code campaign}, {@code site}, {@code zone}), as the page and its CSV export take them.
     */
    public static Ask fromParameters(
        java.util.function.Function<String, String> parameter, ZoneId accountZone) {
      return parse(
          parameter.apply("by"),
          parameter.apply("from"),
          parameter.apply("to"),
          parameter.apply("tz"),
          parameter.apply("campaign"),
          parameter.apply("site"),
          parameter.apply("zone"),
          accountZone);
    }

    /** A date parameter (ISO, from the year 2000 on); the message names the parameter. */
    public static LocalDate date(String name, String value) {
      try {
        LocalDate date = LocalDate.parse(value.trim());
        if (date.getYear() < 2000 || date.getYear() > 9999) {
          throw new IllegalArgumentException(name + " must be a date from 2000 on: " + value);
        }
        return date;
      } catch (java.time.format.DateTimeParseException e) {
        throw new IllegalArgumentException(
            name + " must be a date like 2026-11-23, not '" + value + "'");
      }
    }

    /** An optional id parameter: null when blank, else a positive number. */
    public static Long id(String name, String value) {
      if (blank(value)) {
        return null;
      }
      try {
        long id = Long.parseLong(value.trim());
        if (id > 0) {
          return id;
        }
      } catch (NumberFormatException e) {
        // below
      }
      throw new IllegalArgumentException(
          name + " must be an id (a positive number), not '" + value + "'");
    }

    Instant start() {
      return from.atStartOfDay(zone).toInstant();
    }

    Instant end() {
      return to.plusDays(1).atStartOfDay(zone).toInstant();
    }
  }

  /** One line of a report: its key (a time or an id), a label, the figures. */
  public record Line(
      String key,
      String label,
      long impressions,
      long viewable,
      long clicks,
      long invalid,
      BigDecimal spend,
      long uniques,
      boolean provisional) {

    /** Clicks per impression, in percent (2 decimals), 0 without impressions. */
    public BigDecimal ctr() {
      return impressions == 0
          ? BigDecimal.ZERO.setScale(2)
          : BigDecimal.valueOf(clicks * 100L)
              .divide(BigDecimal.valueOf(impressions), 2, java.math.RoundingMode.HALF_UP);
    }
  }

  /**
   * A report: its lines, their total, and from which hour on the figures are provisional (still
   * rebuilt as late events arrive; null when every hour of the range is final).
   */
  public record Report(Ask ask, List<Line> lines, Line total, Instant provisionalFrom) {}

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  private static final DateTimeFormatter HOUR_KEY =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mmxxx");

  private static final class Sum {
    final String label;
    long impressions;
    long viewable;
    long clicks;
    long invalid;
    BigDecimal spend = BigDecimal.ZERO.setScale(Tally.SPEND_SCALE);
    final Uniques uniques = new Uniques();
    boolean provisional;

    Sum(String label) {
      this.label = label;
    }

    Line line(String key) {
      return new Line(
          key, label, impressions, viewable, clicks, invalid, spend, uniques.count(), provisional);
    }
  }

  public Report run(Caller caller, Ask ask) throws SQLException {
    String problem = ask.problem();
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    Instant start = ask.start();
    Instant end = ask.end();
    // Whole UTC hours that overlap the range (zones at a half-hour offset get their local day's
    // hours by the hour's start).
    Instant firstHour = start.truncatedTo(ChronoUnit.HOURS);
    Map<Instant, Boolean> finalHours = windows(firstHour, end);
    Map<String, Sum> sums = new LinkedHashMap<>();
    if (ask.by().isTime()) {
      for (Instant hour = firstHour; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
        String key = timeKey(ask, hour);
        sums.computeIfAbsent(key, k -> new Sum(k));
      }
    }
    Sum total = new Sum("Total");
    StringBuilder sql =
        new StringBuilder(
            "SELECT r.hour, r.campaign_id, c.name, r.creative_id, cr.name, r.zone_id, z.name,"
                + " s.id, s.name, r.impressions, r.viewable, r.clicks, r.invalid, r.spend,"
                + " r.uniques FROM rollup_hour r"
                + " LEFT JOIN campaign c ON c.id = r.campaign_id"
                + " LEFT JOIN creative cr ON cr.id = r.creative_id"
                + " LEFT JOIN zone z ON z.id = r.zone_id"
                + " LEFT JOIN site s ON s.id = z.site_id"
                + " WHERE r.hour >= ? AND r.hour < ?");
    List<Object> params = new ArrayList<>(List.of(Timestamp.from(firstHour), Timestamp.from(end)));
    if (caller.role() == Role.ADVERTISER) {
      sql.append(" AND c.account_id = ?");
      params.add(caller.accountId());
    } else if (caller.role() == Role.PUBLISHER) {
      sql.append(" AND s.account_id = ?");
      params.add(caller.accountId());
    }
    if (ask.campaign() != null) {
      sql.append(" AND r.campaign_id = ?");
      params.add(ask.campaign());
    }
    if (ask.site() != null) {
      sql.append(" AND s.id = ?");
      params.add(ask.site());
    }
    if (ask.zoneId() != null) {
      sql.append(" AND r.zone_id = ?");
      params.add(ask.zoneId());
    }
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false); // a cursor: rows come in slices
      try (PreparedStatement query = db.prepareStatement(sql.toString())) {
        query.setFetchSize(5_000);
        for (int i = 0; i < params.size(); i++) {
          query.setObject(i + 1, params.get(i));
        }
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            Instant hour = rows.getTimestamp(1).toInstant();
            String key;
            String label;
            switch (ask.by()) {
              case HOUR, DAY -> {
                key = timeKey(ask, hour);
                label = key;
              }
              case CAMPAIGN -> {
                key = rows.getString(2);
                label = named(rows.getString(3), "campaign", key);
              }
              case CREATIVE -> {
                key = rows.getString(4);
                label = named(rows.getString(5), "creative", key);
              }
              case ZONE -> {
                key = rows.getString(6);
                label = named(rows.getString(7), "zone", key);
              }
              case SITE -> {
                key = rows.getString(8) == null ? "0" : rows.getString(8);
                label = named(rows.getString(9), "site", key);
              }
              default -> throw new IllegalStateException();
            }
            Sum sum = sums.computeIfAbsent(key, k -> new Sum(label));
            Uniques uniques = Uniques.fromBytes(rows.getBytes(15));
            boolean provisional = !finalHours.getOrDefault(hour, false);
            for (Sum s : List.of(sum, total)) {
              s.impressions += rows.getLong(10);
              s.viewable += rows.getLong(11);
              s.clicks += rows.getLong(12);
              s.invalid += rows.getLong(13);
              s.spend = s.spend.add(rows.getBigDecimal(14));
              s.uniques.merge(uniques);
              s.provisional |= provisional;
            }
          }
        }
      } finally {
        db.rollback();
        db.setAutoCommit(true);
      }
    }
    Instant provisionalFrom = null;
    for (Instant hour = firstHour; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
      if (!finalHours.getOrDefault(hour, false)) {
        provisionalFrom = hour;
        break;
      }
    }
    if (ask.by().isTime() && provisionalFrom != null) {
      for (Instant hour = provisionalFrom;
          hour.isBefore(end);
          hour = hour.plus(Duration.ofHours(1))) {
        Sum sum = sums.get(timeKey(ask, hour));
        if (sum != null) {
          sum.provisional = true;
        }
      }
    }
    List<Line> lines = new ArrayList<>(sums.size());
    if (ask.by().isTime()) {
      sums.forEach((key, sum) -> lines.add(sum.line(key)));
    } else {
      new TreeMap<>(sums).forEach((key, sum) -> lines.add(sum.line(key)));
      lines.sort(
          java.util.Comparator.comparingLong(Line::impressions)
              .reversed()
              .thenComparing(Line::label));
    }
    total.provisional = provisionalFrom != null;
    return new Report(ask, lines, total.line("total"), provisionalFrom);
  }

  private static String named(String name, String what, String id) {
    return name == null ? "(deleted " + what + " " + id + ")" : name;
  }

  private static String timeKey(Ask ask, Instant hour) {
    ZonedDateTime local = hour.atZone(ask.zone());
    return ask.by() == By.HOUR ? HOUR_KEY.format(local) : local.toLocalDate().toString();
  }

  /** Which hours of the range have a final rollup. */
  private Map<Instant, Boolean> windows(Instant from, Instant to) throws SQLException {
    Map<Instant, Boolean> states = new HashMap<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT hour, state = 'F' FROM rollup_window WHERE hour >= ? AND hour < ?")) {
      query.setTimestamp(1, Timestamp.from(from));
      query.setTimestamp(2, Timestamp.from(to));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          states.put(rows.getTimestamp(1).toInstant(), rows.getBoolean(2));
        }
      }
    }
    return states;
  }
}
