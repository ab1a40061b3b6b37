package net.adgrid.serving.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class GrantsTest {

  private static final BigDecimal FREE = BigDecimal.ZERO;

  @Test
  void everyCapBinds() {
    BigDecimal budget = new BigDecimal("1000");
    assertEquals(Long.MAX_VALUE, Grants.left(null, 5, null, 0, FREE, budget, BigDecimal.ZERO));
    assertEquals(995, Grants.left(1000L, 5, null, 0, FREE, budget, BigDecimal.ZERO));
    assertEquals(7, Grants.left(1000L, 5, 10L, 3, FREE, budget, BigDecimal.ZERO));
    assertEquals(0, Grants.left(1000L, 1000, null, 0, FREE, budget, BigDecimal.ZERO));
    // CPM 2.50: one impression costs 0.0025; 10.00 left of the budget pays for 4000 more.
    BigDecimal price = Grants.price("CPM", 'I', new BigDecimal("2.5000"));
    assertEquals(new BigDecimal("0.0025000"), price);
    assertEquals(
        4000, Grants.left(null, 0, null, 0, price, new BigDecimal("100"), new BigDecimal("90")));
    // A cent short of the next unit buys nothing more.
    assertEquals(
        3, Grants.left(null, 0, null, 0, new BigDecimal("3"), new BigDecimal("11.99"), FREE));
    assertEquals(0, Grants.left(null, 0, null, 0, new BigDecimal("3"), BigDecimal.ONE, FREE));
    assertEquals(FREE.setScale(7), Grants.price("CPM", 'C', BigDecimal.ONE));
    assertEquals(new BigDecimal("0.4000000"), Grants.price("CPC", 'C', new BigDecimal("0.4")));
  }

  @Test
  void whatIsWantedUpToAFairShareOfTheLastUnits() {
    assertEquals(500, Grants.grant(500, Long.MAX_VALUE, 3));
    assertEquals(500, Grants.grant(500, 100_000, 3));
    // 600 left among 3 nodes: nobody takes more than 100 at once.
    assertEquals(100, Grants.grant(500, 600, 3));
    assertEquals(1, Grants.grant(500, 3, 3));
    assertEquals(1, Grants.grant(1, 1, 3));
    assertEquals(0, Grants.grant(500, 0, 3));
  }
}
