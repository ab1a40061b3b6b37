package net.adgrid.stats.control;

import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.adgrid.cluster.control.GridObjects;
import net.adgrid.platform.NodeIdentity;
import net.adgrid.platform.SchemaMigrations.SchemaReady;

/**
 * The hourly rollups (campaign × creative × zone × UTC hour), built from the events by every node's
 * scheduler, each hour by exactly one node at a time: the hour's {@code rollup_window} row, locked
 * {@code FOR UPDATE SKIP LOCKED}, is the claim, and a node that finds it locked goes on to the next
 * hour. A build replaces the hour's rows in one transaction, so building again is harmless and a
 * node killed mid-build leaves the previous rows.
 *
 * <p>While an hour can still receive events its rows are provisional and rebuilt every {@link
 * Settings#every()}. {@link #SEAL_AFTER} after its end the hour is <em>sealed</em>: every event
 * writer's {@code sealed_before} is raised past it (which waits for the batches in flight, since
 * each batch holds its writer's row FOR SHARE), so no node can store an event in it any more, not
 * even one stopped and resumed later; then it is built a last time and marked final. Hours are
 * taken oldest first from the oldest event partition on, so a cluster that was down catches up by
 * itself.
 *
 * <p>Retention: an event partition older than {@link Settings#retentionDays()} is detached and
 * dropped once every hour its events can fall into is final; the rollups stay.
 */
@ApplicationScoped
public class Rollups {

  private static final Logger LOG = Logger.getLogger(Rollups.class.getName());

  /** How long after an hour's end it is sealed: far beyond any event's wait for its writer. */
  public static final Duration SEAL_AFTER = Duration.ofMinutes(2);

  /** How long after its decision an event can occur: a click token lives a day (and slack). */
  static final Duration EVENT_AFTER_DECISION = Duration.ofDays(2);

  /** One tick builds hours for at most this long, then lets the next tick go on. */
  private static final Duration TICK_BUDGET = Duration.ofSeconds(20);

  private static final long RETENTION_LOCK = 0x6164677269640002L; // "adgrid" + 2
  private static final DateTimeFormatter PARTITION = DateTimeFormatter.ofPattern("yyyyMMdd");

  /** How often the job runs, and how many days of raw events are kept. */
  public record Settings(Duration every, int retentionDays) {

    public static Settings fromEnvironment() {
      return from(System.getenv());
    }

    static Settings from(Map<String, String> env) {
      long every = number(env, "ADGRID_ROLLUP_EVERY_SECONDS", 60, 1);
      long days = number(env, "ADGRID_EVENT_RETENTION_DAYS", 90, 4);
      return new Settings(Duration.ofSeconds(every), (int) days);
    }

    private static long number(Map<String, String> env, String name, long fallback, long min) {
      String value = env.get(name);
      if (value == null || value.isBlank()) {
        return fallback;
      }
      try {
        long parsed = Long.parseLong(value.trim());
        if (parsed >= min && parsed <= 100_000) {
          return parsed;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          name + " must be a whole number from " + min + " to 100000, not '" + value + "'");
    }
  }

  /** What a build did: the hour, whether it is now final, the events it read, how long it took. */
  public record Built(Instant hour, boolean fin, long events, long millis) {}

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  @Inject NodeIdentity node;

  private final Settings settings = Settings.fromEnvironment();
  private ScheduledFuture<?> task;
  private Instant lastHousekeeping = Instant.EPOCH;

  void start(@Observes SchemaReady ready) {
    if (task == null) {
      long every = settings.every().toMillis();
      task =
          scheduler.scheduleWithFixedDelay(
              this::tickQuietly, Math.min(every, 5_000), every, TimeUnit.MILLISECONDS);
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  public Settings settings() {
    return settings;
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "Hourly rollups: " + e.getMessage(), e);
    }
  }

  /** Builds what is due, oldest hour first, for at most {@link #TICK_BUDGET}. */
  public List<Built> tick() throws SQLException {
    List<Built> built = new ArrayList<>();
    long started = System.nanoTime();
    Instant now = databaseNow();
    for (Instant hour : due(now)) {
      if (System.nanoTime() - started > TICK_BUDGET.toNanos()) {
        break;
      }
      boolean sealable = !hour.plus(Duration.ofHours(1)).plus(SEAL_AFTER).isAfter(now);
      Built one = sealable ? seal(hour) : refresh(hour, now);
      if (one != null) {
        built.add(one);
      }
    }
    // Retention every 10 minutes (sooner when the job runs more often than once a minute).
    Duration housekeeping = settings.every().multipliedBy(10);
    if (housekeeping.compareTo(Duration.ofMinutes(10)) > 0) {
      housekeeping = Duration.ofMinutes(10);
    }
    if (Duration.between(lastHousekeeping, Instant.now()).compareTo(housekeeping) >= 0) {
      lastHousekeeping = Instant.now();
      dropExpiredPartitions(now);
      dropPastEstimators(now);
      dropPastSignInAttempts();
    }
    return built;
  }

  private Instant databaseNow() throws SQLException {
    try (Connection db = dataSource.getConnection();
        Statement statement = db.createStatement();
        ResultSet rows = statement.executeQuery("SELECT now()")) {
      rows.next();
      return rows.getTimestamp(1).toInstant();
    }
  }

  /** The hours not yet final, from the oldest event partition's first hour to the current one. */
  private List<Instant> due(Instant now) throws SQLException {
    List<LocalDate> days = partitionDays();
    if (days.isEmpty()) {
      return List.of();
    }
    Instant first = days.get(0).atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant last = now.truncatedTo(ChronoUnit.HOURS);
    List<Instant> hours = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT h FROM generate_series(?::timestamptz, ?::timestamptz, interval '1 hour')"
                    + " AS h WHERE NOT EXISTS (SELECT 1 FROM rollup_window w"
                    + " WHERE w.hour = h AND w.state = 'F') ORDER BY h")) {
      query.setTimestamp(1, Timestamp.from(first));
      query.setTimestamp(2, Timestamp.from(last));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          hours.add(rows.getTimestamp(1).toInstant());
        }
      }
    }
    return hours;
  }

  /** The days of the event partitions that exist, oldest first. */
  private List<LocalDate> partitionDays() throws SQLException {
    List<LocalDate> days = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        Statement statement = db.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                    + " JOIN pg_class p ON p.oid = i.inhparent"
                    + " WHERE p.relname = 'event' AND c.relname ~ '^event_[0-9]{8}$'"
                    + " ORDER BY c.relname")) {
      while (rows.next()) {
        days.add(LocalDate.parse(rows.getString(1).substring(6), PARTITION));
      }
    }
    return days;
  }

  /**
   * Seals the hour, so no writer can store an event in it any more, and builds it a last time.
   * Sealing is its own short transaction: it waits only for the batches in flight, and the writers
   * go on at once.
   */
  Built seal(Instant hour) throws SQLException {
    Instant end = hour.plus(Duration.ofHours(1));
    try (Connection db = dataSource.getConnection();
        PreparedStatement seal =
            db.prepareStatement(
                "UPDATE event_writer SET sealed_before = ? WHERE sealed_before < ?")) {
      seal.setTimestamp(1, Timestamp.from(end));
      seal.setTimestamp(2, Timestamp.from(end));
      seal.executeUpdate();
    }
    return build(hour, true, null);
  }

  /** Rebuilds a provisional hour, unless some node built it less than one period ago. */
  private Built refresh(Instant hour, Instant now) throws SQLException {
    return build(hour, false, now.minus(settings.every()).plusMillis(500));
  }

  /**
   * Builds one hour in one transaction, if this node gets its claim: {@code fresherThan} skips a
   * provisional hour built after that moment. Returns null when there was nothing to do.
   */
  private Built build(Instant hour, boolean fin, Instant fresherThan) throws SQLException {
    long started = System.nanoTime();
    Timestamp start = Timestamp.from(hour);
    try (Connection db = dataSource.getConnection()) {
      // The claim's row, outside the transaction: a node racing for it then never waits for the
      // other's whole build on the insert, it finds the row locked and goes on.
      try (PreparedStatement window =
          db.prepareStatement(
              "INSERT INTO rollup_window (hour, state, events, built_at, built_by, build_millis)"
                  + " VALUES (?, 'P', 0, '-infinity', ?, 0) ON CONFLICT (hour) DO NOTHING")) {
        window.setTimestamp(1, start);
        window.setString(2, node.name());
        window.executeUpdate();
      }
      db.setAutoCommit(false);
      try {
        try (PreparedStatement claim =
            db.prepareStatement(
                "SELECT state, built_at FROM rollup_window WHERE hour = ?"
                    + " FOR UPDATE SKIP LOCKED")) {
          claim.setTimestamp(1, start);
          try (ResultSet rows = claim.executeQuery()) {
            if (!rows.next()
                || rows.getString(1).equals("F")
                || (fresherThan != null && rows.getTimestamp(2).toInstant().isAfter(fresherThan))) {
              db.rollback();
              return null;
            }
          }
        }
        for (String table : List.of("rollup_invalid", "rollup_hour")) {
          try (PreparedStatement clear =
              db.prepareStatement("DELETE FROM " + table + " WHERE hour = ?")) {
            clear.setTimestamp(1, start);
            clear.executeUpdate();
          }
        }
        Map<Key, Row> rows = read(db, hour);
        long events = insert(db, start, rows);
        long millis = (System.nanoTime() - started) / 1_000_000;
        try (PreparedStatement done =
            db.prepareStatement(
                "UPDATE rollup_window SET state = ?, events = ?, built_at = now(), built_by = ?,"
                    + " build_millis = ? WHERE hour = ?")) {
          done.setString(1, fin ? "F" : "P");
          done.setLong(2, events);
          done.setString(3, node.name());
          done.setInt(4, (int) Math.min(Integer.MAX_VALUE, millis));
          done.setTimestamp(5, start);
          done.executeUpdate();
        }
        db.commit();
        if (fin) {
          LOG.fine(() -> "Rolled up " + hour + " (final): " + events + " events in " + millis);
        }
        return new Built(hour, fin, events, millis);
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    }
  }

  private record Key(long campaign, long creative, long zone) {}

  private record Invalid(String kind, String reason) {}

  private static final class Row {
    long impressions;
    long viewable;
    long clicks;
    long invalid;
    BigDecimal spend = BigDecimal.ZERO;
    final Uniques uniques = new Uniques();
    final Map<Invalid, Long> invalidByKindAndReason = new LinkedHashMap<>();
  }

  /** The hour's events, grouped; then the visitors of its valid impressions. */
  private static Map<Key, Row> read(Connection db, Instant hour) throws SQLException {
    Timestamp start = Timestamp.from(hour);
    Timestamp end = Timestamp.from(hour.plus(Duration.ofHours(1)));
    Timestamp decidedFrom = Timestamp.from(hour.minus(EVENT_AFTER_DECISION));
    String where =
        " FROM event WHERE occurred_at >= ? AND occurred_at < ? AND decided_at >= ?"
            + " AND decided_at < ?";
    Map<Key, Row> rows = new HashMap<>();
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT campaign_id, creative_id, zone_id, kind, reason, count(*),"
                + " coalesce(sum(cost), 0)"
                + where
                + " GROUP BY 1, 2, 3, 4, 5")) {
      bindWindow(query, start, end, decidedFrom);
      try (ResultSet found = query.executeQuery()) {
        while (found.next()) {
          Row row =
              rows.computeIfAbsent(
                  new Key(found.getLong(1), found.getLong(2), found.getLong(3)), k -> new Row());
          String kind = found.getString(4);
          String reason = found.getString(5);
          long n = found.getLong(6);
          row.spend = row.spend.add(found.getBigDecimal(7));
          if (reason.equals("OK")) {
            switch (kind) {
              case "I" -> row.impressions += n;
              case "V" -> row.viewable += n;
              case "C" -> row.clicks += n;
              default -> throw new IllegalStateException("event kind " + kind);
            }
          } else {
            row.invalid += n;
            row.invalidByKindAndReason.merge(new Invalid(kind, reason), n, Long::sum);
          }
        }
      }
    }
    // In the build's transaction, so a cursor: the visitors come in slices, never all at once.
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT DISTINCT campaign_id, creative_id, zone_id, visitor"
                + where
                + " AND kind = 'I' AND reason = 'OK'")) {
      query.setFetchSize(10_000);
      bindWindow(query, start, end, decidedFrom);
      try (ResultSet found = query.executeQuery()) {
        while (found.next()) {
          Row row = rows.get(new Key(found.getLong(1), found.getLong(2), found.getLong(3)));
          if (row != null) {
            row.uniques.add(found.getLong(4));
          }
        }
      }
    }
    return rows;
  }

  private static void bindWindow(
      PreparedStatement query, Timestamp start, Timestamp end, Timestamp decidedFrom)
      throws SQLException {
    query.setTimestamp(1, start);
    query.setTimestamp(2, end);
    query.setTimestamp(3, decidedFrom);
    query.setTimestamp(4, end);
  }

  /** Inserts the hour's rows; returns how many events they count. */
  private static long insert(Connection db, Timestamp hour, Map<Key, Row> rows)
      throws SQLException {
    long events = 0;
    try (PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO rollup_hour (hour, campaign_id, creative_id, zone_id, impressions,"
                    + " viewable, clicks, invalid, spend, uniques) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " ?)");
        PreparedStatement invalid =
            db.prepareStatement(
                "INSERT INTO rollup_invalid (hour, campaign_id, creative_id, zone_id, kind,"
                    + " reason, events) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      for (Map.Entry<Key, Row> entry : rows.entrySet()) {
        Key key = entry.getKey();
        Row row = entry.getValue();
        insert.setTimestamp(1, hour);
        insert.setLong(2, key.campaign());
        insert.setLong(3, key.creative());
        insert.setLong(4, key.zone());
        insert.setLong(5, row.impressions);
        insert.setLong(6, row.viewable);
        insert.setLong(7, row.clicks);
        insert.setLong(8, row.invalid);
        insert.setBigDecimal(9, row.spend);
        insert.setBytes(10, row.uniques.toBytes());
        insert.addBatch();
        events += row.impressions + row.viewable + row.clicks + row.invalid;
        for (Map.Entry<Invalid, Long> reason : row.invalidByKindAndReason.entrySet()) {
          invalid.setTimestamp(1, hour);
          invalid.setLong(2, key.campaign());
          invalid.setLong(3, key.creative());
          invalid.setLong(4, key.zone());
          invalid.setString(5, reason.getKey().kind());
          invalid.setString(6, reason.getKey().reason());
          invalid.setLong(7, reason.getValue());
          invalid.addBatch();
        }
      }
      insert.executeBatch();
      invalid.executeBatch();
    }
    return events;
  }

  /**
   * Detaches and drops the event partitions past the retention period whose every hour is final (a
   * partition holds the decisions of its day; their events occur within {@link
   * #EVENT_AFTER_DECISION}). One node at a time; the writers are never blocked (DETACH ...
   * CONCURRENTLY).
   */
  void dropExpiredPartitions(Instant now) {
    LocalDate oldestKept =
        LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(settings.retentionDays());
    try (Connection db = dataSource.getConnection()) {
      try (Statement lock = db.createStatement();
          ResultSet got =
              lock.executeQuery("SELECT pg_try_advisory_lock(" + RETENTION_LOCK + ")")) {
        got.next();
        if (!got.getBoolean(1)) {
          return;
        }
      }
      try {
        for (LocalDate day : partitionDays()) {
          if (!day.isBefore(oldestKept)) {
            break;
          }
          if (!allFinal(db, day)) {
            LOG.info("Event partition of " + day + " is past retention but not yet rolled up");
            break;
          }
          String table = "event_" + PARTITION.format(day);
          try (Statement ddl = db.createStatement()) {
            try {
              ddl.execute("ALTER TABLE event DETACH PARTITION " + table + " CONCURRENTLY");
            } catch (SQLException e) {
              // A detach interrupted earlier is left pending: finish it.
              ddl.execute("ALTER TABLE event DETACH PARTITION " + table + " FINALIZE");
            }
            ddl.execute("DROP TABLE " + table);
          }
          LOG.info(
              "Dropped the events of "
                  + day
                  + " (rolled up; retention "
                  + settings.retentionDays()
                  + " days)");
        }
      } finally {
        try (Statement unlock = db.createStatement()) {
          unlock.execute("SELECT pg_advisory_unlock(" + RETENTION_LOCK + ")");
        }
      }
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "Could not drop expired event partitions: " + e.getMessage(), e);
    }
  }

  private static boolean allFinal(Connection db, LocalDate day) throws SQLException {
    Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant to = from.plus(Duration.ofDays(1)).plus(EVENT_AFTER_DECISION);
    try (PreparedStatement query =
        db.prepareStatement(
            "SELECT count(*) FROM rollup_window WHERE hour >= ? AND hour < ? AND state = 'F'")) {
      query.setTimestamp(1, Timestamp.from(from));
      query.setTimestamp(2, Timestamp.from(to));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1) == Duration.between(from, to).toHours();
      }
    }
  }

  /** The sign-in audit is kept 90 days. */
  void dropPastSignInAttempts() {
    try (Connection db = dataSource.getConnection();
        Statement delete = db.createStatement()) {
      delete.executeUpdate(
          "DELETE FROM sign_in_attempt WHERE at < now() - interval '"
              + SIGN_INS_KEPT_DAYS
              + " days'");
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "Could not drop past sign-in attempts: " + e.getMessage(), e);
    }
  }

  static final int SIGN_INS_KEPT_DAYS = 90;

  /** The grid's unique-visitor estimators of past days (the live figures keep only today's). */
  void dropPastEstimators(Instant now) {
    LocalDate keepFrom = LocalDate.ofInstant(now, ZoneOffset.UTC).minusDays(1);
    try {
      for (DistributedObject object :
          GridObjects.outsideApplication(() -> grid.getDistributedObjects())) {
        String name = object.getName();
        if (!name.startsWith("adgrid.uniques.")) {
          continue;
        }
        String day = name.substring(name.lastIndexOf('.') + 1);
        try {
          if (LocalDate.parse(day).isBefore(keepFrom)) {
            object.destroy();
          }
        } catch (java.time.format.DateTimeParseException e) {
          // not one of ours
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not drop past unique-visitor estimators", e);
    }
  }
}
