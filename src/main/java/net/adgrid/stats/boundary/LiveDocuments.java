package net.adgrid.stats.boundary;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import net.adgrid.accounts.control.Caller;
import net.adgrid.accounts.entity.Role;
import net.adgrid.serving.control.DeliveryIndex;
import net.adgrid.serving.control.DeliveryIndex.Directory;
import net.adgrid.serving.control.DeliveryIndex.Named;
import net.adgrid.stats.control.LiveCounters;
import net.adgrid.stats.control.LiveCounters.Key;
import net.adgrid.stats.control.Tally;

/**
 * The live figures of the day as one caller may see them, as a JSON document, from memory (no
 * database query): an advertiser sees its campaigns and their creatives; a publisher its sites and
 * zones (spend there is what advertisers paid for the ads shown in them); an admin the whole
 * network, and per node. With a series of the last minutes (10-second steps, as far back as this
 * node has watched). Its tag covers the figures only, which every node merges alike (the series and
 * the time of the merge are the node's own): a dashboard polling through the balancer gets a 304
 * from any node as long as nothing happened. Served by {@code /api/v1/stats/live} (API keys) and
 * {@code /live/poll} (the dashboard's poll, with a pass).
 */
@ApplicationScoped
public class LiveDocuments {

  @Inject LiveCounters live;
  @Inject DeliveryIndex index;

  /** The figures' tag, and the whole document (built only when asked for). */
  public record Document(String tag, Supplier<byte[]> body) {}

  /** The last document per scope, with the merge it was made from: reused until the next merge. */
  private record Made(LiveCounters.View view, Directory directory, Document document) {}

  private final java.util.concurrent.ConcurrentHashMap<String, Made> made =
      new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The caller's document. Every caller of one scope (an account's users, all admins) gets the same
   * document until the figures are merged again (at most twice a second): a thousand open
   * dashboards of one account cost the building of two documents a second, not a thousand.
   */
  public Document of(Caller caller) {
    LiveCounters.View view = live.view();
    Directory directory = index.directory();
    String scope = caller.role() == Role.ADMIN ? "ADMIN" : caller.role() + ":" + caller.accountId();
    Made last = made.get(scope);
    if (last != null && last.view() == view && last.directory() == directory) {
      return last.document();
    }
    if (made.size() > 10_000) {
      made.clear();
    }
    Document document = build(caller, view, directory);
    made.put(scope, new Made(view, directory, document));
    return document;
  }

  private Document build(Caller caller, LiveCounters.View view, Directory directory) {
    Predicate<Key> mine = scope(caller, directory);
    Map<Key, Tally> tallies = new TreeMap<>(KEY_ORDER);
    view.tallies()
        .forEach(
            (k, t) -> {
              if (mine.test(k)) {
                tallies.put(k, t);
              }
            });
    JsonObjectBuilder body =
        Json.createObjectBuilder()
            .add("day", view.day().toString())
            .add("scope", caller.role().name())
            .add("totals", figures(sum(tallies, k -> 0L).getOrDefault(0L, new Tally()), null));
    if (caller.role() != Role.PUBLISHER) {
      body.add(
          "campaigns",
          group(sum(tallies, Key::campaign), directory.campaigns(), view.uniques(), "accountId"));
      body.add(
          "creatives",
          group(sum(tallies, Key::creative), directory.creatives(), null, "campaignId"));
    }
    if (caller.role() != Role.ADVERTISER) {
      body.add("zones", group(sum(tallies, Key::zone), directory.zones(), null, "siteId"));
      body.add(
          "sites",
          group(
              sum(tallies, k -> parent(directory.zones(), k.zone())),
              directory.sites(),
              null,
              "accountId"));
    }
    if (caller.role() == Role.ADMIN) {
      JsonArrayBuilder nodes = Json.createArrayBuilder();
      new TreeMap<>(view.nodes())
          .forEach((name, t) -> nodes.add(figures(t, null).add("node", name)));
      body.add("nodes", nodes);
    }
    JsonObject figures = body.build();
    // The whole document is made and written out once, by the first caller who needs it: every
    // other poll of the scope until the next merge sends the same bytes.
    byte[][] whole = new byte[1][];
    Supplier<byte[]> document =
        () -> {
          synchronized (whole) {
            if (whole[0] == null) {
              whole[0] =
                  Json.createObjectBuilder(figures)
                      .add("asOf", view.asOf().truncatedTo(ChronoUnit.MILLIS).toString())
                      .add("series", series(view, mine))
                      .build()
                      .toString()
                      .getBytes(StandardCharsets.UTF_8);
            }
            return whole[0];
          }
        };
    return new Document("\"" + hash(figures.toString()) + "\"", document);
  }

  private static final java.util.Comparator<Key> KEY_ORDER =
      java.util.Comparator.comparingLong(Key::campaign)
          .thenComparingLong(Key::creative)
          .thenComparingLong(Key::zone);

  /** Which figures the caller may see. */
  static Predicate<Key> scope(Caller caller, Directory directory) {
    return switch (caller.role()) {
      case ADMIN -> k -> true;
      case ADVERTISER -> k -> owner(directory.campaigns(), k.campaign()) == caller.accountId();
      case PUBLISHER -> k -> owner(directory.zones(), k.zone()) == caller.accountId();
    };
  }

  private static long owner(Map<Long, Named> named, long id) {
    Named found = named.get(id);
    return found == null ? -1 : found.owner();
  }

  private static long parent(Map<Long, Named> named, long id) {
    Named found = named.get(id);
    return found == null ? 0 : found.parent();
  }

  private static Map<Long, Tally> sum(Map<Key, Tally> tallies, Function<Key, Long> by) {
    Map<Long, Tally> sums = new TreeMap<>();
    tallies.forEach((k, t) -> sums.computeIfAbsent(by.apply(k), g -> new Tally()).add(t));
    return sums;
  }

  private static JsonArrayBuilder group(
      Map<Long, Tally> sums, Map<Long, Named> named, Map<Long, Long> uniques, String parentField) {
    JsonArrayBuilder array = Json.createArrayBuilder();
    sums.forEach(
        (id, t) -> {
          Named n = named.get(id);
          JsonObjectBuilder row = figures(t, uniques == null ? null : uniques.getOrDefault(id, 0L));
          row.add("id", id).add("name", n == null ? "(deleted)" : n.name());
          if (n != null) {
            row.add(parentField, parentField.equals("accountId") ? n.owner() : n.parent());
          }
          array.add(row);
        });
    return array;
  }

  private static JsonObjectBuilder figures(Tally t, Long uniques) {
    JsonObjectBuilder invalid = Json.createObjectBuilder();
    for (int i = 0; i < Tally.INVALID.size(); i++) {
      if (t.invalid(i) > 0) {
        invalid.add(Tally.INVALID.get(i), t.invalid(i));
      }
    }
    JsonObjectBuilder row =
        Json.createObjectBuilder()
            .add("impressions", t.impressions())
            .add("viewable", t.viewable())
            .add("clicks", t.clicks())
            .add("spend", t.spendAmount().stripTrailingZeros().toPlainString())
            .add("invalidTotal", t.invalidTotal())
            .add("invalid", invalid);
    if (uniques != null) {
      row.add("uniqueVisitors", uniques);
    }
    return row;
  }

  /** Per 10-second step: what happened in the caller's scope. */
  private static JsonObjectBuilder series(LiveCounters.View view, Predicate<Key> mine) {
    JsonArrayBuilder points = Json.createArrayBuilder();
    List<LiveCounters.Sample> samples = view.samples();
    Tally before = null;
    for (LiveCounters.Sample sample : samples) {
      Tally total = new Tally();
      sample
          .tallies()
          .forEach(
              (k, t) -> {
                if (mine.test(k)) {
                  total.add(t);
                }
              });
      if (before != null) {
        points.add(
            Json.createObjectBuilder()
                .add("at", sample.at().truncatedTo(ChronoUnit.SECONDS).toString())
                .add("impressions", total.impressions() - before.impressions())
                .add("clicks", total.clicks() - before.clicks())
                .add(
                    "spend",
                    java.math.BigDecimal.valueOf(total.spend() - before.spend(), Tally.SPEND_SCALE)
                        .stripTrailingZeros()
                        .toPlainString()));
      }
      before = total;
    }
    return Json.createObjectBuilder()
        .add("stepSeconds", LiveCounters.SERIES_SECONDS)
        .add("points", points);
  }

  private static String hash(String text) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
