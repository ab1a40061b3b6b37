package net.adgrid.platform;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Keyset pagination for list resources: items in id order, at most {@code limit} of them, and the
 * id to pass as {@code after} for the next page (null on the last page).
 */
public final class Paging {

  public static final int DEFAULT = 50;
  public static final int MAX = 200;

  private Paging() {}

  /** One page of a list. */
  public record Page<T>(List<T> items, Long next) {}

  /** The page size asked for, checked. */
  public static int size(Integer limit) {
    int size = limit == null ? DEFAULT : limit;
    if (size < 1 || size > MAX) {
      throw new ProblemException(
          Problem.invalid(List.of(new Problem.FieldError("limit", "must be from 1 to " + MAX))));
    }
    return size;
  }

  /** A page from up to {@code size + 1} rows fetched in id order. */
  public static <T> Page<T> of(List<T> fetched, int size, ToLongFunction<T> id) {
    boolean more = fetched.size() > size;
    List<T> items = fetched.subList(0, Math.min(size, fetched.size()));
    return new Page<>(
        List.copyOf(items), more ? id.applyAsLong(items.get(items.size() - 1)) : null);
  }
}
