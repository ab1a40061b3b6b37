package net.adgrid.cluster.control;

import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Data-grid objects for the hot paths, made outside the application's context.
 *
 * <p>Payara ties every grid object that an application creates to that application (Hazelcast's
 * tenant control): each operation on it, on every node, first enters the application's context
 * (class loader, naming, a CDI request context). That is what lets application classes travel in
 * the grid, and it is costly: measured with a profiler under the bench's impression load, entering
 * the context was about 45% of the grid's operation threads' time. The counters adgrid keeps in the
 * grid hold only JDK types (strings, longs), so they need none of it. Made from a thread that has
 * no application context, an object gets Payara's no-op tenant control. The thread must not inherit
 * the caller's inheritable thread locals: that is where the container keeps its invocation stack.
 */
public final class GridObjects {

  private GridObjects() {}

  /** Runs {@code make} (a {@code grid.getMap(...)} or the like) outside the application. */
  public static <T> T outsideApplication(Supplier<T> make) {
    AtomicReference<T> made = new AtomicReference<>();
    AtomicReference<RuntimeException> failed = new AtomicReference<>();
    Thread thread =
        new Thread(
            null,
            () -> {
              try {
                made.set(make.get());
              } catch (RuntimeException e) {
                failed.set(e);
              }
            },
            "adgrid-grid-object",
            0,
            false);
    thread.setDaemon(true);
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while making a grid object", e);
    }
    if (failed.get() != null) {
      throw failed.get();
    }
    return made.get();
  }
}
