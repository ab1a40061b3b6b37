package net.adgrid.cluster.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.adgrid.platform.SchemaMigrations.SchemaReady;

/**
 * This node's database connections as PostgreSQL counts them (every connection of the node's pool
 * carries {@code application_name} {@code adgrid-<node>}): open, and busy with a statement, next to
 * the pool's ceiling. Read every 5 s by a task of its own with a 2 s statement timeout, so that a
 * scrape of {@code /metrics} never waits for a connection; -1 while they cannot be read (the pool
 * is exhausted, or PostgreSQL is unreachable: the gauge says so instead of hanging).
 */
@ApplicationScoped
public class PoolUse {

  private static final Logger LOG = Logger.getLogger(PoolUse.class.getName());

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject NodeMetrics metrics;

  private volatile long open = -1;
  private volatile long active = -1;
  private ScheduledFuture<?> task;

  void start(@Observes SchemaReady ready) {
    metrics.gauge(
        "adgrid_db_connections_open",
        "Connections of this node open in PostgreSQL (-1: not readable now)",
        () -> open);
    metrics.gauge(
        "adgrid_db_connections_active",
        "Connections of this node running a statement, this reading's own not counted",
        () -> active);
    String ceiling = System.getenv("ADGRID_DB_POOL_MAX");
    if (ceiling != null && ceiling.matches("\\d{1,6}")) {
      long max = Long.parseLong(ceiling);
      metrics.gauge("adgrid_db_pool_max", "The ceiling of this node's connection pool", () -> max);
    }
    task = scheduler.scheduleWithFixedDelay(this::read, 0, 5, TimeUnit.SECONDS);
  }

  private void read() {
    try (Connection db = dataSource.getConnection();
        Statement sql = db.createStatement()) {
      sql.setQueryTimeout(2);
      try (ResultSet row =
          sql.executeQuery(
              "SELECT count(*), count(*) FILTER (WHERE state = 'active' AND pid <> pg_backend_pid())"
                  + " FROM pg_stat_activity WHERE datname = current_database()"
                  + " AND application_name = current_setting('application_name')")) {
        row.next();
        open = row.getLong(1);
        active = row.getLong(2);
      }
    } catch (SQLException | RuntimeException e) {
      open = -1;
      active = -1;
      LOG.log(Level.FINE, "Could not read this node's database connections", e);
    }
  }

  @PreDestroy
  void stop() {
    if (task != null) {
      task.cancel(false);
    }
  }
}
