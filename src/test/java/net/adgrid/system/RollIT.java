package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Changing a live cluster while visitors see ads and signed-in people use their pages and
 * dashboards: {@code scripts/adgrid roll} from the previous commit's release (started on an empty
 * database, so this release's migrations run mid-roll) to this one, then {@code scale 3} and {@code
 * scale 2}. No request failed, no session was lost, every acknowledged event is stored once. Then
 * the admin console (started by {@code up}) lists the restarted nodes.
 */
@TestMethodOrder(OrderAnnotation.class)
class RollIT {

  private static final java.net.http.HttpClient POLLS =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** The previous commit's WAR: the release the cluster runs before it is rolled to this one. */
  private static Path previous;

  private static String previousSchema;

  @BeforeAll
  static void previousReleaseOnAFreshDatabase() throws Exception {
    TestEnvironment.requirePrepared();
    previous = buildPreviousRelease();
    // The previous release makes the schema its own way from an empty database; the roll then
    // brings in this release, whose first node migrates while the other still runs the previous.
    TestEnvironment.adgrid(Duration.ofMinutes(2), "down", "--keep-db");
    try (Connection admin = TestEnvironment.database("postgres");
        java.sql.Statement sql = admin.createStatement()) {
      String name = TestEnvironment.env("ADGRID_DB_NAME");
      sql.execute("DROP DATABASE IF EXISTS \"" + name + "\" WITH (FORCE)");
      sql.execute("CREATE DATABASE \"" + name + "\"");
    }
    TestEnvironment.adgridWith(
        java.util.Map.of("ADGRID_WAR", previous.toString()),
        Duration.ofMinutes(6),
        "up",
        "--nodes",
        "2");
    previousSchema = schemaVersion();
  }

  @Test
  @Order(1)
  void aRollFromThePreviousReleaseUnderLoadFailsNoRequestLosesNoSessionAndNoEvent()
      throws Exception {
    Traffic traffic = new Traffic("Rolled");
    long start = System.nanoTime();
    String rolled = TestEnvironment.adgrid(Duration.ofMinutes(6), "roll");
    long took = (System.nanoTime() - start) / 1_000_000;
    Traffic.Result result = traffic.stop();
    assertTrue(rolled.contains("n1: back in the balancer") && rolled.contains("n2: back"), rolled);
    assertTrue(!rolled.contains("still in progress"), "each node drained: " + rolled);
    assertTrue(
        rolled.contains("n1: draining (disabled in the balancer"),
        "drained at the balancer: " + rolled);
    result.assertClean("the roll");
    System.out.printf(
        "roll: from the previous commit's release (schema %s) to this one (schema %s), 2 nodes in"
            + " %d ms under load: %s%n",
        previousSchema, schemaVersion(), took, result);
  }

  @Test
  @Order(2)
  void scalingOutAndInUnderLoadFailsNoRequest() throws Exception {
    Traffic traffic = new Traffic("Scaled");
    long start = System.nanoTime();
    String out = TestEnvironment.adgrid(Duration.ofMinutes(6), "scale", "3");
    long outTook = (System.nanoTime() - start) / 1_000_000;
    assertEquals(3, gridSize(), "three nodes in the grid");
    Set<String> served = new java.util.HashSet<>();
    for (int i = 0; i < 60 && served.size() < 3; i++) {
      served.add(
          POLLS
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          TestEnvironment.balancer().resolve("/api/v1/cluster"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .headers()
              .firstValue("X-Adgrid-Node")
              .orElse("?"));
    }
    assertEquals(Set.of("n1", "n2", "n3"), served, "httpd sends requests to the new node");
    start = System.nanoTime();
    String in = TestEnvironment.adgrid(Duration.ofMinutes(6), "scale", "2");
    long inTook = (System.nanoTime() - start) / 1_000_000;
    Traffic.Result result = traffic.stop();
    assertEquals(2, gridSize(), "two nodes in the grid");
    String status = TestEnvironment.adgrid(Duration.ofMinutes(1), "status");
    assertTrue(
        !status.contains("member n3") && status.contains("spare members (stopped): n3,"),
        "httpd stopped n3:\n" + status);
    // Without a reload: httpd took n3 in and out through balancer-manager.
    assertTrue(!out.contains("reloading httpd") && !in.contains("reloading httpd"), out + in);
    result.assertClean("scaling");
    // A layout PostgreSQL cannot hold is refused before anything changes.
    AssertionError refused =
        org.junit.jupiter.api.Assertions.assertThrows(
            AssertionError.class,
            () -> TestEnvironment.adgrid(Duration.ofMinutes(1), "scale", "40"));
    assertTrue(
        refused.getMessage().contains("connections, but PostgreSQL allows"), refused.getMessage());
    assertEquals(2, gridSize());
    System.out.printf(
        "scale: 2 -> 3 nodes in %d ms, 3 -> 2 in %d ms under load: %s%n%s%s",
        outTook, inTook, result, out, in);
  }

  @Test
  @Order(3)
  void theAdminConsoleListsTheRunningNodesAndTakesNoShareOfTheGrid() throws Exception {
    Path secret = TestEnvironment.runHome().resolve("secrets/console-password");
    String password = Files.readString(secret).replaceAll("[^A-Za-z0-9]", "");
    URI console =
        URI.create(
            "http://127.0.0.1:"
                + (Integer.parseInt(TestEnvironment.env("ADGRID_CONSOLE_PORTBASE")) + 48)
                + "/management/domain/list-hazelcast-cluster-members?type=micro");
    java.util.function.Function<String, HttpResponse<String>> ask =
        credentials -> {
          try {
            return POLLS.send(
                java.net.http.HttpRequest.newBuilder(console)
                    .header("Accept", "application/json")
                    .header(
                        "Authorization",
                        "Basic "
                            + java.util.Base64.getEncoder()
                                .encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };
    assertEquals(401, ask.apply("admin:wrong").statusCode(), "the console wants its password");
    // The nodes were just restarted by the roll: the console lists them again, by name.
    List<String> names = List.of();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = ask.apply("admin:" + password);
      assertEquals(200, answer.statusCode(), answer.body());
      JsonObject body = Json.createReader(new StringReader(answer.body())).readObject();
      names =
          body.getJsonObject("extraProperties").getJsonArray("members").stream()
              .map(JsonObject.class::cast)
              .filter(m -> m.getString("instanceType").equals("MICRO"))
              .map(m -> m.getString("instanceName"))
              .sorted()
              .toList();
      if (names.equals(List.of("n1", "n2"))) {
        break;
      }
      Thread.sleep(1_000);
    }
    assertEquals(List.of("n1", "n2"), names, "the console lists the running nodes");
    String status = TestEnvironment.adgrid(Duration.ofMinutes(1), "status");
    assertTrue(status.contains("Payara Micro nodes it sees: n1,n2"), status);
    assertTrue(status.contains("member n1     Init Ok"), status);
    // A lite member: the nodes count two nodes (budgets are shared by two) and one lite member.
    JsonObject grid = cluster();
    assertEquals(2, grid.getInt("gridSize"), grid.toString());
    assertEquals(1, grid.getInt("liteMembers"), grid.toString());
  }

  // ------------------------------------------------------------------------------ helpers

  /** Builds the previous commit in a worktree of its own; returns its WAR. */
  private static Path buildPreviousRelease() throws Exception {
    Path repository = TestEnvironment.repository();
    Path tree = repository.resolve("target/previous-release");
    Path war = repository.resolve("target/previous-release.war");
    String commit = run(repository, "git", "rev-parse", "HEAD~1").trim();
    if (Files.exists(war) && Files.readString(tree.resolve(".built")).trim().equals(commit)) {
      return war;
    }
    run(repository, "git", "worktree", "remove", "--force", tree.toString());
    run(repository, "git", "worktree", "prune");
    assertEquals(
        0,
        new ProcessBuilder("git", "worktree", "add", "--detach", tree.toString(), commit)
            .directory(repository.toFile())
            .inheritIO()
            .start()
            .waitFor(),
        "git worktree add " + commit);
    Process build =
        new ProcessBuilder(
                "mvn", "-B", "-q", "package", "-DskipTests", "-Dmdep.skip=true", "-Dspotless.skip")
            .directory(tree.toFile())
            .redirectErrorStream(true)
            .redirectOutput(repository.resolve("target/previous-release.log").toFile())
            .start();
    assertTrue(build.waitFor(10, TimeUnit.MINUTES), "the previous release builds in time");
    assertEquals(0, build.exitValue(), "the previous release builds: target/previous-release.log");
    Files.copy(tree.resolve("target/adgrid.war"), war, StandardCopyOption.REPLACE_EXISTING);
    Files.writeString(tree.resolve(".built"), commit);
    return war;
  }

  private static String run(Path directory, String... command) throws Exception {
    Process process =
        new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor(1, TimeUnit.MINUTES);
    return output;
  }

  private static String schemaVersion() throws Exception {
    try (Connection db = TestEnvironment.database();
        ResultSet row =
            db.createStatement()
                .executeQuery(
                    "SELECT max(version::int) FROM flyway_schema_history WHERE success")) {
      row.next();
      return "V" + row.getInt(1);
    }
  }

  private static int gridSize() throws Exception {
    return cluster().getInt("gridSize");
  }

  /** The cluster as a node behind the balancer describes it. */
  private static JsonObject cluster() throws Exception {
    HttpResponse<String> cluster =
        POLLS.send(
            java.net.http.HttpRequest.newBuilder(
                    TestEnvironment.balancer().resolve("/api/v1/cluster"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return Json.createReader(new StringReader(cluster.body())).readObject();
  }

  /**
   * Visitors seeing ads (4 paced clients: decide, then count the impression) and two signed-in
   * people reading their pages and polling their live dashboards, through httpd, until stopped.
   */
  static final class Traffic {
    private final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    private final List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger pages = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final ExecutorService clients = Executors.newFixedThreadPool(6);
    private final List<Future<?>> work = new ArrayList<>();

    record Result(Set<String> acknowledged, List<String> failures, int pages, int polls) {
      void assertClean(String what) throws Exception {
        assertEquals(List.of(), failures, "no request failed during " + what);
        assertTrue(acknowledged.size() > 100, "the load ran: " + acknowledged.size());
        try (Connection db = TestEnvironment.database();
            PreparedStatement query =
                db.prepareStatement(
                    "SELECT count(*) FROM event WHERE kind = 'I' AND reason = 'OK'"
                        + " AND event_id = ANY(?::uuid[])")) {
          query.setArray(1, db.createArrayOf("text", acknowledged.toArray()));
          try (ResultSet row = query.executeQuery()) {
            row.next();
            assertEquals(
                acknowledged.size(), row.getLong(1), "every acknowledged event stored once");
          }
        }
      }

      @Override
      public String toString() {
        return acknowledged.size()
            + " impressions acknowledged, "
            + pages
            + " pages and "
            + polls
            + " dashboard polls of two signed-in people, "
            + failures.size()
            + " failures";
      }
    }

    Traffic(String name) throws Exception {
      Network network = Network.demo();
      long zone = network.zone(name);
      network.campaign(
          name, "\"type\":\"OVERRIDE\",\"budget\":100000,\"pricing\":\"CPM\",\"rate\":1", zone);
      // Every node serves the new campaign before the load starts (each rebuilds its index on
      // the change's message; the balancer alone could be answered by the first to have done so).
      int base = Integer.parseInt(TestEnvironment.env("ADGRID_NODE_HTTP_BASE"));
      Network.awaitServing(
          List.of(
              URI.create("http://127.0.0.1:" + base), URI.create("http://127.0.0.1:" + (base + 1))),
          zone);
      String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
      for (int t = 0; t < 4; t++) {
        work.add(clients.submit(() -> visitors(zone)));
      }
      for (String email : List.of("ads@northwind.test", "pub@dailyplanet.test")) {
        Browser person = new Browser();
        assertEquals(302, person.signIn(email, password).statusCode());
        work.add(clients.submit(() -> person(person)));
      }
      Thread.sleep(2_000);
    }

    Result stop() throws Exception {
      Thread.sleep(2_000);
      stop.set(true);
      for (Future<?> f : work) {
        f.get();
      }
      clients.shutdown();
      return new Result(Set.copyOf(acknowledged), List.copyOf(failures), pages.get(), polls.get());
    }

    private Void visitors(long zone) {
      while (!stop.get()) {
        try {
          HttpResponse<String> decision =
              ServingIT.decide(
                  TestEnvironment.balancer(), "zone=" + zone + "&vid=" + UUID.randomUUID());
          if (decision.statusCode() != 200) {
            failures.add(
                "decide "
                    + decision.statusCode()
                    + " from "
                    + decision.headers().firstValue("X-Adgrid-Node").orElse("?")
                    + " at "
                    + java.time.Instant.now());
            continue;
          }
          JsonObject body = TestEnvironment.json(decision);
          HttpResponse<String> impression =
              CountingIT.get(URI.create(body.getString("impressionUrl")));
          if (impression.statusCode() == 200) {
            acknowledged.add(body.getString("decisionId"));
          } else {
            failures.add("impression " + impression.statusCode());
          }
          Thread.sleep(20); // a steady load, not all the two cores can give
        } catch (Exception e) {
          failures.add("broken: " + e);
        }
      }
      return null;
    }

    private Void person(Browser person) {
      String pass = null;
      long passAt = 0;
      String etag = null;
      while (!stop.get()) {
        try {
          HttpResponse<String> page = person.get("/app/");
          pages.incrementAndGet();
          if (page.statusCode() != 200) {
            failures.add("page " + page.statusCode() + " (session lost?)");
          }
          // The person's live dashboard: its pass from the session (renewed every minute, as
          // the page does; a pass lives two), then its poll.
          if (pass == null || System.nanoTime() - passAt > 60_000_000_000L) {
            passAt = System.nanoTime();
            HttpResponse<String> issued = person.get("/app/live-pass");
            if (issued.statusCode() != 200) {
              failures.add("live pass " + issued.statusCode());
              continue;
            }
            pass = issued.body().trim();
          }
          var poll =
              java.net.http.HttpRequest.newBuilder(TestEnvironment.balancer().resolve("/live/poll"))
                  .header("X-Live-Pass", pass);
          if (etag != null) {
            poll.header("If-None-Match", etag);
          }
          HttpResponse<String> live =
              POLLS.send(poll.build(), HttpResponse.BodyHandlers.ofString());
          polls.incrementAndGet();
          if (live.statusCode() != 200 && live.statusCode() != 304) {
            failures.add("live poll " + live.statusCode());
          }
          etag = live.headers().firstValue("ETag").orElse(etag);
          Thread.sleep(200);
        } catch (Exception e) {
          failures.add("page broken: " + e);
        }
      }
      return null;
    }
  }
}
