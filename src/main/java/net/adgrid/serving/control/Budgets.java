package net.adgrid.serving.control;

import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.adgrid.cluster.control.GridMembers;
import net.adgrid.platform.NodeIdentity;
import net.adgrid.platform.SchemaMigrations.SchemaReady;

/**
 * What this node may bill: blocks ("leases") of each campaign's impressions and clicks, taken from
 * the campaign's pools in PostgreSQL in one transaction that holds the pools' row locks and checks
 * every cap and the budget, spent here without asking anyone, and given back when the node has no
 * more use for them (idle, paused campaign, new day, shutdown). A lease lives 30 seconds and is
 * extended while the node lives; an expired lease of a dead or frozen node is closed by any node
 * and its unused units go back to the pools. The event writer bills an event only in the
 * transaction that raises the lease's {@code used}, and only while the lease is open and not
 * expired, so the cluster never bills beyond what the pools handed out, which never exceeds a cap.
 *
 * <p>Lease size adapts: about five seconds of this node's recent spend, at least one, at most a
 * fair share of what is left when little is.
 */
@ApplicationScoped
public class Budgets {

  private static final Logger LOG = Logger.getLogger(Budgets.class.getName());
  static final int LEASE_SECONDS = 30;
  static final long MAINTAIN_MILLIS = 200;
  static final long HEARTBEAT_NANOS = TimeUnit.SECONDS.toNanos(5);
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(5);
  static final long EMPTY_NANOS = TimeUnit.MILLISECONDS.toNanos(1000);
  static final double LEASE_FOR_SECONDS = 5;
  static final long MAX_LEASE = 10_000;

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @Resource ManagedScheduledExecutorService scheduler;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  @Inject net.adgrid.cluster.control.NodeMetrics metrics;
  @Inject NodeIdentity node;

  /** One block of units of one campaign and kind, as this node holds it. */
  public static final class Lease {
    final long id;
    final BigDecimal price;
    final LocalDate day;
    private long units;
    private long used;
    private long reserved;

    Lease(long id, BigDecimal price, LocalDate day, long units) {
      this.id = id;
      this.price = price;
      this.day = day;
      this.units = units;
    }

    synchronized long available() {
      return units - used - reserved;
    }

    synchronized boolean tryReserve() {
      if (units - used - reserved <= 0) {
        return false;
      }
      reserved++;
      return true;
    }

    synchronized void settle(int billed, int released, boolean lost) {
      reserved -= billed + released;
      used += billed;
      if (lost) {
        units = used;
      }
    }

    synchronized void grow(long more) {
      units += more;
    }

    synchronized boolean settled() {
      return reserved == 0;
    }

    public long id() {
      return id;
    }

    public BigDecimal price() {
      return price;
    }
  }

  /** A campaign's kind of unit on this node: the lease in use and what is known of the pool. */
  static final class Holding {
    final long campaignId;
    final char kind;
    Lease lease;
    ZoneId zone = ZoneId.of("UTC");
    boolean daily;
    volatile long emptyUntil;
    volatile long lastWanted;
    long lastUsed = System.nanoTime();
    volatile long poolLeft = Long.MAX_VALUE;
    // spend rate: units reserved in the current one-second window, and a smoothed rate
    long windowStart = System.nanoTime();
    long windowCount;
    double rate;

    Holding(long campaignId, char kind) {
      this.campaignId = campaignId;
      this.kind = kind;
    }

    synchronized long available() {
      return lease == null ? 0 : lease.available();
    }

    synchronized void tick(long now) {
      windowCount++;
      lastUsed = now;
      long elapsed = now - windowStart;
      if (elapsed >= TimeUnit.SECONDS.toNanos(1)) {
        double observed = windowCount / (elapsed / 1e9);
        rate = rate == 0 ? observed : 0.5 * rate + 0.5 * observed;
        windowStart = now;
        windowCount = 0;
      }
    }

    synchronized long want(long atLeast) {
      return Math.min(MAX_LEASE, Math.max(atLeast, (long) Math.ceil(rate * LEASE_FOR_SECONDS)));
    }
  }

  /** A unit set aside for one event, settled when the event's batch commits or fails. */
  public record Reservation(Lease lease) {}

  private final Map<String, Holding> holdings = new ConcurrentHashMap<>();
  private final List<Lease> retiring = new CopyOnWriteArrayList<>();
  private ScheduledFuture<?> maintenance;
  private volatile long lastHeartbeat = System.nanoTime();
  private volatile boolean stopped;

  void start(@Observes SchemaReady ready) {
    if (maintenance == null) {
      maintenance =
          scheduler.scheduleWithFixedDelay(
              this::maintainQuietly, MAINTAIN_MILLIS, MAINTAIN_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private Holding holding(long campaignId, char kind) {
    return holdings.computeIfAbsent(campaignId + ":" + kind, k -> new Holding(campaignId, kind));
  }

  // ------------------------------------------------------------------ decisions

  /**
   * Whether a decision may choose the campaign: this node holds units of every kind, or the pools
   * were not found empty in the last second. Never waits: a missing lease is fetched in the
   * background.
   */
  public boolean mayServe(long campaignId) {
    long now = System.nanoTime();
    for (char kind : new char[] {'I', 'C'}) {
      Holding h = holding(campaignId, kind);
      h.lastWanted = now;
      if (h.available() <= 0 && now < h.emptyUntil) {
        return false;
      }
    }
    return true;
  }

  /** What the pools held after this node's last lease (for pacing), or MAX_VALUE if unlimited. */
  public long left(long campaignId, char kind) {
    Holding h = holding(campaignId, kind);
    long pool = h.poolLeft;
    return pool == Long.MAX_VALUE ? pool : pool + Math.max(0, h.available());
  }

  // ------------------------------------------------------------------ the event writer

  /**
   * Makes sure this node holds at least {@code needed} units of the campaign's kind, taking a lease
   * now if it does not (called by the event writer before a batch, outside its transaction).
   */
  public void prepare(long campaignId, char kind, int needed) {
    Holding h = holding(campaignId, kind);
    h.lastWanted = System.nanoTime();
    synchronized (h) {
      rollDay(h);
      if (h.available() >= needed || System.nanoTime() < h.emptyUntil) {
        return;
      }
      acquire(h, h.want(needed - Math.max(0, h.available())));
    }
  }

  /** A unit for one event, or null when this node holds none (the event is not billed). */
  public Reservation reserve(long campaignId, char kind) {
    Holding h = holding(campaignId, kind);
    synchronized (h) {
      long now = System.nanoTime();
      h.tick(now);
      return h.lease != null && h.lease.tryReserve() ? new Reservation(h.lease) : null;
    }
  }

  /**
   * After the batch: {@code billed} units of the lease were committed as billed, {@code released}
   * were not used after all (replays, a failed batch). {@code lost} says the lease was found closed
   * or expired: nothing more is billed from it.
   */
  public void settle(Lease lease, int billed, int released, boolean lost) {
    lease.settle(billed, released, lost);
    if (lost) {
      for (Holding h : holdings.values()) {
        synchronized (h) {
          if (h.lease == lease) {
            h.lease = null;
          }
        }
      }
    }
  }

  // ------------------------------------------------------------------ leases in PostgreSQL

  private void rollDay(Holding h) {
    if (h.lease != null && h.daily && !h.lease.day.equals(LocalDate.now(h.zone))) {
      retiring.add(h.lease);
      h.lease = null;
      h.emptyUntil = 0;
    }
  }

  /** Takes up to {@code want} more units for the holding, in one transaction. */
  private void acquire(Holding h, long want) {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        Granted granted = grant(db, h, want);
        db.commit();
        apply(h, granted);
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    } catch (SQLException e) {
      LOG.log(Level.WARNING, "Could not lease units of campaign " + h.campaignId, e);
      h.emptyUntil = System.nanoTime() + EMPTY_NANOS;
    }
  }

  private record Granted(
      long units,
      long leaseId,
      boolean extended,
      BigDecimal price,
      LocalDate day,
      long left,
      ZoneId zone,
      boolean daily) {}

  private Granted grant(Connection db, Holding h, long want) throws SQLException {
    try (PreparedStatement pools =
        db.prepareStatement(
            "INSERT INTO campaign_pool (campaign_id, kind) SELECT ?, k FROM (VALUES ('I'), ('C')) v(k)"
                + " WHERE EXISTS (SELECT 1 FROM campaign WHERE id = ?) ON CONFLICT DO NOTHING")) {
      pools.setLong(1, h.campaignId);
      pools.setLong(2, h.campaignId);
      pools.executeUpdate();
    }
    // Both kinds' rows, always in the same order: the lock every lease change of the campaign
    // takes first.
    long leased = 0;
    BigDecimal spend = BigDecimal.ZERO;
    try (PreparedStatement lock =
        db.prepareStatement(
            "SELECT kind, units, spend FROM campaign_pool WHERE campaign_id = ? ORDER BY kind"
                + " FOR UPDATE")) {
      lock.setLong(1, h.campaignId);
      try (ResultSet rows = lock.executeQuery()) {
        while (rows.next()) {
          if (rows.getString(1).charAt(0) == h.kind) {
            leased = rows.getLong(2);
          }
          spend = spend.add(rows.getBigDecimal(3));
        }
      }
    }
    String status;
    Long cap;
    Long dailyCap;
    String pricing;
    BigDecimal rate;
    BigDecimal budget;
    ZoneId zone;
    boolean running;
    try (PreparedStatement campaign =
        db.prepareStatement(
            "SELECT c.status, c.impression_cap, c.click_cap, c.daily_impression_cap,"
                + " c.daily_click_cap, c.pricing, c.rate, c.budget, a.time_zone, a.disabled,"
                + " (c.starts_at <= now() AND (c.ends_at IS NULL OR c.ends_at > now()))"
                + " FROM campaign c JOIN account a ON a.id = c.account_id WHERE c.id = ?")) {
      campaign.setLong(1, h.campaignId);
      try (ResultSet row = campaign.executeQuery()) {
        if (!row.next()) {
          return new Granted(0, 0, false, BigDecimal.ZERO, null, 0, h.zone, false);
        }
        status = row.getString(1);
        cap = nullable(row, h.kind == 'I' ? 2 : 3);
        dailyCap = nullable(row, h.kind == 'I' ? 4 : 5);
        pricing = row.getString(6);
        rate = row.getBigDecimal(7);
        budget = row.getBigDecimal(8);
        zone = ZoneId.of(row.getString(9));
        running = "ACTIVE".equals(status) && !row.getBoolean(10) && row.getBoolean(11);
      }
    }
    LocalDate day = LocalDate.now(zone);
    long leasedToday = 0;
    if (dailyCap != null) {
      try (PreparedStatement dayPool =
          db.prepareStatement(
              "INSERT INTO campaign_day_pool (campaign_id, kind, day) VALUES (?, ?, ?)"
                  + " ON CONFLICT (campaign_id, kind, day) DO UPDATE SET units = campaign_day_pool.units"
                  + " RETURNING units")) {
        dayPool.setLong(1, h.campaignId);
        dayPool.setString(2, String.valueOf(h.kind));
        dayPool.setDate(3, Date.valueOf(day));
        try (ResultSet row = dayPool.executeQuery()) {
          row.next();
          leasedToday = row.getLong(1);
        }
      }
    }
    BigDecimal price = Grants.price(pricing, h.kind, rate);
    long before = Grants.left(cap, leased, dailyCap, leasedToday, price, budget, spend);
    long units = running ? Grants.grant(want, before, nodes()) : 0;
    long left = before == Long.MAX_VALUE ? before : before - units;
    if (units == 0) {
      return new Granted(0, 0, false, price, day, left, zone, dailyCap != null);
    }
    addToPools(
        db,
        h.campaignId,
        String.valueOf(h.kind),
        Date.valueOf(day),
        units,
        price.multiply(BigDecimal.valueOf(units)));
    Lease current = h.lease;
    if (current != null && current.price.compareTo(price) == 0 && current.day.equals(day)) {
      try (PreparedStatement extend =
          db.prepareStatement(
              "UPDATE budget_lease SET units = units + ?, expires_at = now() + make_interval(secs => ?)"
                  + " WHERE id = ? AND closed_at IS NULL AND expires_at > now()")) {
        extend.setLong(1, units);
        extend.setInt(2, LEASE_SECONDS);
        extend.setLong(3, current.id);
        if (extend.executeUpdate() == 1) {
          return new Granted(units, current.id, true, price, day, left, zone, dailyCap != null);
        }
      }
    }
    try (PreparedStatement insert =
        db.prepareStatement(
            "INSERT INTO budget_lease (campaign_id, kind, day, node, units, price, expires_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, now() + make_interval(secs => ?)) RETURNING id")) {
      insert.setLong(1, h.campaignId);
      insert.setString(2, String.valueOf(h.kind));
      insert.setDate(3, Date.valueOf(day));
      insert.setString(4, node.name());
      insert.setLong(5, units);
      insert.setBigDecimal(6, price);
      insert.setInt(7, LEASE_SECONDS);
      try (ResultSet row = insert.executeQuery()) {
        row.next();
        return new Granted(units, row.getLong(1), false, price, day, left, zone, dailyCap != null);
      }
    }
  }

  private void apply(Holding h, Granted granted) {
    synchronized (h) {
      h.zone = granted.zone();
      h.daily = granted.daily();
      h.poolLeft = granted.left();
      if (granted.units() == 0) {
        h.emptyUntil = System.nanoTime() + EMPTY_NANOS;
        return;
      }
      h.emptyUntil = 0;
      metrics.lease(granted.extended() ? "extended" : "granted");
      if (granted.extended()) {
        h.lease.grow(granted.units());
      } else {
        if (h.lease != null) {
          retiring.add(h.lease);
        }
        h.lease = new Lease(granted.leaseId(), granted.price(), granted.day(), granted.units());
      }
    }
  }

  private static Long nullable(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  /**
   * Nodes in the grid now (at least 1; lite members serve nothing): they share a campaign's pace
   * and its last units.
   */
  public int nodes() {
    try {
      return Math.max(1, GridMembers.nodes(grid.getCluster()).size());
    } catch (RuntimeException e) {
      return 1;
    }
  }

  /**
   * Closes a lease and gives what it did not use back to the pools; the pools' rows are locked
   * first, as when leasing, so that the two never wait on each other.
   */
  static boolean close(Connection db, long leaseId, boolean onlyIfExpired) throws SQLException {
    long campaignId;
    try (PreparedStatement find =
        db.prepareStatement("SELECT campaign_id FROM budget_lease WHERE id = ?")) {
      find.setLong(1, leaseId);
      try (ResultSet row = find.executeQuery()) {
        if (!row.next()) {
          return false;
        }
        campaignId = row.getLong(1);
      }
    }
    try (PreparedStatement lock =
        db.prepareStatement(
            "SELECT 1 FROM campaign_pool WHERE campaign_id = ? ORDER BY kind FOR UPDATE")) {
      lock.setLong(1, campaignId);
      lock.executeQuery().close();
    }
    try (PreparedStatement closing =
        db.prepareStatement(
            "UPDATE budget_lease SET closed_at = now() WHERE id = ? AND closed_at IS NULL"
                + (onlyIfExpired ? " AND expires_at < now()" : "")
                + " RETURNING kind, day, units - used, price")) {
      closing.setLong(1, leaseId);
      try (ResultSet row = closing.executeQuery()) {
        if (!row.next()) {
          return false;
        }
        String kind = row.getString(1);
        Date day = row.getDate(2);
        long unused = row.getLong(3);
        BigDecimal price = row.getBigDecimal(4);
        addToPools(db, campaignId, kind, day, -unused, price.multiply(BigDecimal.valueOf(-unused)));
        return true;
      }
    }
  }

  /**
   * Moves units (and their money) into the campaign's pools of a kind, or back out of them when
   * negative; the day's pool only if the campaign has one for that day (a daily cap).
   */
  private static void addToPools(
      Connection db, long campaignId, String kind, Date day, long units, BigDecimal money)
      throws SQLException {
    try (PreparedStatement pool =
        db.prepareStatement(
            "UPDATE campaign_pool SET units = units + ?, spend = spend + ?"
                + " WHERE campaign_id = ? AND kind = ?")) {
      pool.setLong(1, units);
      pool.setBigDecimal(2, money);
      pool.setLong(3, campaignId);
      pool.setString(4, kind);
      pool.executeUpdate();
    }
    try (PreparedStatement dayPool =
        db.prepareStatement(
            "UPDATE campaign_day_pool SET units = units + ?"
                + " WHERE campaign_id = ? AND kind = ? AND day = ?")) {
      dayPool.setLong(1, units);
      dayPool.setLong(2, campaignId);
      dayPool.setString(3, kind);
      dayPool.setDate(4, day);
      dayPool.executeUpdate();
    }
  }

  private void closeInTransaction(long leaseId, boolean onlyIfExpired) throws SQLException {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        boolean closed = close(db, leaseId, onlyIfExpired);
        db.commit();
        if (closed) {
          metrics.lease(onlyIfExpired ? "expired" : "closed");
        }
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    }
  }

  // ------------------------------------------------------------------ upkeep

  private void maintainQuietly() {
    try {
      maintain();
    } catch (SQLException | RuntimeException e) {
      LOG.log(Level.WARNING, "Budget lease upkeep failed; trying again", e);
    }
  }

  void maintain() throws SQLException {
    if (stopped) {
      return;
    }
    long now = System.nanoTime();
    for (Holding h : holdings.values()) {
      synchronized (h) {
        rollDay(h);
        boolean wanted = now - h.lastWanted < IDLE_NANOS || now - h.lastUsed < IDLE_NANOS;
        if (wanted && now >= h.emptyUntil && h.available() < Math.max(1, h.rate * 2)) {
          acquire(h, h.want(1));
        } else if (!wanted && h.lease != null) {
          // Idle here: give the rest back, so that other nodes can spend it.
          retiring.add(h.lease);
          h.lease = null;
        }
      }
    }
    for (Lease lease : retiring) {
      if (lease.settled()) {
        closeInTransaction(lease.id, false);
        retiring.remove(lease);
      }
    }
    if (now - lastHeartbeat >= HEARTBEAT_NANOS) {
      lastHeartbeat = now;
      heartbeat();
      reclaimExpired();
    }
  }

  /** Extends this node's open leases; a lease found expired or closed is given up. */
  private void heartbeat() throws SQLException {
    List<Lease> held = new ArrayList<>();
    for (Holding h : holdings.values()) {
      synchronized (h) {
        if (h.lease != null) {
          held.add(h.lease);
        }
      }
    }
    if (held.isEmpty()) {
      return;
    }
    Set<Long> alive = new HashSet<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement extend =
            db.prepareStatement(
                // Rows locked in id order, the order the event writer locks them in: one
                // UPDATE over several ids locks them in the table's physical order, and that
                // deadlocked against the writer under the bench's load.
                "UPDATE budget_lease SET expires_at = now() + make_interval(secs => ?)"
                    + " WHERE id IN (SELECT id FROM budget_lease WHERE id = ANY (?)"
                    + " AND closed_at IS NULL AND expires_at > now() ORDER BY id FOR UPDATE)"
                    + " RETURNING id")) {
      Array ids = db.createArrayOf("bigint", held.stream().map(l -> l.id).toArray());
      extend.setInt(1, LEASE_SECONDS);
      extend.setArray(2, ids);
      try (ResultSet rows = extend.executeQuery()) {
        while (rows.next()) {
          alive.add(rows.getLong(1));
        }
      }
    }
    for (Lease lease : held) {
      if (!alive.contains(lease.id)) {
        LOG.warning("Budget lease " + lease.id + " expired before it was extended; given up");
        settle(lease, 0, 0, true);
      }
    }
  }

  /** Any node: leases that expired (their node died or froze) are closed, units returned. */
  private void reclaimExpired() throws SQLException {
    List<Long> expired = new ArrayList<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT id FROM budget_lease WHERE closed_at IS NULL AND expires_at < now()"
                    + " ORDER BY id LIMIT 100")) {
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          expired.add(rows.getLong(1));
        }
      }
    }
    for (long id : expired) {
      closeInTransaction(id, true);
    }
  }

  /** At shutdown, after the event writer has drained: every lease goes back to the pools. */
  public void closeAll() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (maintenance != null) {
      maintenance.cancel(false);
    }
    List<Lease> leases = new ArrayList<>(retiring);
    for (Holding h : holdings.values()) {
      synchronized (h) {
        if (h.lease != null) {
          leases.add(h.lease);
          h.lease = null;
        }
      }
    }
    for (Lease lease : leases) {
      try {
        closeInTransaction(lease.id, false);
      } catch (SQLException | RuntimeException e) {
        LOG.log(Level.WARNING, "Could not return lease " + lease.id + "; it expires by itself", e);
      }
    }
  }

  @PreDestroy
  void stop() {
    closeAll();
  }
}
