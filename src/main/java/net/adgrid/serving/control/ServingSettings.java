package net.adgrid.serving.control;

import java.time.Duration;
import java.util.Map;

/**
 * The knobs of serving and counting, read once from the node's environment (scripts/adgrid passes
 * cluster/topology.conf on). Limits are per minute and cluster-wide; 0 turns a limit off.
 */
public record ServingSettings(
    Duration minClickDelay,
    long ipImpressionsPerMinute,
    long ipClicksPerMinute,
    long visitorImpressionsPerMinute,
    long visitorClicksPerMinute,
    String blockedNetworks,
    int eventQueue,
    int batchSize,
    Duration shedAfter,
    int decideConcurrency) {

  public static ServingSettings fromEnvironment() {
    return from(System.getenv());
  }

  static ServingSettings from(Map<String, String> env) {
    return new ServingSettings(
        Duration.ofMillis(number(env, "ADGRID_MIN_CLICK_MILLIS", 1000)),
        number(env, "ADGRID_LIMIT_IP_IMPRESSIONS", 600),
        number(env, "ADGRID_LIMIT_IP_CLICKS", 30),
        number(env, "ADGRID_LIMIT_VISITOR_IMPRESSIONS", 120),
        number(env, "ADGRID_LIMIT_VISITOR_CLICKS", 10),
        env.getOrDefault("ADGRID_BLOCKED_NETWORKS", ""),
        (int) Math.max(100, number(env, "ADGRID_EVENT_QUEUE", 20_000)),
        (int) Math.max(1, number(env, "ADGRID_EVENT_BATCH", 1000)),
        Duration.ofMillis(number(env, "ADGRID_SHED_AFTER_MILLIS", 500)),
        (int) Math.max(1, number(env, "ADGRID_DECIDE_CONCURRENCY", 48)));
  }

  private static long number(Map<String, String> env, String name, long fallback) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      long parsed = Long.parseLong(value.trim());
      if (parsed < 0) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          name + " must be a whole number >= 0, not '" + value + "'");
    }
  }
}
