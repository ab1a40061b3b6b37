package net.adgrid.serving.control;

import com.hazelcast.core.HazelcastInstance;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.adgrid.platform.NodeIdentity;
import net.adgrid.platform.SchemaMigrations.SchemaReady;
import net.adgrid.serving.control.Budgets.Lease;
import net.adgrid.serving.control.Budgets.Reservation;
import net.adgrid.serving.control.EventTokens.Claims;
import net.adgrid.serving.control.EventTokens.Kind;

/**
 * The node's event writer (group commit). A tracking request hands its event over and waits; the
 * writer takes everything that arrived while the previous batch was committing, decides each
 * event's validity (replays, clicks without or too soon after their impression, cluster-wide rate
 * limits) and billing (from this node's budget leases), writes the batch in one transaction with
 * one INSERT, and only then completes the requests. An acknowledged event is committed; a batch
 * that fails fails every request in it (an error, never a silent drop), and the queue is bounded:
 * when it is full, a request is refused at once.
 *
 * <p>When PostgreSQL does not answer, requests are refused at once too (a 503 the client can retry,
 * not a wait of seconds that ends the same way): while the batch being written has taken longer
 * than {@link #STALLED_MILLIS} (the events queued behind it are refused with them), and for {@link
 * #RESTING_MILLIS} after a batch failed. Only the stuck batch's own requests wait for its outcome.
 */
@ApplicationScoped
public class EventWriter {

  private static final Logger LOG = Logger.getLogger(EventWriter.class.getName());

  /** An event as the tracking endpoint saw it: a verified token, when, from where, first rules. */
  public record Tracked(Claims claims, Instant at, String address, String screened) {}

  /** What became of it: the stored reason (OK when valid) and whether it was billed. */
  public record Outcome(String reason, boolean billed) {}

  /** The queue is full, or the node is stopping: try again soon (or elsewhere). */
  public static final class Overloaded extends RuntimeException {
    Overloaded(String message) {
      super(message, null, false, false);
    }
  }

  private record Pending(Tracked event, CompletableFuture<Outcome> done) {}

  static final int ANSWER_THREADS = 2;

  /** A batch writing longer than this: the database is not answering, new events are refused. */
  static final long STALLED_MILLIS = 2_000;

  /** After a failed batch, new events are refused this long (the next one tries again). */
  static final long RESTING_MILLIS = 500;

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @Resource ManagedThreadFactory threads;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  @Inject NodeIdentity node;
  @Inject Budgets budgets;
  @Inject GridCounters counters;
  @Inject net.adgrid.stats.control.LiveCounters live;
  @Inject net.adgrid.cluster.control.NodeMetrics metrics;

  private final ServingSettings settings = ServingSettings.fromEnvironment();
  private final TrafficRules rules =
      TrafficRules.standard(settings.blockedNetworks(), settings.minClickDelay());
  private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(settings.eventQueue());
  private volatile boolean accepting;
  private volatile boolean running;

  /** When the batch being written began (System.nanoTime()), 0 between batches. */
  private volatile long writingSince;

  /** Until when (System.nanoTime()) new events are refused after a failed batch. */
  private volatile long restingUntil = System.nanoTime();

  private Thread thread;

  /**
   * Answers the requests of a committed batch, so that the writer goes on to the next batch at
   * once: writing the answers on the writer's own thread was 14% of its time under load.
   */
  private java.util.concurrent.ExecutorService answers;

  void start(@Observes SchemaReady ready) {
    if (thread == null) {
      try {
        // Before the first event: the live figures go on from this node's own stored events.
        live.seed();
      } catch (java.sql.SQLException | RuntimeException e) {
        LOG.log(Level.SEVERE, "Could not read this node's live figures of the day", e);
      }
      running = true;
      accepting = true;
      answers = java.util.concurrent.Executors.newFixedThreadPool(ANSWER_THREADS, threads);
      metrics.gauge(
          "adgrid_writer_queue_depth", "Events waiting for this node's event writer", queue::size);
      thread = threads.newThread(this::run);
      thread.setName("adgrid-event-writer");
      thread.start();
    }
  }

  public TrafficRules rules() {
    return rules;
  }

  /** Hands an event to the writer; the future completes when its batch has committed. */
  public CompletableFuture<Outcome> submit(Tracked event) {
    CompletableFuture<Outcome> done = new CompletableFuture<>();
    long now = System.nanoTime();
    long since = writingSince;
    if (!accepting) {
      metrics.rejected("stopping");
      done.completeExceptionally(new Overloaded("this node is not recording events now"));
    } else if (since != 0 && now - since > TimeUnit.MILLISECONDS.toNanos(STALLED_MILLIS)
        || now - restingUntil < 0) {
      metrics.rejected("database");
      done.completeExceptionally(new Overloaded("the database does not answer"));
      // The events queued behind the stuck batch are not written either: refused now, not
      // after their wait runs out (the stuck batch's own requests wait for its outcome).
      List<Pending> queued = new ArrayList<>();
      queue.drainTo(queued);
      if (!queued.isEmpty()) {
        metrics.rejected("database", queued.size());
        queued.forEach(
            p -> p.done().completeExceptionally(new Overloaded("the database does not answer")));
      }
    } else if (!queue.offer(new Pending(event, done))) {
      metrics.rejected("queue_full");
      done.completeExceptionally(new Overloaded("this node's event queue is full"));
    }
    return done;
  }

  private void run() {
    List<Pending> batch = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, settings.batchSize() - 1);
        writingSince = System.nanoTime() | 1; // never 0 while writing
        try {
          write(batch);
        } finally {
          writingSince = 0;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      } catch (RuntimeException e) {
        LOG.log(Level.SEVERE, "Event writer: unexpected failure", e);
      } finally {
        batch.clear();
      }
    }
  }

  /** One row to be inserted, with what was decided for it. */
  private static final class Row {
    final Pending pending;
    final Claims claims;
    String reason;
    Reservation reservation;
    boolean duplicateInBatch;

    /** It occurred in an hour that is sealed for this writer (see {@link #sealedBefore}). */
    boolean late;

    Row(Pending pending) {
      this.pending = pending;
      this.claims = pending.event().claims();
      this.reason = pending.event().screened();
    }

    String key() {
      return claims.decidedAt().getEpochSecond() + "/" + claims.eventId() + "/" + claims.kind();
    }

    boolean billable() {
      return claims.kind() != Kind.VIEWABLE;
    }
  }

  private void write(List<Pending> batch) {
    List<Row> rows = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      rows.add(new Row(p));
    }
    List<Row> late;
    long started = System.nanoTime();
    try {
      decide(rows);
      late = persist(rows);
      metrics.batch(rows.size(), java.time.Duration.ofNanos(System.nanoTime() - started));
    } catch (SQLException | RuntimeException e) {
      for (Row row : rows) {
        if (row.reservation != null) {
          budgets.settle(row.reservation.lease(), 0, 1, false);
        }
        row.pending.done().completeExceptionally(e);
      }
      restingUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RESTING_MILLIS);
      LOG.log(Level.WARNING, "Could not record " + rows.size() + " events: " + e.getMessage());
      return;
    }
    if (!late.isEmpty()) {
      metrics.rejected("late", late.size());
      rows.removeAll(late);
      for (Row row : late) {
        if (row.reservation != null) {
          budgets.settle(row.reservation.lease(), 0, 1, false);
        }
        row.pending.done().completeExceptionally(new Overloaded("this event came too late"));
      }
      LOG.warning(
          late.size()
              + " events were refused: they occurred (by this node's clock) in an hour whose"
              + " rollup is final. Is this node's clock behind the database's?");
    }
    answer(rows);
    countStored(rows);
    countLive(rows);
    countUniques(rows);
  }

  /** The committed batch, into this node's metrics. */
  private void countStored(List<Row> rows) {
    // Slot: kind (I, C, V) × valid × billed (a row keeps its reservation only if billed).
    long[] counts = new long[12];
    for (Row row : rows) {
      int kind = row.claims.kind().ordinal();
      boolean valid = row.reason.equals(TrafficRules.OK);
      counts[kind * 4 + (valid ? 2 : 0) + (row.reservation != null ? 1 : 0)]++;
    }
    for (int slot = 0; slot < counts.length; slot++) {
      if (counts[slot] > 0) {
        char kind = kindCode(Kind.values()[slot / 4]);
        metrics.stored(kind, (slot & 2) != 0, (slot & 1) != 0, counts[slot]);
      }
    }
  }

  /** The committed batch, into this node's live figures. */
  private void countLive(List<Row> rows) {
    List<net.adgrid.stats.control.LiveCounters.Recorded> recorded = new ArrayList<>(rows.size());
    for (Row row : rows) {
      Claims c = row.claims;
      recorded.add(
          new net.adgrid.stats.control.LiveCounters.Recorded(
              c.campaignId(),
              c.creativeId(),
              c.zoneId(),
              kindCode(c.kind()),
              row.reason,
              // After the commit a row keeps its reservation only if it was billed.
              row.reservation == null ? null : row.reservation.lease().price()));
    }
    live.record(recorded);
  }

  /** Completes the batch's requests, in slices on the answer threads (here if they refuse). */
  private void answer(List<Row> rows) {
    int slice = Math.max(1, (rows.size() + ANSWER_THREADS - 1) / ANSWER_THREADS);
    for (int from = 0; from < rows.size(); from += slice) {
      List<Row> part = rows.subList(from, Math.min(rows.size(), from + slice));
      Runnable complete =
          () -> {
            for (Row row : part) {
              row.pending.done().complete(new Outcome(row.reason, row.reservation != null));
            }
          };
      try {
        answers.execute(complete);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        complete.run();
      }
    }
  }

  /** Validity and billing, before the transaction. */
  private void decide(List<Row> rows) throws SQLException {
    Set<String> seen = new HashSet<>();
    for (Row row : rows) {
      if (!seen.add(row.key())) {
        row.duplicateInBatch = true;
        row.reason = TrafficRules.REPLAY;
      }
    }
    applyRateLimits(rows);
    applyImpressionRules(rows);
    Map<String, Integer> needed = new LinkedHashMap<>();
    for (Row row : rows) {
      if (row.reason.equals(TrafficRules.OK) && row.billable()) {
        needed.merge(row.claims.campaignId() + ":" + kindCode(row.claims.kind()), 1, Integer::sum);
      }
    }
    for (Map.Entry<String, Integer> need : needed.entrySet()) {
      String[] parts = need.getKey().split(":");
      budgets.prepare(Long.parseLong(parts[0]), parts[1].charAt(0), need.getValue());
    }
    for (Row row : rows) {
      if (row.reason.equals(TrafficRules.OK) && row.billable()) {
        row.reservation = budgets.reserve(row.claims.campaignId(), kindCode(row.claims.kind()));
        if (row.reservation == null) {
          row.reason = TrafficRules.OVER_CAP;
        }
      }
    }
  }

  /** Per-address and per-visitor limits per minute, counted across the cluster in the grid. */
  private void applyRateLimits(List<Row> rows) {
    long minute = Instant.now().getEpochSecond() / 60;
    Map<String, List<Row>> byKey = new LinkedHashMap<>();
    for (Row row : rows) {
      if (!row.reason.equals(TrafficRules.OK) || row.claims.kind() == Kind.VIEWABLE) {
        continue;
      }
      String kind = row.claims.kind() == Kind.CLICK ? "c" : "i";
      if (row.pending.event().address() != null && limit("ip", kind) > 0) {
        byKey
            .computeIfAbsent(
                "ip:" + kind + ":" + row.pending.event().address(), k -> new ArrayList<>())
            .add(row);
      }
      if (limit("visitor", kind) > 0) {
        byKey
            .computeIfAbsent("v:" + kind + ":" + row.claims.visitor(), k -> new ArrayList<>())
            .add(row);
      }
    }
    Map<String, Long> increments = new HashMap<>();
    byKey.forEach((key, counted) -> increments.put(key, (long) counted.size()));
    Map<String, Long> counts = counters.addToMinute(increments, minute);
    for (Map.Entry<String, List<Row>> entry : byKey.entrySet()) {
      String[] parts = entry.getKey().split(":", 3);
      long limit = limit(parts[0].equals("ip") ? "ip" : "visitor", parts[1]);
      List<Row> counted = entry.getValue();
      long before = counts.get(entry.getKey());
      for (int i = 0; i < counted.size(); i++) {
        if (before + i + 1 > limit && counted.get(i).reason.equals(TrafficRules.OK)) {
          counted.get(i).reason =
              parts[0].equals("ip") ? TrafficRules.RATE_IP : TrafficRules.RATE_VISITOR;
        }
      }
    }
  }

  private long limit(String who, String kind) {
    if (who.equals("ip")) {
      return kind.equals("c") ? settings.ipClicksPerMinute() : settings.ipImpressionsPerMinute();
    }
    return kind.equals("c")
        ? settings.visitorClicksPerMinute()
        : settings.visitorImpressionsPerMinute();
  }

  /** Clicks and viewable events need their recorded impression; a click must not come too soon. */
  private void applyImpressionRules(List<Row> rows) throws SQLException {
    List<Row> following = new ArrayList<>();
    for (Row row : rows) {
      if (row.claims.kind() != Kind.IMPRESSION && row.reason.equals(TrafficRules.OK)) {
        following.add(row);
      }
    }
    if (following.isEmpty()) {
      return;
    }
    Map<UUID, Instant> impressions = new HashMap<>();
    for (Row row : rows) {
      if (row.claims.kind() == Kind.IMPRESSION && !row.duplicateInBatch) {
        impressions.putIfAbsent(row.claims.eventId(), row.pending.event().at());
      }
    }
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT e.event_id, e.occurred_at FROM event e"
                    + " JOIN unnest(?::timestamptz[], ?::uuid[]) AS t(d, id)"
                    + " ON e.decided_at = t.d AND e.event_id = t.id"
                    + " WHERE e.kind = 'I' AND e.reason <> 'REPLAY'")) {
      query.setArray(
          1,
          db.createArrayOf(
              "text", following.stream().map(r -> r.claims.decidedAt().toString()).toArray()));
      query.setArray(
          2,
          db.createArrayOf(
              "text", following.stream().map(r -> r.claims.eventId().toString()).toArray()));
      try (ResultSet found = query.executeQuery()) {
        while (found.next()) {
          impressions.putIfAbsent(
              found.getObject(1, UUID.class), found.getTimestamp(2).toInstant());
        }
      }
    }
    for (Row row : following) {
      row.reason =
          rules.afterImpression(
              row.claims.kind(), impressions.get(row.claims.eventId()), row.pending.event().at());
    }
  }

  private static final String INSERT =
      "INSERT INTO event (decided_at, event_id, kind, occurred_at, campaign_id, creative_id,"
          + " zone_id, visitor, reason, billed, cost, lease_id, node, client_ip)"
          + " SELECT d::timestamptz, e::uuid, k, o::timestamptz, c, cr, z, v, r, b, m::numeric, l,"
          + " ?, ip::inet"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[],"
          + " ?::bigint[], ?::bigint[], ?::text[], ?::boolean[], ?::text[], ?::bigint[], ?::text[])"
          + " AS t(d, e, k, o, c, cr, z, v, r, b, m, l, ip)";

  /**
   * Writes the batch in one transaction; returns the rows left out because they occurred before
   * this writer's seal (they are not stored, their requests must fail).
   */
  private List<Row> persist(List<Row> rows) throws SQLException {
    try (Connection db = dataSource.getConnection()) {
      db.setAutoCommit(false);
      try {
        // 0. This writer's seal, held FOR SHARE until the commit: the rollup job seals an hour
        // by raising it, which waits for this batch; an event of a sealed hour is refused.
        Instant sealed = sealedBefore(db);
        List<Row> late = new ArrayList<>();
        for (Row row : rows) {
          if (row.pending.event().at().isBefore(sealed)) {
            row.late = true;
            late.add(row);
          }
        }
        // 1. Bill from the leases: only an open, unexpired lease with room takes the events.
        Map<Lease, List<Row>> byLease = new TreeMap<>((a, b) -> Long.compare(a.id(), b.id()));
        for (Row row : rows) {
          if (row.reservation != null && !row.late) {
            byLease.computeIfAbsent(row.reservation.lease(), l -> new ArrayList<>()).add(row);
          }
        }
        Set<Lease> lost = new HashSet<>();
        try (PreparedStatement use =
            db.prepareStatement(
                "UPDATE budget_lease SET used = used + ? WHERE id = ? AND closed_at IS NULL"
                    + " AND expires_at > now() AND used + ? <= units")) {
          for (Map.Entry<Lease, List<Row>> entry : byLease.entrySet()) {
            int n = entry.getValue().size();
            use.setInt(1, n);
            use.setLong(2, entry.getKey().id());
            use.setInt(3, n);
            if (use.executeUpdate() == 0) {
              lost.add(entry.getKey());
              for (Row row : entry.getValue()) {
                row.reason = TrafficRules.LEASE_LOST;
              }
            }
          }
        }
        // 2. Every event not repeated within the batch, in one statement; a token that was
        // already stored conflicts with its first row and is left out here.
        // In key order: two nodes inserting the same tokens then wait on each other in one
        // order, never in a cycle.
        List<Row> first =
            rows.stream()
                .filter(r -> !r.duplicateInBatch && !r.late)
                .sorted(java.util.Comparator.comparing(Row::key))
                .toList();
        Set<String> inserted = new HashSet<>();
        try (PreparedStatement insert =
            db.prepareStatement(
                INSERT
                    + " ON CONFLICT (decided_at, event_id, kind) WHERE reason <> 'REPLAY'"
                    + " DO NOTHING RETURNING event_id, kind")) {
          bind(db, insert, first, lost);
          try (ResultSet keys = insert.executeQuery()) {
            while (keys.next()) {
              inserted.add(keys.getString(1) + "/" + keys.getString(2));
            }
          }
        }
        // 3. Replays: stored as such, never billed; what they had reserved goes back.
        List<Row> replays = new ArrayList<>();
        Map<Lease, Integer> unbill = new HashMap<>();
        for (Row row : rows) {
          if (row.late) {
            continue;
          }
          boolean stored =
              !row.duplicateInBatch
                  && inserted.contains(row.claims.eventId() + "/" + kindCode(row.claims.kind()));
          if (!stored) {
            if (row.reservation != null && !lost.contains(row.reservation.lease())) {
              unbill.merge(row.reservation.lease(), 1, Integer::sum);
            }
            row.reason = TrafficRules.REPLAY;
            replays.add(row);
          }
        }
        if (!replays.isEmpty()) {
          try (PreparedStatement insert = db.prepareStatement(INSERT)) {
            bind(db, insert, replays, null);
            insert.executeUpdate();
          }
          try (PreparedStatement giveBack =
              db.prepareStatement("UPDATE budget_lease SET used = used - ? WHERE id = ?")) {
            for (Map.Entry<Lease, Integer> entry : unbill.entrySet()) {
              giveBack.setInt(1, entry.getValue());
              giveBack.setLong(2, entry.getKey().id());
              giveBack.executeUpdate();
            }
          }
        }
        db.commit();
        // 4. Settle the reservations now that the outcome is durable.
        for (Row row : rows) {
          if (row.reservation == null || row.late) {
            continue;
          }
          Lease lease = row.reservation.lease();
          if (lost.contains(lease)) {
            budgets.settle(lease, 0, 1, true);
            row.reservation = null;
          } else if (row.reason.equals(TrafficRules.REPLAY)) {
            budgets.settle(lease, 0, 1, false);
            row.reservation = null;
          } else {
            budgets.settle(lease, 1, 0, false);
          }
        }
        return late;
      } catch (SQLException | RuntimeException e) {
        db.rollback();
        throw e;
      } finally {
        db.setAutoCommit(true);
      }
    }
  }

  /**
   * This writer's seal, locked FOR SHARE in the batch's transaction. A writer seen for the first
   * time is registered where the others are sealed (it cannot have written into those hours).
   */
  private Instant sealedBefore(Connection db) throws SQLException {
    for (int attempt = 0; attempt < 2; attempt++) {
      try (PreparedStatement query =
          db.prepareStatement("SELECT sealed_before FROM event_writer WHERE node = ? FOR SHARE")) {
        query.setString(1, node.name());
        try (ResultSet found = query.executeQuery()) {
          if (found.next()) {
            Timestamp sealed = found.getTimestamp(1);
            // -infinity reads as a far-past timestamp
            return sealed == null ? Instant.MIN : sealed.toInstant();
          }
        }
      }
      try (PreparedStatement register =
          db.prepareStatement(
              "INSERT INTO event_writer (node, sealed_before)"
                  + " SELECT ?, coalesce(max(sealed_before), '-infinity') FROM event_writer"
                  + " ON CONFLICT (node) DO NOTHING")) {
        register.setString(1, node.name());
        register.executeUpdate();
      }
    }
    throw new SQLException("cannot register this node as an event writer");
  }

  /** Binds the rows; {@code lost} null means none of them is billed (replays). */
  private void bind(Connection db, PreparedStatement insert, List<Row> rows, Set<Lease> lost)
      throws SQLException {
    int n = rows.size();
    Object[] decided = new Object[n];
    Object[] ids = new Object[n];
    Object[] kinds = new Object[n];
    Object[] occurred = new Object[n];
    Object[] campaigns = new Object[n];
    Object[] creatives = new Object[n];
    Object[] zones = new Object[n];
    Object[] visitors = new Object[n];
    Object[] reasons = new Object[n];
    Object[] billed = new Object[n];
    Object[] costs = new Object[n];
    Object[] leases = new Object[n];
    Object[] addresses = new Object[n];
    for (int i = 0; i < n; i++) {
      Row row = rows.get(i);
      Claims c = row.claims;
      boolean bills =
          lost != null && row.reservation != null && !lost.contains(row.reservation.lease());
      decided[i] = c.decidedAt().toString();
      ids[i] = c.eventId().toString();
      kinds[i] = String.valueOf(kindCode(c.kind()));
      occurred[i] = row.pending.event().at().toString();
      campaigns[i] = c.campaignId();
      creatives[i] = c.creativeId();
      zones[i] = c.zoneId();
      visitors[i] = c.visitor();
      reasons[i] = row.reason;
      billed[i] = bills;
      costs[i] = bills ? row.reservation.lease().price().toPlainString() : "0";
      leases[i] = bills ? row.reservation.lease().id() : null;
      addresses[i] = row.pending.event().address();
    }
    insert.setString(1, node.name());
    insert.setArray(2, db.createArrayOf("text", decided));
    insert.setArray(3, db.createArrayOf("text", ids));
    insert.setArray(4, db.createArrayOf("text", kinds));
    insert.setArray(5, db.createArrayOf("text", occurred));
    insert.setArray(6, db.createArrayOf("bigint", campaigns));
    insert.setArray(7, db.createArrayOf("bigint", creatives));
    insert.setArray(8, db.createArrayOf("bigint", zones));
    insert.setArray(9, db.createArrayOf("bigint", visitors));
    insert.setArray(10, db.createArrayOf("text", reasons));
    insert.setArray(11, db.createArrayOf("boolean", billed));
    insert.setArray(12, db.createArrayOf("text", costs));
    insert.setArray(13, db.createArrayOf("bigint", leases));
    insert.setArray(14, db.createArrayOf("text", addresses));
  }

  /** Unique visitors per campaign and UTC day, in the grid's cardinality estimators. */
  private void countUniques(List<Row> rows) {
    try {
      Map<Map.Entry<Long, LocalDate>, Set<Long>> visitors = new HashMap<>();
      for (Row row : rows) {
        if (row.claims.kind() == Kind.IMPRESSION && row.reason.equals(TrafficRules.OK)) {
          LocalDate day = LocalDate.ofInstant(row.pending.event().at(), ZoneOffset.UTC);
          visitors
              .computeIfAbsent(Map.entry(row.claims.campaignId(), day), k -> new HashSet<>())
              .add(row.claims.visitor());
        }
      }
      for (var entry : visitors.entrySet()) {
        var estimator = live.estimator(entry.getKey().getKey(), entry.getKey().getValue());
        for (long visitor : entry.getValue()) {
          estimator.addAsync(visitor);
        }
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Could not count unique visitors", e);
    }
  }

  static char kindCode(Kind kind) {
    return switch (kind) {
      case IMPRESSION -> 'I';
      case CLICK -> 'C';
      case VIEWABLE -> 'V';
    };
  }

  /**
   * At shutdown: refuse new events, write what is queued, then give the budget leases back. The
   * balancer has stopped sending this node traffic before it is stopped (rolling restarts drain).
   */
  @PreDestroy
  void stop() {
    accepting = false;
    running = false;
    if (thread != null) {
      try {
        thread.join(TimeUnit.SECONDS.toMillis(20));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (answers != null) {
      answers.shutdown();
      try {
        answers.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    Pending left;
    while ((left = queue.poll()) != null) {
      left.done().completeExceptionally(new Overloaded("this node stopped"));
    }
    budgets.closeAll();
  }
}
