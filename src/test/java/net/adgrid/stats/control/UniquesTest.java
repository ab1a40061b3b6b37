package net.adgrid.stats.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class UniquesTest {

  @Test
  void exactUpToTheLimitWhateverTheRepeats() {
    Uniques sketch = new Uniques();
    for (int round = 0; round < 5; round++) {
      for (long v = 1; v <= Uniques.EXACT_LIMIT; v++) {
        sketch.add(v * 7919);
      }
    }
    assertEquals(Uniques.EXACT_LIMIT, sketch.count());
    assertEquals(1 + 8 * Uniques.EXACT_LIMIT, sketch.toBytes().length);
  }

  @Test
  void mergingCountsTheUnionNotTheSum() {
    Uniques morning = new Uniques();
    Uniques evening = new Uniques();
    for (long v = 0; v < 100; v++) {
      morning.add(v);
      evening.add(v + 50); // 50 visitors came back
    }
    Uniques day = Uniques.fromBytes(morning.toBytes());
    day.merge(Uniques.fromBytes(evening.toBytes()));
    assertEquals(150, day.count());
  }

  @Test
  void estimatesLargeCountsWithinAFewPercentAndMergesRegisters() {
    Random random = new Random(42);
    for (int n : new int[] {300, 1_000, 10_000, 200_000}) {
      Uniques a = new Uniques();
      Uniques b = new Uniques();
      for (int i = 0; i < n; i++) {
        long visitor = random.nextLong();
        (i % 2 == 0 ? a : b).add(visitor);
        if (i % 3 == 0) {
          b.add(visitor); // seen on both sides
        }
      }
      Uniques union = Uniques.fromBytes(a.toBytes());
      union.merge(Uniques.fromBytes(b.toBytes()));
      double error = Math.abs(union.count() - n) / (double) n;
      assertTrue(error < 0.07, n + " visitors estimated as " + union.count());
      assertEquals(1 + 2048, union.toBytes().length);
    }
  }

  @Test
  void aStoredSketchReadsBackTheSame() {
    Uniques sketch = new Uniques();
    for (long v = 0; v < 5_000; v++) {
      sketch.add(v);
    }
    byte[] stored = sketch.toBytes();
    assertArrayEquals(stored, Uniques.fromBytes(stored).toBytes());
    assertEquals(0, Uniques.fromBytes(new Uniques().toBytes()).count());
  }

  @Test
  void refusesWhatIsNotASketch() {
    assertThrows(IllegalArgumentException.class, () -> Uniques.fromBytes(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> Uniques.fromBytes(new byte[] {1, 2, 3}));
    assertThrows(IllegalArgumentException.class, () -> Uniques.fromBytes(new byte[] {2, 0}));
  }
}
