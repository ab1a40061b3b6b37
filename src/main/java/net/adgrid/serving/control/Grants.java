package net.adgrid.serving.control;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * How many units a lease may take out of a campaign's pools: what the node asks for, bounded by
 * every cap (lifetime, the day's), by what the budget still pays for at the unit price, and, when
 * little is left, by a fair share so that one node cannot hold the last units while others have
 * traffic. Pure arithmetic, decided inside the transaction that holds the pools' row locks.
 */
public final class Grants {

  private Grants() {}

  /**
   * Units still to be leased out, or {@link Long#MAX_VALUE} when nothing limits the kind.
   *
   * @param cap the lifetime cap for this kind, or null
   * @param leased units of this kind already leased out (spent or held)
   * @param dailyCap the day's cap for this kind, or null
   * @param leasedToday units of this kind leased out for the day
   * @param price what one unit costs (0 when this kind is not what the campaign pays for)
   * @param budget the campaign's budget
   * @param spend money already leased out, all kinds together
   */
  public static long left(
      Long cap,
      long leased,
      Long dailyCap,
      long leasedToday,
      BigDecimal price,
      BigDecimal budget,
      BigDecimal spend) {
    long left = Long.MAX_VALUE;
    if (cap != null) {
      left = Math.min(left, cap - leased);
    }
    if (dailyCap != null) {
      left = Math.min(left, dailyCap - leasedToday);
    }
    if (price.signum() > 0) {
      BigDecimal money = budget.subtract(spend);
      long affordable =
          money.signum() <= 0
              ? 0
              : money
                  .divide(price, 0, RoundingMode.FLOOR)
                  .min(BigDecimal.valueOf(Long.MAX_VALUE))
                  .longValue();
      left = Math.min(left, affordable);
    }
    return Math.max(0, left);
  }

  /**
   * @param want what the node asks for (at least 1)
   * @param left what {@link #left} says is still there
   * @param nodes nodes that share the campaign
   * @return units to grant: what is wanted, bounded by what is left and, when that is little, by a
   *     fair share of it; 0 when nothing is left
   */
  public static long grant(long want, long left, int nodes) {
    if (left <= 0 || want <= 0) {
      return 0;
    }
    long grant = Math.min(want, left);
    if (left != Long.MAX_VALUE) {
      grant = Math.min(grant, Math.max(1, left / (2L * Math.max(1, nodes))));
    }
    return grant;
  }

  /** The price of one unit: a thousandth of the rate for CPM impressions, the rate for clicks. */
  public static BigDecimal price(String pricing, char kind, BigDecimal rate) {
    if ("CPM".equals(pricing) && kind == 'I') {
      return rate.divide(BigDecimal.valueOf(1000)).setScale(7, RoundingMode.UNNECESSARY);
    }
    if ("CPC".equals(pricing) && kind == 'C') {
      return rate.setScale(7, RoundingMode.UNNECESSARY);
    }
    return BigDecimal.ZERO.setScale(7);
  }
}
