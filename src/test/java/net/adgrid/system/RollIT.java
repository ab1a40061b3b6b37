package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
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
import org.junit.jupiter.api.Test;

/**
 * {@code scripts/adgrid roll} while visitors see ads and signed-in people use their pages and
 * dashboards: every node restarted in turn, and no request failed, no session was lost, every
 * acknowledged event is stored once.
 */
class RollIT {

  private static final java.net.http.HttpClient POLLS =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void cluster() throws Exception {
    TestEnvironment.requirePrepared();
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "2");
  }

  @Test
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
}
