package net.adgrid.serving.control;

import com.hazelcast.config.MapConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.adgrid.cluster.control.GridObjects;

/**
 * Counters the whole cluster shares in the data grid, for what must hold across nodes but is not
 * money: per-minute rate-limit windows and per-visitor frequency counts. Values are plain longs
 * (nothing of the application's classes goes into the grid), changed by compare-and-set, so two
 * nodes counting at once never lose a count. Entries expire by themselves.
 */
@ApplicationScoped
public class GridCounters {

  private static final Logger LOG = Logger.getLogger(GridCounters.class.getName());
  static final String RATE_MAP = "adgrid.rate-windows";
  static final String FREQUENCY_MAP = "adgrid.frequency";

  @Resource(lookup = "payara/Hazelcast")
  HazelcastInstance grid;

  private IMap<String, Long> windows;
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

  /** Adds {@code n} to the key's count for the current minute; returns the count after. */
  public long addToMinute(String key, long n, long epochMinute) {
    String windowKey = key + "@" + epochMinute;
    while (true) {
      Long before = windows.putIfAbsent(windowKey, n);
      if (before == null) {
        return n;
      }
      if (windows.replace(windowKey, before, before + n)) {
        return before + n;
      }
    }
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
      if (frequency.replace(key, before, after)) {
        long remaining = expired ? windowSeconds : start(before) + windowSeconds - nowSeconds;
        frequency.setTtl(key, Math.max(1, remaining), TimeUnit.SECONDS);
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
