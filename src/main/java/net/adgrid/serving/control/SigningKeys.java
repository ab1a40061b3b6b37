package net.adgrid.serving.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.adgrid.platform.SchemaMigrations.SchemaReady;

/**
 * The cluster's token keys, from PostgreSQL: the first node to start makes one; every node reads
 * them all at start (before it reports ready), again every 30 seconds (so a rotation made anywhere,
 * {@code scripts/adgrid rotate-key} included, is signed with everywhere within that), and at once
 * when a token names a key it does not know yet (at most once a second), so that a token signed
 * with a new key by one node is never refused by another.
 */
@ApplicationScoped
public class SigningKeys {

  private static final Logger LOG = Logger.getLogger(SigningKeys.class.getName());
  static final long RELOAD_SECONDS = 30;
  static final long UNKNOWN_KEY_RELOAD_NANOS = TimeUnit.SECONDS.toNanos(1);

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  private volatile EventTokens tokens;
  private volatile long loadedNanos;
  private volatile boolean failing;
  private ScheduledFuture<?> reloader;

  void load(@Observes SchemaReady ready) {
    try (Connection db = dataSource.getConnection()) {
      try (PreparedStatement insert =
          db.prepareStatement(
              "INSERT INTO signing_key (id, secret) SELECT 1, ? "
                  + "WHERE NOT EXISTS (SELECT 1 FROM signing_key) ON CONFLICT DO NOTHING")) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        insert.setBytes(1, secret);
        insert.executeUpdate();
      }
      reload(db);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the signing keys: " + e.getMessage(), e);
    }
    if (reloader == null) {
      reloader =
          scheduler.scheduleWithFixedDelay(
              this::reloadQuietly, RELOAD_SECONDS, RELOAD_SECONDS, TimeUnit.SECONDS);
    }
  }

  @PreDestroy
  void stop() {
    if (reloader != null) {
      reloader.cancel(false);
    }
  }

  /** Reads the keys again; when the database cannot be reached, the keys known stay in use. */
  synchronized void reloadQuietly() {
    try (Connection db = dataSource.getConnection()) {
      reload(db);
      if (failing) {
        LOG.info("Signing keys read again");
        failing = false;
      }
    } catch (SQLException | RuntimeException e) {
      if (!failing) {
        LOG.warning("Cannot read the signing keys, using the ones known: " + e.getMessage());
        failing = true;
      }
      loadedNanos = System.nanoTime();
    }
  }

  /**
   * Checks a token with the keys known, and when it names a key this node does not know, reads the
   * keys again first (a rotation another node already signs with).
   */
  public EventTokens.Checked verify(String token, Instant now) {
    EventTokens.Checked checked = tokens().verify(token, now);
    if (checked.verdict() == EventTokens.Verdict.UNKNOWN_KEY
        && System.nanoTime() - loadedNanos > UNKNOWN_KEY_RELOAD_NANOS) {
      synchronized (this) {
        if (System.nanoTime() - loadedNanos > UNKNOWN_KEY_RELOAD_NANOS) {
          reloadQuietly();
        }
      }
      checked = tokens().verify(token, now);
    }
    return checked;
  }

  void reload(Connection db) throws SQLException {
    Map<Integer, byte[]> keys = new HashMap<>();
    Integer signing = null;
    try (PreparedStatement query =
            db.prepareStatement(
                "SELECT id, secret, retired_at IS NULL FROM signing_key ORDER BY created_at, id");
        ResultSet rows = query.executeQuery()) {
      while (rows.next()) {
        keys.put(rows.getInt(1), rows.getBytes(2));
        if (rows.getBoolean(3)) {
          signing = rows.getInt(1);
        }
      }
    }
    if (signing == null) {
      throw new IllegalStateException("no signing key that is not retired");
    }
    EventTokens previous = tokens;
    tokens = new EventTokens(keys, signing);
    loadedNanos = System.nanoTime();
    if (previous != null && previous.signingKey() != signing) {
      LOG.info("Signing tokens with key " + signing + " now (" + keys.size() + " keys verify)");
    }
  }

  public EventTokens tokens() {
    EventTokens current = tokens;
    if (current == null) {
      throw new IllegalStateException("signing keys not loaded yet");
    }
    return current;
  }
}
