package net.adgrid.stats.control;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The unique visitors of a rollup row as a mergeable sketch, so that a report can count the
 * visitors of any set of hours, creatives and zones without the raw events (which are dropped after
 * the retention period): the visitor keys themselves while there are at most {@link #EXACT_LIMIT}
 * (exact), then a HyperLogLog of 2^11 one-byte registers (about 2.3% standard error, 2 KB). The
 * same scheme as PostgreSQL's hll extension's explicit and full forms.
 *
 * <p>Stored form: one byte {@code 1} and the sorted keys (8 bytes each), or one byte {@code 2} and
 * the registers. Not thread-safe.
 */
public final class Uniques {

  public static final int EXACT_LIMIT = 256;
  static final int P = 11;
  static final int M = 1 << P;
  private static final byte EXPLICIT = 1;
  private static final byte DENSE = 2;

  private long[] keys = new long[16];
  private int size;
  private boolean sorted = true;
  private byte[] registers;

  /** Adds a visitor key (a 64-bit hash; mixed again here, so any key spreads evenly). */
  public void add(long visitor) {
    if (registers != null) {
      addToRegisters(visitor);
      return;
    }
    if (size == keys.length) {
      compact();
      if (registers != null) {
        addToRegisters(visitor);
        return;
      }
      if (size == keys.length) {
        keys = Arrays.copyOf(keys, size * 2);
      }
    }
    keys[size++] = visitor;
    sorted = false;
    if (size > 2 * EXACT_LIMIT) {
      compact();
    }
  }

  /** Adds every visitor the other sketch has seen. */
  public void merge(Uniques other) {
    if (other.registers != null) {
      toRegisters();
      for (int i = 0; i < M; i++) {
        if (other.registers[i] > registers[i]) {
          registers[i] = other.registers[i];
        }
      }
    } else {
      for (int i = 0; i < other.size; i++) {
        add(other.keys[i]);
      }
    }
  }

  /** The number of distinct visitors: exact up to {@link #EXACT_LIMIT}, else an estimate. */
  public long count() {
    compact();
    if (registers == null) {
      return size;
    }
    double sum = 0;
    int zeros = 0;
    for (byte r : registers) {
      sum += Math.scalb(1.0, -r);
      if (r == 0) {
        zeros++;
      }
    }
    double alpha = 0.7213 / (1 + 1.079 / M);
    double estimate = alpha * M * M / sum;
    if (estimate <= 2.5 * M && zeros > 0) {
      estimate = M * Math.log((double) M / zeros); // linear counting for the small range
    }
    return Math.round(estimate);
  }

  public byte[] toBytes() {
    compact();
    if (registers == null) {
      ByteBuffer out = ByteBuffer.allocate(1 + 8 * size);
      out.put(EXPLICIT);
      for (int i = 0; i < size; i++) {
        out.putLong(keys[i]);
      }
      return out.array();
    }
    byte[] out = new byte[1 + M];
    out[0] = DENSE;
    System.arraycopy(registers, 0, out, 1, M);
    return out;
  }

  /** A sketch from its stored form; anything else is refused. */
  public static Uniques fromBytes(byte[] stored) {
    Uniques sketch = new Uniques();
    if (stored.length >= 1 && stored[0] == EXPLICIT && (stored.length - 1) % 8 == 0) {
      ByteBuffer in = ByteBuffer.wrap(stored, 1, stored.length - 1);
      while (in.hasRemaining()) {
        sketch.add(in.getLong());
      }
      return sketch;
    }
    if (stored.length == 1 + M && stored[0] == DENSE) {
      sketch.registers = Arrays.copyOfRange(stored, 1, 1 + M);
      sketch.keys = null;
      sketch.size = 0;
      return sketch;
    }
    throw new IllegalArgumentException("not a stored sketch of unique visitors");
  }

  /** Sorts and removes repeated keys; over the limit, turns into registers. */
  private void compact() {
    if (registers != null) {
      return;
    }
    if (!sorted) {
      Arrays.sort(keys, 0, size);
      int distinct = 0;
      for (int i = 0; i < size; i++) {
        if (distinct == 0 || keys[distinct - 1] != keys[i]) {
          keys[distinct++] = keys[i];
        }
      }
      size = distinct;
      sorted = true;
    }
    if (size > EXACT_LIMIT) {
      toRegisters();
    }
  }

  private void toRegisters() {
    if (registers != null) {
      return;
    }
    registers = new byte[M];
    for (int i = 0; i < size; i++) {
      addToRegisters(keys[i]);
    }
    keys = null;
    size = 0;
  }

  private void addToRegisters(long visitor) {
    long hash = mix(visitor);
    int index = (int) (hash >>> (64 - P));
    // The rank of the first 1 bit after the index bits; a guard bit bounds it at 64 - P + 1.
    int rank = Long.numberOfLeadingZeros((hash << P) | (1L << (P - 1))) + 1;
    if (rank > registers[index]) {
      registers[index] = (byte) rank;
    }
  }

  /** MurmurHash3's 64-bit finalizer. */
  static long mix(long key) {
    long h = key;
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h;
  }
}
