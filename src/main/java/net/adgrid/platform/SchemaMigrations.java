package net.adgrid.platform;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;
import org.flywaydb.core.Flyway;

/**
 * Brings the schema to this build's version when the node starts, once for the whole cluster:
 * Flyway holds a PostgreSQL advisory lock while it migrates, so nodes that start together wait for
 * each other and the second finds nothing left to do. The node reports itself not ready (so the
 * balancer sends it nothing) until the schema is current; if PostgreSQL is not reachable yet, it
 * keeps trying instead of failing the deployment.
 */
@ApplicationScoped
@Readiness
public class SchemaMigrations implements HealthCheck {

  private static final Logger LOG = Logger.getLogger(SchemaMigrations.class.getName());
  private static final long RETRY_SECONDS = 3;

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  /** Fired once the schema is current on this node; what needs the schema at start waits for it. */
  public record SchemaReady() {}

  @Inject Event<SchemaReady> schemaReady;

  private volatile String state = "migration not started";
  private volatile boolean current;

  void onStart(@Observes @Initialized(ApplicationScoped.class) Object started) {
    scheduler.execute(this::migrate);
  }

  private void migrate() {
    try {
      var result =
          Flyway.configure(SchemaMigrations.class.getClassLoader())
              .dataSource(dataSource)
              .locations("classpath:db/migration")
              // During a rolling upgrade the previous release may start (or restart) on a schema
              // the next one already migrated: migrations it does not know are accepted, as long as
              // those it knows were applied as it has them. Migrations are written for that: a
              // release only adds what the previous one can ignore (README, Rolling upgrades).
              .ignoreMigrationPatterns("*:future")
              .load()
              .migrate();
      LOG.info(
          () ->
              "Schema is current (" + result.migrationsExecuted + " migrations run by this node)");
      // Start-up work that needs the schema runs before the node reports itself ready; if it
      // fails, all of it is tried again (migrations that ran are skipped by Flyway).
      schemaReady.fire(new SchemaReady());
      state = "schema at version " + result.targetSchemaVersion;
      current = true;
    } catch (RuntimeException e) {
      state = "not ready, retrying: " + e.getMessage();
      LOG.log(
          Level.WARNING,
          "Schema migration or start-up work failed; retrying in " + RETRY_SECONDS + " s",
          e);
      scheduler.schedule(this::migrate, RETRY_SECONDS, TimeUnit.SECONDS);
    }
  }

  public boolean isCurrent() {
    return current;
  }

  @Override
  public HealthCheckResponse call() {
    return HealthCheckResponse.named("schema").status(current).withData("state", state).build();
  }
}
