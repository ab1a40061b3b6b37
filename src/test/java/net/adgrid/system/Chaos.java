package net.adgrid.system;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code scripts/adgrid chaos}: breaks a cluster of its own (3 nodes behind httpd, a PostgreSQL of
 * its own) under a steady load, fault after fault, and checks afterwards what the load was told
 * against what the database holds.
 *
 * <p>The load: visitors asking for ads and loading the impression pixel (retried as an integration
 * would, on a 5xx or a broken connection: a token is counted once, a second arrival is a replay), a
 * click on some of them, and signed-in people reading their pages. Every event the cluster
 * acknowledged (200 pixel, 302 click) is written down.
 *
 * <p>The faults, one at a time, in a shuffled cycle so that every kind comes early: SIGKILL of a
 * node (started again 2 s later, as a supervisor would), SIGSTOP of a node for 8 s, a PostgreSQL
 * restart, PostgreSQL frozen for 15 s (every process stopped: connections hang, as on a network
 * that stopped answering), a graceful httpd reload. After each: how long until the cluster was
 * whole again (every node ready, in the grid and taken by httpd, a decision and an impression
 * through httpd) and how long clients saw failures.
 *
 * <p>At the end: acknowledged events lost (must be 0) and stored twice (0), campaigns billed beyond
 * a cap or their budget (0), sessions lost (0), answers of 500 (0), errors by kind. Report in
 * target/chaos/report.{md,json}; exit status 1 when a promise was broken.
 */
public final class Chaos {

  enum Kind {
    KILL("SIGKILL a node, started again 2 s later"),
    FREEZE("SIGSTOP a node for 8 s"),
    PG_RESTART("restart PostgreSQL"),
    PG_FREEZE("PostgreSQL unreachable for 15 s"),
    HTTPD_RELOAD("reload httpd");

    final String what;

    Kind(String what) {
      this.what = what;
    }
  }

  record Fault(
      Kind kind,
      String target,
      long at,
      long heldMillis,
      long wholeMillis,
      long affectedMillis,
      Map<String, Integer> failures,
      long decisions,
      long slowestTrackingMillis,
      long slowTracking) {}

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Pattern OK_MEMBER = Pattern.compile(">Init Ok *<");

  private final int seconds = Integer.getInteger("chaos.seconds", 300);
  private final int visitors = Integer.getInteger("chaos.visitors", Load.VISITORS);

  /** The kinds of fault to inject (chaos.faults: kill,freeze,... ; all when not given). */
  private final List<Kind> kinds = kinds(System.getProperty("chaos.faults", ""));

  private final long seed = Long.getLong("chaos.seed", System.currentTimeMillis());
  private final int nodes = Integer.parseInt(TestEnvironment.env("ADGRID_NODES"));
  private final URI balancer = TestEnvironment.balancer();
  private final Path work = TestEnvironment.repository().resolve("target/chaos");
  private final Random random = new Random(seed);
  private final List<String> problems = new ArrayList<>();

  public static void main(String[] args) throws Exception {
    System.exit(new Chaos().run());
  }

  static List<Kind> kinds(String names) {
    if (names.isBlank()) {
      return List.of(Kind.values());
    }
    List<Kind> kinds = new ArrayList<>();
    for (String name : names.split(",")) {
      kinds.add(Kind.valueOf(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
    }
    return kinds;
  }

  private int run() throws Exception {
    Files.createDirectories(work);
    say("%d s of faults on %d nodes through %s, seed %d", seconds, nodes, balancer, seed);
    Network network = Network.demo();
    long zone = network.zone("Chaos");
    // Caps the load reaches within the run, so that faults strike while budgets run out.
    long impressionCap = Math.max(1_000, seconds * 10L);
    Map<String, Long> campaigns = new LinkedHashMap<>();
    campaigns.put(
        "CPM, impression cap " + impressionCap,
        network.campaign(
            "Chaos CPM capped",
            "\"type\":\"CONTRACT\",\"priority\":5,\"pricing\":\"CPM\",\"rate\":2,"
                + "\"budget\":100000,\"impressionCap\":"
                + impressionCap,
            zone));
    campaigns.put(
        "CPC, budget 10",
        network.campaign(
            "Chaos CPC",
            "\"type\":\"CONTRACT\",\"priority\":5,\"pricing\":\"CPC\",\"rate\":0.05,"
                + "\"budget\":10",
            zone));
    campaigns.put(
        "remnant CPM",
        network.campaign(
            "Chaos remnant",
            "\"type\":\"REMNANT\",\"pricing\":\"CPM\",\"rate\":0.5,\"budget\":1000000",
            zone));
    Network.awaitServing(nodeUris(), zone);

    Load load = new Load(zone, visitors);
    long start = System.currentTimeMillis();
    Thread.sleep(10_000); // the load's steady state before the first fault
    List<Fault> faults = new ArrayList<>();
    List<Kind> cycle = new ArrayList<>();
    while (System.currentTimeMillis() - start < seconds * 1000L || faults.size() < kinds.size()) {
      if (cycle.isEmpty()) {
        cycle.addAll(kinds);
        Collections.shuffle(cycle, random);
      }
      faults.add(inject(cycle.remove(0), load));
      Thread.sleep(5_000);
    }
    Load.Result result = load.stop();
    // Each fault's failures and slowest tracking answer, between its start and the next one.
    List<Fault> measured = new ArrayList<>();
    for (int i = 0; i < faults.size(); i++) {
      Fault f = faults.get(i);
      long until = i + 1 < faults.size() ? faults.get(i + 1).at : Long.MAX_VALUE;
      measured.add(result.measure(f, until));
    }
    Verdict verdict = verify(result, campaigns, problems);
    report(measured, result, verdict, campaigns, System.currentTimeMillis() - start);
    return problems.isEmpty() ? 0 : 1;
  }

  // ------------------------------------------------------------------------------ faults

  private Fault inject(Kind kind, Load load) throws Exception {
    String node = "n" + (1 + random.nextInt(nodes));
    String target = kind == Kind.KILL || kind == Kind.FREEZE ? node : "";
    long at = System.currentTimeMillis();
    say("fault: %s %s", kind.what, target);
    switch (kind) {
      case KILL -> {
        fault("kill", node);
        Thread.sleep(2_000);
        fault("start", node);
      }
      case FREEZE -> {
        fault("freeze", node);
        Thread.sleep(8_000);
        fault("thaw", node);
      }
      case PG_RESTART -> fault("pg-restart");
      case PG_FREEZE -> {
        fault("pg-freeze");
        Thread.sleep(15_000);
        fault("pg-thaw");
      }
      case HTTPD_RELOAD -> fault("httpd-reload");
    }
    long held = System.currentTimeMillis() - at;
    long whole = awaitWhole(load, Duration.ofMinutes(3));
    if (whole < 0) {
      problems.add("the cluster was not whole 3 minutes after: " + kind.what + " " + target);
    }
    say(
        "  whole again after %s",
        whole < 0 ? "(never)" : (System.currentTimeMillis() - at) + " ms");
    return new Fault(
        kind,
        target,
        at,
        held,
        whole < 0 ? -1 : System.currentTimeMillis() - at,
        0,
        Map.of(),
        0,
        0,
        0);
  }

  private static void fault(String... arguments) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(TestEnvironment.repository().resolve("scripts/adgrid").toString());
    command.add("fault");
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
      throw new IllegalStateException("scripts/adgrid fault " + arguments[0] + ": " + output);
    }
  }

  /**
   * Waits until every node is ready and sees the whole grid, httpd takes every node, and a decision
   * and its impression go through httpd; returns 0 when so, -1 after the timeout.
   */
  private long awaitWhole(Load load, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (whole(load)) {
        return 0;
      }
      Thread.sleep(250);
    }
    return -1;
  }

  private boolean whole(Load load) {
    try {
      for (URI node : nodeUris()) {
        if (status(node.resolve("/health/ready")) != 200
            || !body(node.resolve("/api/v1/cluster")).contains("\"gridSize\":" + nodes)) {
          return false;
        }
      }
      Matcher ok =
          OK_MEMBER.matcher(
              body(
                  URI.create(
                      "http://127.0.0.1:"
                          + TestEnvironment.env("ADGRID_HTTPD_ADMIN_PORT")
                          + "/balancer-manager")));
      int taken = 0;
      while (ok.find()) {
        taken++;
      }
      return taken >= nodes && load.probe();
    } catch (IOException | InterruptedException | RuntimeException e) {
      return false;
    }
  }

  private List<URI> nodeUris() {
    int base = Integer.parseInt(TestEnvironment.env("ADGRID_NODE_HTTP_BASE"));
    List<URI> uris = new ArrayList<>();
    for (int i = 0; i < nodes; i++) {
      uris.add(URI.create("http://127.0.0.1:" + (base + i)));
    }
    return uris;
  }

  private static int status(URI uri) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String body(URI uri) throws IOException, InterruptedException {
    return HTTP.send(
            HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  // ------------------------------------------------------------------------------ the load

  /**
   * Visitors (decide, impression, a click on one in ten) and signed-in people, through httpd, until
   * stopped; every acknowledged event and every failure written down with its time.
   */
  static final class Load {
    /** Visitors unless told otherwise. */
    static final int VISITORS = 6;

    static final String FIREFOX = "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0";

    /** "I:uuid" and "C:uuid" of the events the cluster acknowledged. */
    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    /** Failed requests: when (epoch ms), and what ("impression 503", "decide broken"...). */
    final ConcurrentLinkedQueue<long[]> failureTimes = new ConcurrentLinkedQueue<>();

    final Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
    final ConcurrentLinkedQueue<long[]> tracking = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> decisions = new ConcurrentLinkedQueue<>();
    final List<String> kinds = Collections.synchronizedList(new ArrayList<>());
    final AtomicLong sessionsLost = new AtomicLong();
    final AtomicLong pages = new AtomicLong();
    final AtomicLong retried = new AtomicLong();
    private final long zone;
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService clients;
    private final List<Future<?>> work = new ArrayList<>();

    Load(long zone) throws Exception {
      this(zone, VISITORS);
    }

    Load(long zone, int visitors) throws Exception {
      this.zone = zone;
      clients = Executors.newFixedThreadPool(visitors + 4);
      for (int i = 0; i < visitors; i++) {
        work.add(clients.submit(this::visitor));
      }
      String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
      for (String email :
          List.of(
              "ads@northwind.test",
              "ads@contoso.test",
              "pub@dailyplanet.test",
              "pub@gadgetweekly.test")) {
        work.add(clients.submit(() -> person(email, password)));
      }
    }

    /** A decision and its impression through httpd, outside the load's own figures. */
    boolean probe() throws IOException, InterruptedException {
      HttpResponse<String> decision = decide();
      if (decision.statusCode() != 200) {
        return false;
      }
      JsonObject body = TestEnvironment.json(decision);
      if (get(body.getString("impressionUrl")).statusCode() != 200) {
        return false;
      }
      acknowledged.add("I:" + body.getString("decisionId"));
      return true;
    }

    private Void visitor() {
      while (!stop.get()) {
        try {
          HttpResponse<String> decision = decide();
          count("decide", decision.statusCode());
          if (decision.statusCode() == 200) {
            decisions.add(System.currentTimeMillis());
          }
          if (decision.statusCode() != 200) {
            Thread.sleep(decision.statusCode() == 204 ? 50 : 200);
            continue;
          }
          JsonObject body = TestEnvironment.json(decision);
          String id = body.getString("decisionId");
          if (track("impression", body.getString("impressionUrl"), 200)) {
            acknowledged.add("I:" + id);
            if (ThreadLocalRandom.current().nextInt(10) == 0
                && track("click", body.getString("clickUrl"), 302)) {
              acknowledged.add("C:" + id);
            }
          }
        } catch (IOException e) {
          failed("decide", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        } catch (RuntimeException e) {
          failed("decide", e);
        }
      }
      return null;
    }

    /**
     * Loads a tracking URL until it is acknowledged, as an integration that was not told the event
     * is stored would: up to 6 tries in 15 s. True when acknowledged.
     */
    private boolean track(String what, String url, int expected) throws InterruptedException {
      for (int attempt = 0; attempt < 6 && !stop.get(); attempt++) {
        if (attempt > 0) {
          retried.incrementAndGet();
          Thread.sleep(500L * attempt);
        }
        long began = System.currentTimeMillis();
        try {
          HttpResponse<String> answer = get(url);
          tracking.add(new long[] {began, System.currentTimeMillis() - began});
          count(what, answer.statusCode());
          if (answer.statusCode() == expected) {
            return true;
          }
        } catch (IOException e) {
          tracking.add(new long[] {began, System.currentTimeMillis() - began});
          failed(what, e);
        }
      }
      return false;
    }

    private Void person(String email, String password) {
      Browser person = new Browser();
      boolean signedIn = false;
      while (!stop.get()) {
        try {
          if (!signedIn) {
            int answer = person.signIn(email, password).statusCode();
            count("sign-in", answer);
            signedIn = answer == 302;
          } else {
            HttpResponse<String> page = person.get("/app/");
            pages.incrementAndGet();
            if (page.statusCode() == 302
                && page.headers().firstValue("Location").orElse("").contains("login")) {
              sessionsLost.incrementAndGet();
              count("page (session lost)", 302);
              signedIn = false;
            } else {
              count("page", page.statusCode());
            }
          }
          Thread.sleep(500);
        } catch (IOException e) {
          failed("page", e);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return null;
        }
      }
      return null;
    }

    private void count(String what, int status) {
      boolean fine = status < 400;
      outcomes
          .computeIfAbsent(
              what + " " + (fine ? status / 100 + "xx" : status), k -> new AtomicLong())
          .incrementAndGet();
      if (!fine) {
        failure(what + " " + status);
      }
    }

    private void failed(String what, Exception e) {
      String kind = what + (e instanceof HttpTimeoutException ? " timed out" : " broken");
      outcomes.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
      failure(kind);
    }

    private void failure(String kind) {
      int index;
      synchronized (kinds) {
        index = kinds.indexOf(kind);
        if (index < 0) {
          kinds.add(kind);
          index = kinds.size() - 1;
        }
      }
      failureTimes.add(new long[] {System.currentTimeMillis(), index});
    }

    private HttpResponse<String> decide() throws IOException, InterruptedException {
      return HTTP.send(
          HttpRequest.newBuilder(
                  TestEnvironment.balancer()
                      .resolve("/api/v1/decide?zone=" + zone + "&vid=" + UUID.randomUUID()))
              .header("User-Agent", FIREFOX)
              .timeout(Duration.ofSeconds(20))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
      return HTTP.send(
          HttpRequest.newBuilder(URI.create(url))
              .header("User-Agent", FIREFOX)
              .timeout(Duration.ofSeconds(20))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }

    record Result(Load load) {
      Fault measure(Fault fault, long until) {
        Map<String, Integer> failures = new TreeMap<>();
        long last = fault.at;
        for (long[] f : load.failureTimes) {
          if (f[0] >= fault.at && f[0] < until) {
            failures.merge(load.kinds.get((int) f[1]), 1, Integer::sum);
            last = Math.max(last, f[0]);
          }
        }
        long slowest = 0;
        long slow = 0;
        for (long[] t : load.tracking) {
          if (t[0] >= fault.at && t[0] < until) {
            slowest = Math.max(slowest, t[1]);
            slow += t[1] > 3_000 ? 1 : 0;
          }
        }
        long decided = load.decisions.stream().filter(t -> t >= fault.at && t < until).count();
        return new Fault(
            fault.kind,
            fault.target,
            fault.at,
            fault.heldMillis,
            fault.wholeMillis,
            last - fault.at,
            failures,
            decided,
            slowest,
            slow);
      }
    }

    Result stop() throws Exception {
      stop.set(true);
      for (Future<?> f : work) {
        f.get(2, TimeUnit.MINUTES);
      }
      clients.shutdown();
      return new Result(this);
    }
  }

  // ------------------------------------------------------------------------------ verdict

  record Verdict(
      long acknowledged,
      long lost,
      long storedTwice,
      long billedTwice,
      long storedNotAcknowledged,
      Map<String, Bench.Money> money) {}

  /**
   * What the load was told against what the database holds; a broken promise is added to {@code
   * problems}.
   */
  static Verdict verify(Load.Result result, Map<String, Long> campaigns, List<String> problems)
      throws Exception {
    Set<String> acknowledged = result.load().acknowledged;
    long lost = 0;
    long storedTwice = 0;
    long billedTwice = 0;
    long stored = 0;
    Map<String, Bench.Money> money = new LinkedHashMap<>();
    try (Connection db = TestEnvironment.database()) {
      Map<String, long[]> rows = new ConcurrentHashMap<>();
      try (PreparedStatement query =
          db.prepareStatement(
              "SELECT kind || ':' || event_id, count(*) FILTER (WHERE reason <> 'REPLAY'),"
                  + " count(*) FILTER (WHERE billed) FROM event"
                  + " WHERE kind IN ('I', 'C') AND campaign_id = ANY (?) GROUP BY 1")) {
        query.setArray(1, db.createArrayOf("bigint", campaigns.values().toArray()));
        try (ResultSet row = query.executeQuery()) {
          while (row.next()) {
            rows.put(row.getString(1), new long[] {row.getLong(2), row.getLong(3)});
          }
        }
      }
      for (String event : acknowledged) {
        long[] found = rows.get(event);
        if (found == null || found[0] == 0) {
          lost++;
        }
      }
      for (var row : rows.entrySet()) {
        stored += row.getValue()[0] > 0 ? 1 : 0;
        storedTwice += row.getValue()[0] > 1 ? 1 : 0;
        billedTwice += row.getValue()[1] > 1 ? 1 : 0;
      }
      for (var campaign : campaigns.entrySet()) {
        Bench.Money figures = Bench.Money.of(db, campaign.getValue());
        money.put(campaign.getKey(), figures);
        if (figures.overspent()) {
          problems.add("overspend: " + campaign.getKey() + " " + figures);
        }
      }
    }
    if (lost > 0) {
      problems.add(lost + " acknowledged events not stored");
    }
    if (storedTwice + billedTwice > 0) {
      problems.add(storedTwice + " events stored twice, " + billedTwice + " billed twice");
    }
    if (result.load().sessionsLost.get() > 0) {
      problems.add(result.load().sessionsLost.get() + " sessions lost");
    }
    result
        .load()
        .outcomes
        .forEach(
            (kind, n) -> {
              if (kind.endsWith(" 500")) {
                problems.add(n + " answers of 500 (" + kind + ")");
              }
            });
    return new Verdict(
        acknowledged.size(),
        lost,
        storedTwice,
        billedTwice,
        stored - (acknowledged.size() - lost),
        money);
  }

  // ------------------------------------------------------------------------------ report

  private void report(
      List<Fault> faults,
      Load.Result result,
      Verdict verdict,
      Map<String, Long> campaigns,
      long tookMillis)
      throws IOException {
    Load load = result.load();
    StringBuilder md = new StringBuilder();
    md.append(
        String.format(
            Locale.ROOT,
            "# Chaos run%n%n%d faults in %d s on %d nodes (seed %d); %d visitors and 4 signed-in"
                + " people through httpd.%n%n",
            faults.size(),
            tookMillis / 1000,
            nodes,
            seed,
            visitors));
    md.append("| # | fault | held | whole again after | clients saw failures for |")
        .append(" ads served | tracking answers over 3 s, slowest | failed requests |\n")
        .append("|---:|---|---:|---:|---:|---:|---:|---|\n");
    int n = 0;
    for (Fault f : faults) {
      md.append(
          String.format(
              Locale.ROOT,
              "| %d | %s %s | %.1f s | %s | %.1f s | %d | %d, %.1f s | %s |%n",
              ++n,
              f.kind.what,
              f.target,
              f.heldMillis / 1000.0,
              f.wholeMillis < 0
                  ? "never"
                  : String.format(Locale.ROOT, "%.1f s", f.wholeMillis / 1000.0),
              f.affectedMillis / 1000.0,
              f.decisions,
              f.slowTracking,
              f.slowestTrackingMillis / 1000.0,
              f.failures.isEmpty() ? "none" : f.failures.toString().replaceAll("[{}]", "")));
    }
    md.append("\n| requests | count |\n|---|---:|\n");
    new TreeMap<>(load.outcomes)
        .forEach(
            (kind, count) ->
                md.append("| ").append(kind).append(" | ").append(count).append(" |\n"));
    md.append(
        String.format(
            Locale.ROOT,
            "%n| promise | figure |%n|---|---:|%n"
                + "| events acknowledged | %d |%n"
                + "| acknowledged, not stored (lost) | %d |%n"
                + "| stored twice / billed twice | %d / %d |%n"
                + "| stored, not acknowledged (the client saw an error; its retry was a replay) | %d |%n"
                + "| tracking retries after an error | %d |%n"
                + "| pages of signed-in people / sessions lost | %d / %d |%n",
            verdict.acknowledged,
            verdict.lost,
            verdict.storedTwice,
            verdict.billedTwice,
            verdict.storedNotAcknowledged,
            load.retried.get(),
            load.pages.get(),
            load.sessionsLost.get()));
    md.append("\n| campaign | billed impressions | billed clicks | spend | caps, budget |\n")
        .append("|---|---:|---:|---:|---|\n");
    verdict.money.forEach((name, m) -> md.append(Bench.Money.row(name, m.figures())));
    md.append(
        problems.isEmpty()
            ? "\nNothing lost, nothing twice, nothing overspent.\n"
            : "\nPROBLEMS:\n");
    problems.forEach(p -> md.append("- ").append(p).append('\n'));
    Files.writeString(work.resolve("report.md"), md);

    JsonArrayBuilder faultsJson = Json.createArrayBuilder();
    for (Fault f : faults) {
      JsonObjectBuilder failures = Json.createObjectBuilder();
      f.failures.forEach(failures::add);
      faultsJson.add(
          Json.createObjectBuilder()
              .add("kind", f.kind.name())
              .add("target", f.target)
              .add("heldMillis", f.heldMillis)
              .add("wholeMillis", f.wholeMillis)
              .add("affectedMillis", f.affectedMillis)
              .add("decisions", f.decisions)
              .add("slowestTrackingMillis", f.slowestTrackingMillis)
              .add("slowTracking", f.slowTracking)
              .add("failures", failures));
    }
    JsonObjectBuilder outcomes = Json.createObjectBuilder();
    new TreeMap<>(load.outcomes).forEach((k, v) -> outcomes.add(k, v.get()));
    JsonArrayBuilder problemsJson = Json.createArrayBuilder();
    problems.forEach(problemsJson::add);
    Files.writeString(
        work.resolve("report.json"),
        Json.createObjectBuilder()
            .add("seed", seed)
            .add("seconds", tookMillis / 1000)
            .add("nodes", nodes)
            .add("faults", faultsJson)
            .add("outcomes", outcomes)
            .add("acknowledged", verdict.acknowledged)
            .add("lost", verdict.lost)
            .add("storedTwice", verdict.storedTwice)
            .add("billedTwice", verdict.billedTwice)
            .add("storedNotAcknowledged", verdict.storedNotAcknowledged)
            .add("sessionsLost", load.sessionsLost.get())
            .add("pages", load.pages.get())
            .add("problems", problemsJson)
            .build()
            .toString());
    System.out.println();
    System.out.print(md);
    System.out.println("\nreport: " + work.resolve("report.md"));
  }

  private static void say(String format, Object... args) {
    System.out.printf(
        "chaos %s %s%n",
        java.time.LocalTime.now().withNano(0), String.format(Locale.ROOT, format, args));
  }
}
