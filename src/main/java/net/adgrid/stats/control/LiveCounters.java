package net.adgrid.stats.control;

import com.hazelcast.cardinality.CardinalityEstimator;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import net.adgrid.cluster.control.GridObjects;
import net.adgrid.platform.NodeIdentity;

/**
 * Live figures of the UTC day, cluster-wide, from memory.
 *
 * <p>Each node counts the events its writer committed (so a figure is never ahead of the database)
 * per campaign × creative × zone, and publishes its own counts to the grid every half second, under
 * its name. Whoever reads merges every node's latest counts of the day (at most two grid reads a
 * second per node, however many read), so a figure is about a second behind an event, whichever
 * node recorded it. A node that starts reads its own counts of the day from the {@code event} table
 * (events carry the name of the node that wrote them) before its writer takes any event: a
 * restarted node goes on from where it stood, and no event is counted twice. The counts of a node
 * that is gone stay in the grid until the day ends.
 *
 * <p>Unique visitors come from the grid's cardinality estimators, per campaign (estimates cannot be
 * added up across campaigns).
 */
@ApplicationScoped
public class LiveCounters {

  private static final Logger LOG = Logger.getLogger(LiveCounters.class.getName());
  static final String MAP = "adgrid.live";
  static final long PUBLISH_MILLIS = 500;
  static final long READ_MILLIS = 500;
  public static final int SERIES_SECONDS = 10;
  static final int SERIES_POINTS = 60;
  private static final int FORMAT = 1;

  /** What figures are kept under. */
  public record Key(long campaign, long creative, long zone) {}

  /** One committed event as the writer hands it over. */
  public record Recorded(
      long campaign, long creative, long zone, char kind, String reason, BigDecimal cost) {}

  /** The cluster's figures of the day as merged at {@code asOf}. */
  public record View(
      LocalDate day,
      Instant asOf,
      Map<Key, Tally> tallies,
      Map<String, Tally> nodes,
      Map<Long, Long> uniques,
      List<Sample> samples) {}

  /** The merged figures at one moment, for the series: per key, as of then. */
  public record Sample(Instant at, Map<Key, Tally> tallies) {}

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  @Resource ManagedScheduledExecutorService scheduler;

  @Inject NodeIdentity node;

  private LocalDate day = today();
  private final Map<Key, Tally> own = new HashMap<>();
  private boolean changed = true;
  private volatile IMap<String, byte[]> map;
  private ScheduledFuture<?> publisher;
  private ScheduledFuture<?> watcher;
  private volatile View view;
  private final Deque<Sample> samples = new ArrayDeque<>();
  private volatile boolean failing;
  private long mergeWarnedAt;
  private volatile long attemptedAt;

  private static LocalDate today() {
    return LocalDate.now(ZoneOffset.UTC);
  }

  /**
   * This node's counts of the day so far, from the database; called by the writer before it takes
   * its first event. Then publishing starts.
   */
  public void seed() throws SQLException {
    try {
      seedFromEvents();
    } finally {
      // Not before: an empty snapshot would hide this node's earlier counts for a moment.
      if (publisher == null) {
        publisher =
            scheduler.scheduleWithFixedDelay(
                this::publishQuietly, 0, PUBLISH_MILLIS, TimeUnit.MILLISECONDS);
        // The series needs samples at a steady pace, whether anybody is looking or not.
        watcher =
            scheduler.scheduleWithFixedDelay(
                this::viewQuietly, SERIES_SECONDS, SERIES_SECONDS, TimeUnit.SECONDS);
      }
    }
  }

  private void viewQuietly() {
    try {
      view();
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "Cannot merge the live figures", e);
    }
  }

  private void seedFromEvents() throws SQLException {
    LocalDate today = today();
    Instant start = today.atStartOfDay(ZoneOffset.UTC).toInstant();
    Map<Key, Tally> seeded = new HashMap<>();
    try (Connection db = dataSource.getConnection();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT campaign_id, creative_id, zone_id, kind, reason, count(*),"
                    + " coalesce(sum(cost), 0) FROM event"
                    + " WHERE node = ? AND occurred_at >= ? AND decided_at >= ?"
                    + " GROUP BY 1, 2, 3, 4, 5")) {
      query.setString(1, node.name());
      query.setTimestamp(2, Timestamp.from(start));
      // Tokens live a day at most: the day's events were decided since yesterday (partitions).
      query.setTimestamp(3, Timestamp.from(start.minusSeconds(86_400)));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          seeded
              .computeIfAbsent(
                  new Key(rows.getLong(1), rows.getLong(2), rows.getLong(3)), k -> new Tally())
              .count(
                  rows.getString(4).charAt(0),
                  rows.getString(5),
                  units(rows.getBigDecimal(7)),
                  rows.getLong(6));
        }
      }
    }
    synchronized (this) {
      day = today;
      own.clear();
      own.putAll(seeded);
      changed = true;
    }
  }

  @PreDestroy
  void stop() {
    if (watcher != null) {
      watcher.cancel(false);
    }
    if (publisher != null) {
      publisher.cancel(false);
      publishQuietly();
    }
  }

  /** Counts a committed batch (the writer calls this after each commit). */
  public synchronized void record(List<Recorded> events) {
    LocalDate today = today();
    if (!today.equals(day)) {
      day = today;
      own.clear();
    }
    for (Recorded e : events) {
      own.computeIfAbsent(new Key(e.campaign(), e.creative(), e.zone()), k -> new Tally())
          .count(e.kind(), e.reason(), units(e.cost()), 1);
    }
    changed = !events.isEmpty() || changed;
  }

  /** An amount in units of 10^-7 (event.cost's scale: exact). */
  static long units(BigDecimal amount) {
    return amount == null ? 0 : amount.movePointRight(Tally.SPEND_SCALE).longValueExact();
  }

  private void publishQuietly() {
    try {
      byte[] snapshot;
      synchronized (this) {
        if (!today().equals(day)) {
          day = today();
          own.clear();
          changed = true;
        }
        if (!changed) {
          return;
        }
        snapshot = encode(day, own);
        changed = false;
      }
      map().set(node.name(), snapshot);
      if (failing) {
        failing = false;
        LOG.info("Live figures published again");
      }
    } catch (RuntimeException | IOException e) {
      synchronized (this) {
        changed = true;
      }
      if (!failing) {
        failing = true;
        LOG.log(Level.WARNING, "Cannot publish this node's live figures: " + e.getMessage());
      }
    }
  }

  /**
   * The cluster's figures of the day, merged at most half a second ago (at most two grid reads a
   * second on this node, whoever asks).
   */
  public View view() {
    View current = view;
    if (current != null && System.currentTimeMillis() - attemptedAt < READ_MILLIS) {
      return current;
    }
    synchronized (samples) {
      current = view;
      if (current != null && System.currentTimeMillis() - attemptedAt < READ_MILLIS) {
        return current;
      }
      attemptedAt = System.currentTimeMillis();
      view = merge(current);
      return view;
    }
  }

  private View merge(View previous) {
    LocalDate today = today();
    Instant now = Instant.now();
    Map<Key, Tally> merged = new HashMap<>();
    Map<String, Tally> nodes = new HashMap<>();
    try {
      IMap<String, byte[]> snapshots = map();
      for (Map.Entry<String, byte[]> entry : snapshots.getAll(snapshots.keySet()).entrySet()) {
        Map<Key, Tally> tallies = decode(entry.getValue(), today);
        Tally nodeTotal = new Tally();
        for (Map.Entry<Key, Tally> t : tallies.entrySet()) {
          merged.computeIfAbsent(t.getKey(), k -> new Tally()).add(t.getValue());
          nodeTotal.add(t.getValue());
        }
        if (!tallies.isEmpty()) {
          nodes.put(entry.getKey(), nodeTotal);
        }
      }
    } catch (RuntimeException | IOException e) {
      // The grid cannot be read: the figures last read stay (said once a minute).
      long millis = System.currentTimeMillis();
      if (millis - mergeWarnedAt > 60_000) {
        mergeWarnedAt = millis;
        LOG.log(Level.WARNING, "Cannot read the live figures; showing the last ones read", e);
      }
      if (previous != null && previous.day().equals(today)) {
        return new View(
            previous.day(),
            previous.asOf(),
            previous.tallies(),
            previous.nodes(),
            previous.uniques(),
            previous.samples());
      }
    }
    Map<Long, Long> uniques = uniques(merged, today, previous);
    Map<Key, Tally> frozen = Map.copyOf(merged);
    // The series: the merged figures every SERIES_SECONDS, the last SERIES_POINTS of them.
    Sample last = samples.peekLast();
    if (last != null && !LocalDate.ofInstant(last.at(), ZoneOffset.UTC).equals(today)) {
      samples.clear();
      last = null;
    }
    if (last == null || !last.at().plusSeconds(SERIES_SECONDS).isAfter(now)) {
      samples.addLast(new Sample(now, frozen));
      while (samples.size() > SERIES_POINTS + 1) {
        samples.removeFirst();
      }
    }
    return new View(today, now, frozen, Map.copyOf(nodes), uniques, List.copyOf(samples));
  }

  /** Unique visitors of each campaign with impressions today, read in parallel. */
  private Map<Long, Long> uniques(Map<Key, Tally> merged, LocalDate today, View previous) {
    Map<Long, CompletionStage<Long>> asked = new HashMap<>();
    for (Map.Entry<Key, Tally> entry : merged.entrySet()) {
      long campaign = entry.getKey().campaign();
      if (entry.getValue().impressions > 0 && !asked.containsKey(campaign)) {
        try {
          asked.put(campaign, estimator(campaign, today).estimateAsync());
        } catch (RuntimeException e) {
          LOG.log(Level.FINE, "Cannot read unique visitors", e);
        }
      }
    }
    Map<Long, Long> uniques = new HashMap<>();
    for (Map.Entry<Long, CompletionStage<Long>> entry : asked.entrySet()) {
      try {
        uniques.put(
            entry.getKey(), entry.getValue().toCompletableFuture().get(500, TimeUnit.MILLISECONDS));
      } catch (Exception e) {
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
        }
        if (previous != null && previous.uniques().containsKey(entry.getKey())) {
          uniques.put(entry.getKey(), previous.uniques().get(entry.getKey()));
        }
      }
    }
    return Map.copyOf(uniques);
  }

  private final Map<String, CardinalityEstimator> estimators = new HashMap<>();

  /**
   * This node's proxy of the grid's estimator of a campaign's unique visitors on a UTC day: the
   * event writer counts into it, the live figures read it.
   */
  public CardinalityEstimator estimator(long campaign, LocalDate day) {
    String name = uniquesName(campaign, day);
    synchronized (estimators) {
      if (estimators.size() > 10_000) {
        estimators.clear(); // proxies of past days; the grid keeps the estimators themselves
      }
      return estimators.computeIfAbsent(
          name, n -> GridObjects.outsideApplication(() -> grid.getCardinalityEstimator(n)));
    }
  }

  /** The grid's cardinality estimator of a campaign's unique visitors on a UTC day. */
  private static String uniquesName(long campaign, LocalDate day) {
    return "adgrid.uniques." + campaign + "." + day;
  }

  private IMap<String, byte[]> map() {
    IMap<String, byte[]> current = map;
    if (current == null) {
      current = GridObjects.outsideApplication(() -> grid.<String, byte[]>getMap(MAP));
      map = current;
    }
    return current;
  }

  static byte[] encode(LocalDate day, Map<Key, Tally> tallies) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + tallies.size() * 136);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(FORMAT);
      out.writeLong(day.toEpochDay());
      out.writeInt(Tally.INVALID.size());
      out.writeInt(tallies.size());
      for (Map.Entry<Key, Tally> entry : tallies.entrySet()) {
        out.writeLong(entry.getKey().campaign());
        out.writeLong(entry.getKey().creative());
        out.writeLong(entry.getKey().zone());
        entry.getValue().write(out);
      }
    }
    return bytes.toByteArray();
  }

  /** A node's snapshot, if it is of the given day and in this format; else nothing. */
  static Map<Key, Tally> decode(byte[] snapshot, LocalDate day) throws IOException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(snapshot))) {
      if (in.readInt() != FORMAT
          || in.readLong() != day.toEpochDay()
          || in.readInt() != Tally.INVALID.size()) {
        return Map.of();
      }
      int n = in.readInt();
      Map<Key, Tally> tallies = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        tallies.put(new Key(in.readLong(), in.readLong(), in.readLong()), Tally.read(in));
      }
      return tallies;
    }
  }
}
