package net.adgrid.serving.control;

import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.adgrid.cluster.control.GridMembers;
import net.adgrid.cluster.control.GridObjects;

/**
 * Counters the whole cluster shares in the data grid, for what must hold across nodes but is not
 * money: per-minute rate-limit windows and per-visitor frequency counts. Values are plain longs
 * (nothing of the application's classes goes into the grid). Frequency counts change by
 * compare-and-set, so two nodes counting at once never lose a count; rate windows are counted per
 * node (see {@link #addToMinute}). Entries expire by themselves.
 */
@ApplicationScoped
public class GridCounters {

  private static final Logger LOG = Logger.getLogger(GridCounters.class.getName());
  static final String RATE_MAP = "adgrid.rate-windows";
  static final String FREQUENCY_MAP = "adgrid.frequency";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  private IMap<String, Long> windows;

  /** This node's own counts in the current minute. */
  private final Map<String, Long> own = new HashMap<>();

  private long ownMinute;
  private long lastComplaint;

  private void complain(String what, RuntimeException e) {
    long now = System.currentTimeMillis();
    if (now - lastComplaint > 60_000) {
      lastComplaint = now;
      LOG.log(Level.WARNING, "Rate windows: could not " + what + " the grid's counts: " + e, e);
    }
  }

  private IMap<String, Long> frequency;

  @PostConstruct
  void init() {
    try {
      // Every node adds the same definition; a window key names its minute, so two minutes are
      // plenty. A put that does not say otherwise keeps this lifetime. No backup copy: a node
      // that dies forgets the windows it held (those visitors start a fresh minute), and every
      // count costs one operation instead of two.
      grid.getConfig()
          .addMapConfig(new MapConfig(RATE_MAP).setTimeToLiveSeconds(150).setBackupCount(0));
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "rate window map already configured", e);
    }
    windows = GridObjects.outsideApplication(() -> grid.getMap(RATE_MAP));
    frequency = GridObjects.outsideApplication(() -> grid.getMap(FREQUENCY_MAP));
  }

  /**
   * Counts a batch of events into per-minute windows and says, for each key, how many the whole
   * cluster had counted in this minute before this batch.
   *
   * <p>Each node counts under keys of its own ({@code key@minute#member}), kept here and written to
   * the grid, and reads the other members' keys: one {@code getAll} and one {@code setAll} per
   * batch, each one message per member, instead of a compare-and-set per key (the grid's network
   * threads were a quarter of a node's CPU under the bench's load). Requests that follow one
   * another are counted exactly across nodes, since a batch is answered only after its counts are
   * written; a burst that reaches two nodes within the same few milliseconds can let each node
   * count the other's events a batch late.
   *
   * @return for each key, the cluster's count before this batch (this node's own alone when the
   *     grid cannot be read)
   */
  public synchronized Map<String, Long> addToMinute(
      Map<String, Long> increments, long epochMinute) {
    if (increments.isEmpty()) {
      return Map.of();
    }
    String me = grid.getCluster().getLocalMember().getUuid().toString();
    List<String> others =
        GridMembers.nodes(grid.getCluster()).stream()
            .map(m -> m.getUuid().toString())
            .filter(id -> !id.equals(me))
            .toList();
    Set<String> theirs = new HashSet<>();
    for (String key : increments.keySet()) {
      for (String member : others) {
        theirs.add(key + "@" + epochMinute + "#" + member);
      }
    }
    Map<String, Long> seen = Map.of();
    try {
      if (!theirs.isEmpty()) {
        seen = windows.getAll(theirs);
      }
    } catch (RuntimeException e) {
      // The grid is changing (a member just died) or unreachable: limits are not money, so the
      // events are recorded with this node's own counts rather than refused.
      complain("read", e);
    }
    if (ownMinute != epochMinute) {
      own.clear();
      ownMinute = epochMinute;
    }
    Map<String, Long> before = new HashMap<>();
    Map<String, Long> write = new HashMap<>();
    for (Map.Entry<String, Long> increment : increments.entrySet()) {
      String key = increment.getKey();
      long cluster = own.getOrDefault(key, 0L);
      for (String member : others) {
        cluster += seen.getOrDefault(key + "@" + epochMinute + "#" + member, 0L);
      }
      before.put(key, cluster);
      long mine = own.merge(key, increment.getValue(), Long::sum);
      write.put(key + "@" + epochMinute + "#" + me, mine);
    }
    try {
      windows.setAll(write);
    } catch (RuntimeException e) {
      complain("write", e);
    }
    return before;
  }

  /**
   * How many times the key was counted in its current window (0 when it has none, or it ended). A
   * frequency value packs the window's start (epoch seconds) and the count.
   */
  public long frequencyCount(String key, long nowSeconds, long windowSeconds) {
    Long value = frequency.get(key);
    if (value == null || nowSeconds - start(value) >= windowSeconds) {
      return 0;
    }
    return count(value);
  }

  /** Counts one more for the key; a window starts with the first count and lasts its length. */
  public void countFrequency(String key, long nowSeconds, long windowSeconds) {
    while (true) {
      Long before = frequency.get(key);
      if (before == null) {
        if (frequency.putIfAbsent(key, pack(nowSeconds, 1), windowSeconds, TimeUnit.SECONDS)
            == null) {
          return;
        }
        continue;
      }
      boolean expired = nowSeconds - start(before) >= windowSeconds;
      long after = expired ? pack(nowSeconds, 1) : pack(start(before), count(before) + 1);
      // The entry keeps the lifetime it was put with, counted from its last update: it goes
      // a window after the visitor's last count (the window itself is the packed start).
      if (frequency.replace(key, before, after)) {
        return;
      }
    }
  }

  static long pack(long startSeconds, long count) {
    return (startSeconds << 20) | Math.min(count, (1 << 20) - 1);
  }

  static long start(long packed) {
    return packed >>> 20;
  }

  static long count(long packed) {
    return packed & ((1 << 20) - 1);
  }
}
