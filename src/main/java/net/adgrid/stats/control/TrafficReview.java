package net.adgrid.stats.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The admins' review of invalid traffic over UTC days: why events were not valid, day by day (from
 * the rollups); which publishers' click-through rates stand out from the network's; and the raw
 * events behind a figure (while the event partitions are kept).
 */
@ApplicationScoped
public class TrafficReview {

  /** A publisher stands out from this many impressions on... */
  public static final long MIN_IMPRESSIONS = 100;

  /** ...with a click-through rate this many times the network's... */
  public static final int CTR_FACTOR = 3;

  /** ...or this share of its events invalid, in percent. */
  public static final int INVALID_PERCENT = 25;

  /** Invalid events of one day, by reason (in {@link Tally#INVALID} order, as stored). */
  public record Day(LocalDate day, long valid, Map<String, Long> byReason) {
    public long invalid() {
      return byReason.values().stream().mapToLong(Long::longValue).sum();
    }

    public BigDecimal invalidPercent() {
      return percent(invalid(), invalid() + valid());
    }
  }

  /** A publisher's traffic over the range. */
  public record Publisher(
      long accountId,
      String name,
      long impressions,
      long clicks,
      long invalidClicks,
      long invalid,
      BigDecimal ctr,
      BigDecimal invalidPercent,
      boolean outlier) {}

  /** A stored event, as the drill-down shows it. */
  public record Event(
      Instant occurredAt,
      String kind,
      String reason,
      long campaignId,
      long creativeId,
      long zoneId,
      String visitor,
      String clientIp,
      String node) {}

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  public List<Day> days(LocalDate from, LocalDate to) throws SQLException {
    Map<LocalDate, Day> days = new TreeMap<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      days.put(d, new Day(d, 0, new TreeMap<>()));
    }
    try (Connection db = dataSource.getConnection()) {
      try (PreparedStatement query =
          db.prepareStatement(
              "SELECT (hour AT TIME ZONE 'UTC')::date, reason, sum(events) FROM rollup_invalid"
                  + " WHERE hour >= ? AND hour < ? GROUP BY 1, 2")) {
        bind(query, from, to);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            Day day = days.get(rows.getDate(1).toLocalDate());
            if (day != null) {
              day.byReason().merge(rows.getString(2), rows.getLong(3), Long::sum);
            }
          }
        }
      }
      try (PreparedStatement query =
          db.prepareStatement(
              "SELECT (hour AT TIME ZONE 'UTC')::date, sum(impressions + viewable + clicks)"
                  + " FROM rollup_hour WHERE hour >= ? AND hour < ? GROUP BY 1")) {
        bind(query, from, to);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            LocalDate date = rows.getDate(1).toLocalDate();
            Day day = days.get(date);
            if (day != null) {
              days.put(date, new Day(date, rows.getLong(2), day.byReason()));
            }
          }
        }
      }
    }
    return new ArrayList<>(days.values());
  }

  /** Every publisher with traffic in the range, the outliers first. */
  public List<Publisher> publishers(LocalDate from, LocalDate to) throws SQLException {
    List<Publisher> found = new ArrayList<>();
    long networkImpressions = 0;
    long networkClicks = 0;
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "WITH valid AS (SELECT s.account_id, sum(r.impressions) AS i, sum(r.clicks) AS c,"
                    + " sum(r.invalid) AS bad FROM rollup_hour r JOIN zone z ON z.id = r.zone_id"
                    + " JOIN site s ON s.id = z.site_id WHERE r.hour >= ? AND r.hour < ?"
                    + " GROUP BY 1),"
                    + " clicks AS (SELECT s.account_id, sum(v.events) AS c FROM rollup_invalid v"
                    + " JOIN zone z ON z.id = v.zone_id JOIN site s ON s.id = z.site_id"
                    + " WHERE v.hour >= ? AND v.hour < ? AND v.kind = 'C' GROUP BY 1)"
                    + " SELECT a.id, a.name, valid.i, valid.c, coalesce(clicks.c, 0), valid.bad"
                    + " FROM valid JOIN account a ON a.id = valid.account_id"
                    + " LEFT JOIN clicks ON clicks.account_id = valid.account_id")) {
      bind(query, from, to);
      query.setTimestamp(3, start(from));
      query.setTimestamp(4, start(to.plusDays(1)));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          long impressions = rows.getLong(3);
          long clicks = rows.getLong(4);
          networkImpressions += impressions;
          networkClicks += clicks;
          found.add(
              new Publisher(
                  rows.getLong(1),
                  rows.getString(2),
                  impressions,
                  clicks,
                  rows.getLong(5),
                  rows.getLong(6),
                  percent(clicks, impressions),
                  percent(rows.getLong(6), rows.getLong(6) + impressions + clicks),
                  false));
        }
      }
    }
    List<Publisher> marked = new ArrayList<>(found.size());
    for (Publisher p : found) {
      boolean clickOutlier =
          p.impressions() >= MIN_IMPRESSIONS
              && networkImpressions > 0
              // ctr / network ctr >= factor, in integers
              && p.clicks() * networkImpressions >= CTR_FACTOR * networkClicks * p.impressions()
              && p.clicks() > 0;
      boolean invalidOutlier =
          p.invalidPercent().compareTo(BigDecimal.valueOf(INVALID_PERCENT)) >= 0;
      marked.add(
          new Publisher(
              p.accountId(),
              p.name(),
              p.impressions(),
              p.clicks(),
              p.invalidClicks(),
              p.invalid(),
              p.ctr(),
              p.invalidPercent(),
              clickOutlier || invalidOutlier));
    }
    marked.sort(
        java.util.Comparator.comparing(Publisher::outlier)
            .reversed()
            .thenComparing(Publisher::ctr, java.util.Comparator.reverseOrder()));
    return marked;
  }

  /** The network's click-through rate over the publishers given, in percent. */
  public static BigDecimal networkCtr(List<Publisher> publishers) {
    long i = publishers.stream().mapToLong(Publisher::impressions).sum();
    long c = publishers.stream().mapToLong(Publisher::clicks).sum();
    return percent(c, i);
  }

  /**
   * The latest stored events (at most {@code limit}) of a UTC day, optionally of one publisher,
   * zone or reason ({@code "invalid"}: any reason but OK).
   */
  public List<Event> events(LocalDate day, Long publisher, Long zone, String reason, int limit)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT e.occurred_at, e.kind, e.reason, e.campaign_id, e.creative_id, e.zone_id,"
                + " e.visitor, host(e.client_ip), e.node FROM event e"
                + " JOIN zone z ON z.id = e.zone_id JOIN site s ON s.id = z.site_id"
                + " WHERE e.occurred_at >= ? AND e.occurred_at < ?"
                + " AND e.decided_at >= ? AND e.decided_at < ?");
    List<Object> params = new ArrayList<>();
    params.add(start(day));
    params.add(start(day.plusDays(1)));
    params.add(Timestamp.from(start(day).toInstant().minus(Rollups.EVENT_AFTER_DECISION)));
    params.add(start(day.plusDays(1)));
    if (publisher != null) {
      sql.append(" AND s.account_id = ?");
      params.add(publisher);
    }
    if (zone != null) {
      sql.append(" AND e.zone_id = ?");
      params.add(zone);
    }
    if ("invalid".equals(reason)) {
      sql.append(" AND e.reason <> 'OK'");
    } else if (reason != null) {
      sql.append(" AND e.reason = ?");
      params.add(reason);
    }
    sql.append(" ORDER BY e.occurred_at DESC LIMIT ?");
    params.add(limit);
    List<Event> events = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query = db.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        query.setObject(i + 1, params.get(i));
      }
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          events.add(
              new Event(
                  rows.getTimestamp(1).toInstant(),
                  rows.getString(2),
                  rows.getString(3),
                  rows.getLong(4),
                  rows.getLong(5),
                  rows.getLong(6),
                  String.format("%016x", rows.getLong(7)),
                  rows.getString(8),
                  rows.getString(9)));
        }
      }
    }
    return events;
  }

  private static void bind(PreparedStatement query, LocalDate from, LocalDate to)
      throws SQLException {
    query.setTimestamp(1, start(from));
    query.setTimestamp(2, start(to.plusDays(1)));
  }

  private static Timestamp start(LocalDate day) {
    return Timestamp.from(day.atStartOfDay(ZoneOffset.UTC).toInstant());
  }

  static BigDecimal percent(long part, long whole) {
    return whole == 0
        ? BigDecimal.ZERO.setScale(2)
        : BigDecimal.valueOf(part * 100L)
            .divide(BigDecimal.valueOf(whole), 2, RoundingMode.HALF_UP);
  }
}
