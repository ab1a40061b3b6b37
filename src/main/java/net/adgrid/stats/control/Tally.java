package net.adgrid.stats.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import net.adgrid.serving.control.TrafficRules;

/**
 * The figures of one campaign × creative × zone for a day: valid impressions, viewable impressions
 * and clicks, what was billed (exact, in units of 10^-7, the scale of {@code event.cost}), and the
 * events that were not valid, by reason. Not thread-safe: its owner guards it.
 */
public final class Tally {

  /** The decimal places of a spend: {@code event.cost} is numeric(18,7). */
  public static final int SPEND_SCALE = 7;

  /** Every reason an event is stored without being valid, in a fixed order (the stored form). */
  public static final List<String> INVALID =
      List.of(
          TrafficRules.BOT,
          TrafficRules.NON_BROWSER,
          TrafficRules.IP_LISTED,
          TrafficRules.NO_IMPRESSION,
          TrafficRules.TOO_FAST,
          TrafficRules.RATE_IP,
          TrafficRules.RATE_VISITOR,
          TrafficRules.REPLAY,
          TrafficRules.OVER_CAP,
          TrafficRules.LEASE_LOST);

  long impressions;
  long viewable;
  long clicks;
  long spend;
  final long[] invalid = new long[INVALID.size()];

  /** Counts one stored event (kind I, V or C) with its reason, and what it was billed. */
  public void count(char kind, String reason, long costUnits, long events) {
    if (TrafficRules.OK.equals(reason)) {
      switch (kind) {
        case 'I' -> impressions += events;
        case 'V' -> viewable += events;
        case 'C' -> clicks += events;
        default -> throw new IllegalArgumentException("kind " + kind);
      }
    } else {
      int index = INVALID.indexOf(reason);
      if (index < 0) {
        throw new IllegalArgumentException("reason " + reason);
      }
      invalid[index] += events;
    }
    spend += costUnits;
  }

  public void add(Tally other) {
    impressions += other.impressions;
    viewable += other.viewable;
    clicks += other.clicks;
    spend += other.spend;
    for (int i = 0; i < invalid.length; i++) {
      invalid[i] += other.invalid[i];
    }
  }

  public long impressions() {
    return impressions;
  }

  public long viewable() {
    return viewable;
  }

  public long clicks() {
    return clicks;
  }

  /** What was billed, in units of 10^-{@link #SPEND_SCALE}. */
  public long spend() {
    return spend;
  }

  /** What was billed, as an amount. */
  public java.math.BigDecimal spendAmount() {
    return java.math.BigDecimal.valueOf(spend, SPEND_SCALE);
  }

  public long invalid(int reason) {
    return invalid[reason];
  }

  public long invalidTotal() {
    long total = 0;
    for (long n : invalid) {
      total += n;
    }
    return total;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeLong(impressions);
    out.writeLong(viewable);
    out.writeLong(clicks);
    out.writeLong(spend);
    for (long n : invalid) {
      out.writeLong(n);
    }
  }

  static Tally read(DataInputStream in) throws IOException {
    Tally tally = new Tally();
    tally.impressions = in.readLong();
    tally.viewable = in.readLong();
    tally.clicks = in.readLong();
    tally.spend = in.readLong();
    for (int i = 0; i < tally.invalid.length; i++) {
      tally.invalid[i] = in.readLong();
    }
    return tally;
  }
}
