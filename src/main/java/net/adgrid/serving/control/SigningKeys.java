package net.adgrid.serving.control;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import javax.sql.DataSource;
import net.adgrid.platform.SchemaMigrations.SchemaReady;

/**
 * The cluster's token keys, from PostgreSQL: the first node to start makes one; every node reads
 * them all at start (before it reports ready) and again when told that they changed.
 */
@ApplicationScoped
public class SigningKeys {

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  private volatile EventTokens tokens;

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
    tokens = new EventTokens(keys, signing);
  }

  public EventTokens tokens() {
    EventTokens current = tokens;
    if (current == null) {
      throw new IllegalStateException("signing keys not loaded yet");
    }
    return current;
  }
}
