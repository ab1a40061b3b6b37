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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * {@code scripts/adgrid roll} while visitors see ads and signed-in people use their pages and
 * dashboards: every node restarted in turn, and no request failed, no session was lost, every
 * acknowledged event is stored once. Then the admin console (started by {@code up}) lists the
 * restarted nodes.
 */
@TestMethodOrder(OrderAnnotation.class)
class RollIT {

  private static final java.net.http.HttpClient POLLS =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void cluster() throws Exception {
    TestEnvironment.requirePrepared();
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "2");
  }

  @Test
  @Order(1)
  void aRollingRestartUnderLoadFailsNoRequestLosesNoSessionAndNoEvent() throws Exception {
    Network network = Network.demo();
    long zone = network.zone("Rolled");
    network.campaign(
        "Rolled", "\"type\":\"OVERRIDE\",\"budget\":100000,\"pricing\":\"CPM\",\"rate\":1", zone);
    Network.awaitServing(List.of(TestEnvironment.balancer()), zone);
    String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    List<Browser> people = new ArrayList<>();
    for (String email : List.of("ads@northwind.test", "pub@dailyplanet.test")) {
      Browser browser = new Browser();
      assertEquals(302, browser.signIn(email, password).statusCode());
      people.add(browser);
    }
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    AtomicInteger pages = new AtomicInteger();
    AtomicInteger polls = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(6);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      work.add(
          clients.submit(
              () -> {
                while (!stop.get()) {
                  try {
                    HttpResponse<String> decision =
                        ServingIT.decide(
                            TestEnvironment.balancer(),
                            "zone=" + zone + "&vid=" + UUID.randomUUID());
                    if (decision.statusCode() != 200) {
                      failures.add("decide " + decision.statusCode());
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
              }));
    }
    for (Browser person : people) {
      work.add(
          clients.submit(
              () -> {
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
                    // The person's live dashboard: its pass from the session (renewed every
                    // minute, as the page does; a pass lives two), then its poll.
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
                        java.net.http.HttpRequest.newBuilder(
                                TestEnvironment.balancer().resolve("/live/poll"))
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
              }));
    }
    Thread.sleep(2_000);
    long start = System.nanoTime();
    String rolled = TestEnvironment.adgrid(Duration.ofMinutes(6), "roll");
    long took = (System.nanoTime() - start) / 1_000_000;
    Thread.sleep(2_000);
    stop.set(true);
    for (Future<?> f : work) {
      f.get();
    }
    clients.shutdown();
    assertTrue(rolled.contains("n1: back in the balancer") && rolled.contains("n2: back"), rolled);
    assertTrue(!rolled.contains("still in progress"), "each node drained: " + rolled);
    assertTrue(
        rolled.contains("n1: draining (disabled in the balancer"),
        "drained at the balancer: " + rolled);
    assertEquals(List.of(), failures, "no request failed during the roll");
    assertTrue(acknowledged.size() > 100, "the load ran: " + acknowledged.size());
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT count(*) FROM event WHERE kind = 'I' AND reason = 'OK'"
                    + " AND event_id = ANY(?::uuid[])")) {
      query.setArray(1, db.createArrayOf("text", acknowledged.toArray()));
      try (ResultSet row = query.executeQuery()) {
        row.next();
        assertEquals(acknowledged.size(), row.getLong(1), "every acknowledged event stored once");
      }
    }
    System.out.printf(
        "roll: 2 nodes in %d ms under load: %d impressions acknowledged, %d pages and %d"
            + " dashboard polls of two signed-in people, 0 failures%n",
        took, acknowledged.size(), pages.get(), polls.get());
  }

  @Test
  @Order(2)
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
    HttpResponse<String> cluster =
        POLLS.send(
            java.net.http.HttpRequest.newBuilder(
                    TestEnvironment.balancer().resolve("/api/v1/cluster"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    JsonObject grid = Json.createReader(new StringReader(cluster.body())).readObject();
    assertEquals(2, grid.getInt("gridSize"), cluster.body());
    assertEquals(1, grid.getInt("liteMembers"), cluster.body());
  }
}
