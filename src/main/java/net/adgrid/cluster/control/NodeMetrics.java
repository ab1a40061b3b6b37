package net.adgrid.cluster.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Histogram;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * This node's figures for operators, in the node's MicroProfile Metrics registry (application
 * scope), served in Prometheus text by Payara at the node's {@code /metrics} (never through the
 * balancer, which refuses that path): decisions, events by kind and validity, what was refused and
 * why, the event writer's batches, commits and queue, budget lease activity, the grid's size.
 */
@ApplicationScoped
public class NodeMetrics {

  @Inject MetricRegistry registry;

  @jakarta.annotation.Resource(lookup = "payara/Hazelcast")
  com.hazelcast.core.HazelcastInstance grid;

  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private volatile Histogram batchSize;
  private volatile Timer commit;
  private volatile Counter[] decisions;

  void start(
      @jakarta.enterprise.event.Observes net.adgrid.platform.SchemaMigrations.SchemaReady r) {
    gauge(
        "adgrid_grid_members",
        "Nodes of the data grid this node sees (itself included; lite members not)",
        () -> GridMembers.nodes(grid.getCluster()).size());
    gauge(
        "adgrid_requests_in_flight",
        "Requests of the application in progress on this node",
        net.adgrid.platform.Draining::inFlight);
  }

  /** A decision asked for: served (an ad chosen) or not (nothing fits). */
  public void decision(boolean served) {
    // Once per decision: the two counters are looked up once, not per call.
    Counter[] both = decisions;
    if (both == null) {
      both = new Counter[2];
      for (int i = 0; i < 2; i++) {
        both[i] =
            counter(
                "adgrid_decisions",
                "Decisions made, by outcome (served: an ad was chosen; none: nothing fit)",
                "outcome",
                i == 0 ? "none" : "served");
      }
      decisions = both;
    }
    both[served ? 1 : 0].inc();
  }

  /**
   * A request refused before its work was done: waited (shed), busy, queue_full, late, stopping.
   */
  public void rejected(String why) {
    rejected(why, 1);
  }

  /** Several refused at once. */
  public void rejected(String why, long count) {
    counter(
            "adgrid_rejected",
            "Requests answered 503 before their work was done, by why",
            "why",
            why)
        .inc(count);
  }

  /** Events stored by this node's writer: kind I, C or V; valid (reason OK) or not; billed. */
  public void stored(char kind, boolean valid, boolean billed, long count) {
    String name =
        switch (kind) {
          case 'I' -> "impression";
          case 'C' -> "click";
          case 'V' -> "viewable";
          default -> "other";
        };
    counter(
            "adgrid_events",
            "Events stored by this node, by kind and validity",
            "kind",
            name,
            "validity",
            valid ? "valid" : "invalid")
        .inc(count);
    if (billed) {
      counter("adgrid_events_billed", "Events billed by this node, by kind", "kind", name)
          .inc(count);
    }
  }

  /** One batch of the event writer: its size and how long its transaction took. */
  public void batch(int size, Duration took) {
    Histogram sizes = batchSize;
    if (sizes == null) {
      sizes =
          registry.histogram(
              Metadata.builder()
                  .withName("adgrid_writer_batch_size")
                  .withDescription("Events per transaction of the event writer")
                  .build());
      batchSize = sizes;
    }
    Timer timer = commit;
    if (timer == null) {
      timer =
          registry.timer(
              Metadata.builder()
                  .withName("adgrid_writer_commit")
                  .withDescription("Time of the event writer's transactions, commit included")
                  .withUnit(org.eclipse.microprofile.metrics.MetricUnits.SECONDS)
                  .build());
      commit = timer;
    }
    sizes.update(size);
    timer.update(took);
  }

  /** Budget lease activity: granted, extended, closed (given back), expired (closed by others). */
  public void lease(String what) {
    counter("adgrid_leases", "Budget lease operations of this node, by what", "what", what).inc();
  }

  /** A figure read when the metrics are asked for. */
  public void gauge(String name, String description, Supplier<Number> value) {
    registry.gauge(
        Metadata.builder().withName(name).withDescription(description).build(), value::get);
  }

  private Counter counter(String name, String description, String... tags) {
    StringBuilder key = new StringBuilder(name);
    for (String tag : tags) {
      key.append('|').append(tag);
    }
    return counters.computeIfAbsent(
        key.toString(),
        k -> {
          Tag[] made = new Tag[tags.length / 2];
          for (int i = 0; i < made.length; i++) {
            made[i] = new Tag(tags[2 * i], tags[2 * i + 1].toLowerCase(Locale.ROOT));
          }
          return registry.counter(
              Metadata.builder().withName(name).withDescription(description).build(), made);
        });
  }
}
