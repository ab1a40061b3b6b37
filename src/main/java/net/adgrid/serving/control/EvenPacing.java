package net.adgrid.serving.control;

import java.time.Duration;
import java.time.Instant;

/**
 * Even pacing for one campaign on one node: a bucket that fills at the rate that spreads what
 * remains over the time that remains (shared by the nodes serving it), and that one decision
 * empties by one. A campaign whose bucket holds less than one is skipped for now, so lower tiers
 * get the traffic meanwhile. The bucket holds at most a few seconds' worth: after a quiet spell a
 * campaign does not burst.
 */
public final class EvenPacing {

  static final Duration BURST = Duration.ofSeconds(5);

  private double credit = 1;
  private Instant last;

  /**
   * Whether one more may be served now.
   *
   * @param remaining what the campaign may still deliver (impressions, or clicks' worth)
   * @param until when it has to be delivered by (end of campaign, or end of day for a daily cap)
   * @param nodes how many nodes serve it at the same pace
   */
  public synchronized boolean take(long remaining, Instant until, Instant now, int nodes) {
    if (remaining <= 0 || !now.isBefore(until)) {
      return false;
    }
    double seconds = Duration.between(now, until).toMillis() / 1000.0;
    double ratePerSecond = remaining / seconds / Math.max(1, nodes);
    if (last != null && now.isAfter(last)) {
      double elapsed = Duration.between(last, now).toMillis() / 1000.0;
      credit =
          Math.min(
              credit + elapsed * ratePerSecond, Math.max(1, ratePerSecond * BURST.toSeconds()));
    }
    last = now;
    if (credit < 1) {
      return false;
    }
    credit -= 1;
    return true;
  }
}
