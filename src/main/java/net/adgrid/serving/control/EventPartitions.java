package net.adgrid.serving.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.adgrid.platform.SchemaMigrations.SchemaReady;

/**
 * Keeps the day partitions of the events table ahead of the clock: at start (before the node
 * reports ready) and every hour, each node makes sure the partitions from two days back to {@link
 * #DAYS_AHEAD} days ahead exist. A valid token is at most a day old, so its partition is always
 * there; creating them is serialized across nodes by an advisory lock.
 */
@ApplicationScoped
public class EventPartitions {

  private static final Logger LOG = Logger.getLogger(EventPartitions.class.getName());
  static final int DAYS_BACK = 2;
  static final int DAYS_AHEAD = 7;
  private static final long LOCK = 0x6164677269640001L; // "adgrid" + 1
  private static final DateTimeFormatter NAME = DateTimeFormatter.ofPattern("yyyyMMdd");

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  private ScheduledFuture<?> task;

  void start(@Observes SchemaReady ready) {
    ensure(LocalDate.now(ZoneOffset.UTC));
    if (task == null) {
      task = scheduler.scheduleWithFixedDelay(this::ensureQuietly, 1, 1, TimeUnit.HOURS);
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }

  private void ensureQuietly() {
    try {
      ensure(LocalDate.now(ZoneOffset.UTC));
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "Could not create the coming event partitions", e);
    }
  }

  /** The statements that create the partitions around {@code today} (UTC), if missing. */
  static List<String> statements(LocalDate today) {
    List<String> sql = new ArrayList<>();
    for (LocalDate day = today.minusDays(DAYS_BACK);
        !day.isAfter(today.plusDays(DAYS_AHEAD));
        day = day.plusDays(1)) {
      sql.add(
          "CREATE TABLE IF NOT EXISTS event_"
              + NAME.format(day)
              + " PARTITION OF event FOR VALUES FROM ('"
              + day
              + " 00:00:00+00') TO ('"
              + day.plusDays(1)
              + " 00:00:00+00')");
    }
    return sql;
  }

  void ensure(LocalDate today) {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try (Statement statement = db.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + LOCK + ")");
        for (String sql : statements(today)) {
          statement.execute(sql);
        }
        db.commit();
      } catch (SQLException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create event partitions: " + e.getMessage(), e);
    }
  }
}
