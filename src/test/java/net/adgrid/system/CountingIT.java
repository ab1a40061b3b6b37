package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import net.adgrid.serving.control.EventTokens;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Counting on three nodes through httpd with the real PostgreSQL and grid: caps hold exactly under
 * many concurrent clients, the same token sent to every node at once counts once, invalid traffic
 * is stored with its reason and never billed, and a node killed in the middle of a load loses no
 * acknowledged event and leaks no budget. Each test has campaigns and zones of its own.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CountingIT {

  static final String FIREFOX =
      "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0";
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newFixedThreadPool(8))
          .build();
  private static Network network;
  private static List<URI> nodes;

  @BeforeAll
  static void start() throws Exception {
    TestEnvironment.requirePrepared();
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "3");
    network = Network.demo();
    int base = Integer.parseInt(TestEnvironment.env("ADGRID_NODE_HTTP_BASE"));
    nodes = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      nodes.add(URI.create("http://127.0.0.1:" + (base + i)));
    }
  }

  /** The other system tests use two nodes: the third goes, and httpd forgets it. */
  @AfterAll
  static void back() throws Exception {
    TestEnvironment.adgrid(Duration.ofMinutes(2), "stop-node", "n3");
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "2");
  }

  // ------------------------------------------------------------------ the tests

  @Test
  @Order(1)
  void capsHoldExactlyUnderManyClientsOnThreeNodes() throws Exception {
    Served cpm =
        serving("Cap 1000 impressions", "\"pricing\":\"CPM\",\"rate\":2,\"impressionCap\":1000");
    Served cpc =
        serving(
            "Cap 1000 clicks",
            "\"pricing\":\"CPC\",\"rate\":0.5,\"budget\":100000,\"clickCap\":1000");
    AtomicInteger acknowledged = new AtomicInteger();
    Set<String> ackedIds = ConcurrentHashMap.newKeySet();
    List<String> clickUrls = java.util.Collections.synchronizedList(new ArrayList<>());
    ExecutorService clients = Executors.newFixedThreadPool(24);
    List<Future<?>> work = new ArrayList<>();
    Instant deadline = Instant.now().plusSeconds(120);
    for (int t = 0; t < 24; t++) {
      boolean clicking = t % 2 == 1;
      work.add(
          clients.submit(
              () -> {
                int nothing = 0;
                while (Instant.now().isBefore(deadline)) {
                  if (clicking && clickUrls.size() >= 1500) {
                    return null;
                  }
                  HttpResponse<String> decision =
                      decide(TestEnvironment.balancer(), clicking ? cpc.zone : cpm.zone, null);
                  if (decision.statusCode() == 204) {
                    // Every node has said no, several times over: nothing is left anywhere.
                    if (++nothing >= 30) {
                      return null;
                    }
                    continue;
                  }
                  assertEquals(200, decision.statusCode(), decision.body());
                  nothing = 0;
                  JsonObject body = TestEnvironment.json(decision);
                  HttpResponse<String> shown = get(URI.create(body.getString("impressionUrl")));
                  assertEquals(200, shown.statusCode(), shown.body());
                  acknowledged.incrementAndGet();
                  ackedIds.add(body.getString("decisionId"));
                  if (clicking) {
                    clickUrls.add(body.getString("clickUrl"));
                  }
                }
                throw new AssertionError("the load did not end in 2 minutes");
              }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    // A person takes a moment to click.
    Thread.sleep(1200);
    List<Future<Integer>> clicks = new ArrayList<>();
    for (String url : clickUrls) {
      clicks.add(clients.submit(() -> get(URI.create(url)).statusCode()));
    }
    int redirected = 0;
    for (Future<Integer> f : clicks) {
      redirected += f.get() == 302 ? 1 : 0;
    }
    clients.shutdown();
    assertEquals(clickUrls.size(), redirected, "every click was recorded and redirected");

    Map<String, Long> impressions = counts(cpm.campaign, 'I');
    System.out.printf(
        "caps: %d impressions acknowledged; CPM campaign %s; CPC campaign clicks %s%n",
        acknowledged.get(), impressions, counts(cpc.campaign, 'C'));
    assertEquals(1000L, impressions.get("billed"), "billed impressions: exactly the cap");
    assertEquals(1000L, counts(cpc.campaign, 'C').get("billed"), "billed clicks: exactly the cap");
    assertEquals(new BigDecimal("2.0000000"), cost(cpm.campaign), "1000 impressions at CPM 2");
    assertEquals(new BigDecimal("500.0000000"), cost(cpc.campaign), "1000 clicks at 0.50");
    // Every acknowledged impression is stored exactly once.
    assertEquals(ackedIds.size(), storedOnce(ackedIds, 'I'));
  }

  @Test
  @Order(2)
  void theSameTokenSentToEveryNodeAtOnceCountsOnce() throws Exception {
    Served served = serving("One token, three nodes", "\"pricing\":\"CPM\",\"rate\":1");
    for (int round = 0; round < 5; round++) {
      JsonObject body = TestEnvironment.json(decide(TestEnvironment.balancer(), served.zone, null));
      String path = URI.create(body.getString("impressionUrl")).getPath();
      CountDownLatch go = new CountDownLatch(1);
      List<Future<Integer>> sent = new ArrayList<>();
      ExecutorService senders = Executors.newFixedThreadPool(12);
      for (int i = 0; i < 12; i++) {
        URI node = nodes.get(i % 3);
        sent.add(
            senders.submit(
                () -> {
                  go.await();
                  long start = System.nanoTime();
                  HttpResponse<String> answer = get(node.resolve(path));
                  if (answer.statusCode() != 200) {
                    // Seen once in about ten runs: say what it was, to find out why.
                    System.out.printf(
                        "same token: %s answered %d after %d ms: %s%n",
                        node,
                        answer.statusCode(),
                        (System.nanoTime() - start) / 1_000_000,
                        answer.body());
                  }
                  return answer.statusCode();
                }));
      }
      go.countDown();
      for (Future<Integer> f : sent) {
        assertEquals(200, f.get(), "a replay is answered like any event");
      }
      senders.shutdown();
      try (Connection db = TestEnvironment.database();
          PreparedStatement query =
              db.prepareStatement(
                  "SELECT count(*) FILTER (WHERE reason <> 'REPLAY'),"
                      + " count(*) FILTER (WHERE reason = 'REPLAY'),"
                      + " count(*) FILTER (WHERE billed), count(DISTINCT node)"
                      + " FROM event WHERE event_id = ?::uuid AND kind = 'I'")) {
        query.setString(1, body.getString("decisionId"));
        try (ResultSet row = query.executeQuery()) {
          row.next();
          assertEquals(1, row.getLong(1), "counted once");
          assertEquals(11, row.getLong(2), "the other eleven stored as replays");
          assertEquals(1, row.getLong(3), "billed once");
          assertEquals(3, row.getLong(4), "received by all three nodes");
        }
      }
    }
    AttackReport.add(
        "replayed tracking tokens: 5 tokens, each sent 12 times at once to 3 nodes",
        55,
        0,
        "counted and billed once; the 11 other arrivals stored as REPLAY");
  }

  @Test
  @Order(3)
  void invalidTrafficIsStoredWithItsReasonAndNeverBilled() throws Exception {
    Served served = serving("Invalid traffic", "\"pricing\":\"CPC\",\"rate\":1,\"budget\":1000");
    // A crawler's impression, a click with no impression, a click too soon after its impression.
    JsonObject bot = TestEnvironment.json(decide(TestEnvironment.balancer(), served.zone, null));
    assertEquals(
        200,
        get(URI.create(bot.getString("impressionUrl")), "Mozilla/5.0 (compatible; Googlebot/2.1)")
            .statusCode());
    JsonObject lonely = TestEnvironment.json(decide(TestEnvironment.balancer(), served.zone, null));
    assertEquals(302, get(URI.create(lonely.getString("clickUrl"))).statusCode());
    JsonObject hasty = TestEnvironment.json(decide(TestEnvironment.balancer(), served.zone, null));
    assertEquals(200, get(URI.create(hasty.getString("impressionUrl"))).statusCode());
    assertEquals(204, get(URI.create(hasty.getString("viewableUrl"))).statusCode());
    assertEquals(302, get(URI.create(hasty.getString("clickUrl"))).statusCode());
    assertEquals("BOT", reason(bot, 'I'));
    assertEquals("NO_IMPRESSION", reason(lonely, 'C'));
    assertEquals("TOO_FAST", reason(hasty, 'C'));
    assertEquals("OK", reason(hasty, 'V'));

    // Tampered, wrong-kind and expired tokens are refused before anything is stored.
    String impression = hasty.getString("impressionUrl");
    String tampered = impression.substring(0, impression.length() - 3) + "AAA";
    assertEquals(400, get(URI.create(tampered)).statusCode());
    assertEquals(
        400, get(URI.create(impression.replace("/t/i/", "/t/c/"))).statusCode(), "wrong kind");
    EventTokens tokens = ServingIT.tokens();
    EventTokens.Claims old =
        tokens
            .valid(impression.substring(impression.lastIndexOf('/') + 1), Instant.now())
            .orElseThrow();
    UUID expiredId = UUID.randomUUID();
    String expired =
        tokens.sign(
            new EventTokens.Claims(
                expiredId,
                old.creativeId(),
                old.campaignId(),
                old.zoneId(),
                old.visitor(),
                EventTokens.Kind.IMPRESSION,
                Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2)),
                Duration.ofHours(1)));
    assertEquals(410, get(TestEnvironment.balancer().resolve("/t/i/" + expired)).statusCode());
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement("SELECT count(*) FROM event WHERE event_id = ?::uuid")) {
      query.setString(1, expiredId.toString());
      try (ResultSet row = query.executeQuery()) {
        row.next();
        assertEquals(0, row.getLong(1));
      }
    }
    AttackReport.add(
        "forged tracking tokens: a tampered signature, another kind's URL, an expired token",
        3,
        0,
        "400 (signature, kind), 410 (expired); nothing stored");
    assertEquals(2L, counts(served.campaign, 'I').get("events"), "the bot's and the hasty one");
    assertEquals(0L, counts(served.campaign, 'C').get("billed"), "no click billed");

    // One visitor, 130 impressions spread over the three nodes: the cluster-wide limit of 120
    // per minute lets exactly 120 count.
    while (LocalTime.now(ZoneOffset.UTC).getSecond() > 40) {
      Thread.sleep(500);
    }
    String vid = "limit-" + UUID.randomUUID();
    List<JsonObject> decisions = new ArrayList<>();
    for (int i = 0; i < 130; i++) {
      decisions.add(TestEnvironment.json(decide(nodes.get(i % 3), served.zone, vid)));
    }
    for (int i = 0; i < decisions.size(); i++) {
      URI url = URI.create(decisions.get(i).getString("impressionUrl"));
      assertEquals(200, get(nodes.get(i % 3).resolve(url.getPath())).statusCode());
    }
    Map<String, Integer> reasons = new HashMap<>();
    for (JsonObject d : decisions) {
      reasons.merge(reason(d, 'I'), 1, Integer::sum);
    }
    assertEquals(Map.of("OK", 120, "RATE_VISITOR", 10), reasons);
    AttackReport.add(
        "one visitor's impression flood: 130 in a minute over 3 nodes (limit 120)",
        130,
        reasons.getOrDefault("OK", 0) - 120,
        "the cluster-wide per-visitor limit: 10 stored as RATE_VISITOR, never billed");
  }

  @Test
  @Order(4)
  void theImageTagCountsOneImpressionAndItsClickOnAnyNode() throws Exception {
    long zone = network.zone("Image tag", "IMAGE");
    long campaign =
        network.campaign(
            "Image tag",
            "\"type\":\"OVERRIDE\",\"pricing\":\"CPC\",\"rate\":1,\"budget\":1000",
            Network.image(),
            zone);
    Network.awaitServing(nodes, zone);
    String random = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40));
    String tag = "/api/v1/image?zone=" + zone + "&n=" + random;
    HttpResponse<String> image = get(nodes.get(0).resolve(tag));
    assertEquals(302, image.statusCode(), image.body());
    String picture = image.headers().firstValue("Location").orElseThrow();
    assertTrue(picture.matches(".*/api/v1/creatives/\\d+/image"), picture);
    assertEquals(200, get(URI.create(picture)).statusCode(), "the picture is public");
    // The same image again, on another node: the same ad, not counted twice.
    HttpResponse<String> again = get(nodes.get(1).resolve(tag));
    assertEquals(302, again.statusCode());
    assertEquals(
        URI.create(picture).getPath(),
        URI.create(again.headers().firstValue("Location").orElseThrow()).getPath());
    assertEquals(1L, counts(campaign, 'I').get("events"));
    assertEquals("OK", reasons(campaign, 'I'));

    // Its link, on a third node, after the shortest human delay: the click of that ad.
    Thread.sleep(1_200);
    String link = "/api/v1/redirect?zone=" + zone + "&n=" + random;
    HttpResponse<String> click = get(nodes.get(2).resolve(link));
    assertEquals(302, click.statusCode(), click.body());
    assertEquals(
        "https://northwind.example/counted", click.headers().firstValue("Location").orElseThrow());
    assertEquals(Map.of("events", 1L, "billed", 1L, "overCap", 0L), counts(campaign, 'C'));
    assertEquals("OK", reasons(campaign, 'C'));
    // Clicked again: the visitor still lands, the click is a replay and not billed again.
    assertEquals(302, get(TestEnvironment.balancer().resolve(link)).statusCode());
    assertEquals(1L, counts(campaign, 'C').get("billed"));
    assertEquals("OK,REPLAY", reasons(campaign, 'C'));

    // A link whose image was never shown (another random number): the zone's landing page,
    // nothing counted. Bad input is a clear 400.
    HttpResponse<String> unknown =
        get(TestEnvironment.balancer().resolve("/api/v1/redirect?zone=" + zone + "&n=x" + random));
    assertEquals(302, unknown.statusCode());
    assertEquals(2L, counts(campaign, 'C').get("events"));
    for (String bad :
        List.of(
            "/api/v1/image?zone=" + zone,
            "/api/v1/image?zone=abc&n=1",
            "/api/v1/redirect?zone=" + zone + "&n=" + "x".repeat(65))) {
      HttpResponse<String> refused = get(TestEnvironment.balancer().resolve(bad));
      assertEquals(400, refused.statusCode(), bad);
      assertEquals(
          "application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
    }
    assertEquals(
        404,
        get(TestEnvironment.balancer().resolve("/api/v1/image?zone=999999999&n=1")).statusCode());
  }

  @Test
  @Order(5)
  void aRotatedKeySignsEverywhereAndOldTokensStillCount() throws Exception {
    Served served = serving("Key rotation", "\"pricing\":\"CPM\",\"rate\":1");
    JsonObject before = TestEnvironment.json(decide(TestEnvironment.balancer(), served.zone, null));
    int oldKey = keyOf(before.getString("impressionUrl"));
    String said = TestEnvironment.adgrid(Duration.ofMinutes(1), "rotate-key");
    java.util.regex.Matcher rotated =
        java.util.regex.Pattern.compile("key (\\d+) signs new tracking tokens").matcher(said);
    assertTrue(rotated.find(), said);
    int newKey = Integer.parseInt(rotated.group(1));
    assertTrue(newKey != oldKey, said);

    // Each node signs with the new key within 30 s; its token counts on the other nodes at once,
    // whether or not they have read the new key yet.
    List<JsonObject> signedNew = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
      JsonObject decision;
      do {
        assertTrue(System.nanoTime() < deadline, "node " + i + " still signs with the old key");
        decision = TestEnvironment.json(decide(nodes.get(i), served.zone, null));
        if (keyOf(decision.getString("impressionUrl")) != newKey) {
          Thread.sleep(250);
        }
      } while (keyOf(decision.getString("impressionUrl")) != newKey);
      URI url = URI.create(decision.getString("impressionUrl"));
      assertEquals(200, get(nodes.get((i + 1) % nodes.size()).resolve(url.getPath())).statusCode());
      signedNew.add(decision);
    }
    // A token of the retired key still counts.
    assertEquals(200, get(URI.create(before.getString("impressionUrl"))).statusCode());
    assertEquals("OK", reason(before, 'I'));
    for (JsonObject decision : signedNew) {
      assertEquals("OK", reason(decision, 'I'));
    }
  }

  /** The id of the key a tracking URL's token was signed with (its second byte). */
  private static int keyOf(String url) {
    return java.util.Base64.getUrlDecoder().decode(url.substring(url.lastIndexOf('/') + 1))[1]
        & 0xff;
  }

  @Test
  @Order(6)
  void aNodeKilledMidLoadLosesNoAcknowledgedEventAndLeaksNoBudget() throws Exception {
    Served served = serving("Node killed", "\"pricing\":\"CPM\",\"rate\":1,\"impressionCap\":5000");
    Set<String> acked = ConcurrentHashMap.newKeySet();
    AtomicInteger failed = new AtomicInteger();
    AtomicInteger nothing = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < 16; t++) {
      work.add(
          clients.submit(
              () -> {
                while (!stop.get()) {
                  try {
                    HttpResponse<String> decision =
                        decide(TestEnvironment.balancer(), served.zone, null);
                    if (decision.statusCode() == 204) {
                      // Nothing left to serve (what the dead node leased is held until it
                      // expires): not a failure.
                      nothing.incrementAndGet();
                      continue;
                    }
                    if (decision.statusCode() != 200) {
                      failed.incrementAndGet();
                      continue;
                    }
                    JsonObject body = TestEnvironment.json(decision);
                    if (get(URI.create(body.getString("impressionUrl"))).statusCode() == 200) {
                      acked.add(body.getString("decisionId"));
                    } else {
                      failed.incrementAndGet();
                    }
                  } catch (java.io.IOException e) {
                    failed.incrementAndGet();
                  }
                }
                return null;
              }));
    }
    Thread.sleep(3000);
    long pid =
        Long.parseLong(Files.readString(TestEnvironment.runHome().resolve("nodes/n3/pid")).trim());
    ProcessHandle.of(pid).orElseThrow().destroyForcibly();
    Thread.sleep(5000);
    stop.set(true);
    for (Future<?> f : work) {
      f.get();
    }
    clients.shutdown();
    assertTrue(acked.size() > 100, "the load ran: " + acked.size());
    assertEquals(acked.size(), storedOnce(acked, 'I'), "every acknowledged event stored once");
    Map<String, Long> counts = counts(served.campaign, 'I');
    assertTrue(counts.get("billed") <= 5000, "never beyond the cap: " + counts);
    // The dead node's lease expires and what it did not bill goes back to the pool, so that the
    // pool's count ends equal to what was billed.
    long start = System.nanoTime();
    long leased;
    while ((leased = poolUnits(served.campaign)) != counts(served.campaign, 'I').get("billed")) {
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(60).toNanos(),
          "the pool still counts " + leased + " units leased out");
      Thread.sleep(500);
    }
    System.out.printf(
        "node killed: %d impressions acknowledged, %d requests failed during the kill, %d"
            + " decisions found nothing to serve, %s, the dead node's lease back after %d ms%n",
        acked.size(), failed.get(), nothing.get(), counts, (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  @Order(8)
  void rollupsEqualTheEventsAfterAKillACatchUpAndARace() throws Exception {
    // 1. Today's hours, with the events of the node killed above: the rollups (provisional, rebuilt
    // every 3 s here) come to equal the events, row by row.
    Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS);
    Instant now = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
    awaitRollupsEqualEvents(today, now, Duration.ofSeconds(30));

    // 2. A day the rollup job never saw (the cluster was down): yesterday's events written by a
    // node that is gone, and no rollups of them. The three nodes race to catch up. Yesterday
    // 12:00 is claimed by a "node" (this test's connection) that is in the middle of building it:
    // every node must skip it, and take it over once that node dies (rolls back).
    Served served = serving("Rollups", "\"pricing\":\"CPC\",\"rate\":0.37");
    Instant yesterday = today.minus(Duration.ofDays(1));
    Instant held = yesterday.plus(Duration.ofHours(12));
    long events;
    long start;
    try (Connection racer = TestEnvironment.database()) {
      claimMidBuild(racer, held);
      try (Connection db = TestEnvironment.database()) {
        db.setAutoCommit(false);
        try (PreparedStatement clear =
                db.prepareStatement(
                    "DELETE FROM rollup_invalid WHERE hour >= ? AND hour < ? AND hour <> ?;"
                        + " DELETE FROM rollup_hour WHERE hour >= ? AND hour < ? AND hour <> ?;"
                        + " DELETE FROM rollup_window WHERE hour >= ? AND hour < ? AND hour <> ?");
            PreparedStatement insert =
                db.prepareStatement(
                    "INSERT INTO event (decided_at, event_id, kind, occurred_at, campaign_id,"
                        + " creative_id, zone_id, visitor, reason, billed, cost, node)"
                        + " SELECT d, gen_random_uuid(), k, d + interval '1 second', ?,"
                        + " (SELECT min(id) FROM creative WHERE campaign_id = ?), ?, g % 97, r,"
                        + " r = 'OK' AND k = 'C',"
                        + " CASE WHEN r = 'OK' AND k = 'C' THEN 0.37 ELSE 0 END, 'gone-node'"
                        + " FROM (SELECT g, ?::timestamptz + (g % 24) * interval '1 hour'"
                        + " + (g % 3000) * interval '1 second' AS d,"
                        + " CASE WHEN g % 5 = 0 THEN 'C' WHEN g % 7 = 0 THEN 'V' ELSE 'I' END AS k,"
                        + " CASE WHEN g % 11 = 0 THEN 'BOT' WHEN g % 13 = 0 THEN 'TOO_FAST'"
                        + " ELSE 'OK' END AS r FROM generate_series(1, 3000) AS g) AS t")) {
          for (int i = 0; i < 3; i++) {
            clear.setTimestamp(3 * i + 1, java.sql.Timestamp.from(yesterday));
            clear.setTimestamp(3 * i + 2, java.sql.Timestamp.from(today));
            clear.setTimestamp(3 * i + 3, java.sql.Timestamp.from(held));
          }
          clear.executeUpdate();
          insert.setLong(1, served.campaign);
          insert.setLong(2, served.campaign);
          insert.setLong(3, served.zone);
          insert.setTimestamp(4, java.sql.Timestamp.from(yesterday));
          events = insert.executeUpdate();
        }
        db.commit();
      }
      assertEquals(3000, events);
      start = System.nanoTime();
      while (finalHours(yesterday, today) < 23) {
        assertTrue(
            System.nanoTime() - start < Duration.ofSeconds(60).toNanos(),
            "yesterday's hours final: " + finalHours(yesterday, today) + " of 23");
        Thread.sleep(250);
      }
      // The nodes took the hours oldest first: each of them went past 12:00 and left it alone.
      assertEquals(23, finalHours(yesterday, today), "the claimed hour is not final");
      assertEquals(
          0,
          rows(
                  "SELECT * FROM rollup_hour WHERE hour >= ? AND hour < ?",
                  held,
                  held.plus(Duration.ofHours(1)),
                  true)
              .size());
      racer.rollback(); // the node building 12:00 dies
    }
    while (finalHours(yesterday, today) < 24) {
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(90).toNanos(),
          "yesterday's hours final: " + finalHours(yesterday, today) + " of 24");
      Thread.sleep(250);
    }
    long caughtUp = (System.nanoTime() - start) / 1_000_000;
    awaitRollupsEqualEvents(yesterday, today, Duration.ZERO);
    Map<String, Long> builders = new HashMap<>();
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT built_by, count(*) FROM rollup_window WHERE hour >= ? AND hour < ?"
                    + " GROUP BY 1")) {
      query.setTimestamp(1, java.sql.Timestamp.from(yesterday));
      query.setTimestamp(2, java.sql.Timestamp.from(today));
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          builders.put(rows.getString(1), rows.getLong(2));
        }
      }
    }
    // 3. Final means sealed: no writer can store an event in those hours any more.
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement("SELECT count(*) FROM event_writer WHERE sealed_before < ?")) {
      query.setTimestamp(1, java.sql.Timestamp.from(today));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        assertEquals(0, rows.getLong(1), "every writer is sealed past yesterday");
      }
    }
    System.out.printf(
        "rollups: 3,000 events of a day never rolled up caught up in %d ms; hours built by %s%n",
        caughtUp, builders);
  }

  @Test
  @Order(9)
  void aWriterSealedPastAnEventRefusesItAndStoresNothing() throws Exception {
    Served served = serving("Sealed writer", "\"pricing\":\"CPM\",\"rate\":1");
    JsonObject decision = TestEnvironment.json(decide(nodes.get(0), served.zone, null));
    URI impression = URI.create(decision.getString("impressionUrl"));
    String sealed = seal("n1");
    setSeal("n1", "now() + interval '1 hour'");
    try {
      // As if n1 had been stopped and its hour sealed meanwhile: the event is not stored.
      HttpResponse<String> refused = get(nodes.get(0).resolve(impression.getPath()));
      assertEquals(503, refused.statusCode(), refused.body());
      assertEquals(0, storedOnce(Set.of(decision.getString("decisionId")), 'I'));
    } finally {
      setSeal("n1", "'" + sealed + "'::timestamptz");
    }
    assertEquals(200, get(nodes.get(1).resolve(impression.getPath())).statusCode());
    assertEquals(1, storedOnce(Set.of(decision.getString("decisionId")), 'I'));
  }

  @Test
  @Order(10)
  void rawEventsPastRetentionAreDroppedOnceRolledUpAndTheRollupsStay() throws Exception {
    // A day ten days back (the tests keep raw events 4 days), with 50 events.
    java.time.LocalDate old = java.time.LocalDate.now(ZoneOffset.UTC).minusDays(10);
    String table = "event_" + old.toString().replace("-", "");
    Instant from = old.atStartOfDay(ZoneOffset.UTC).toInstant();
    Served served = serving("Retention", "\"pricing\":\"CPM\",\"rate\":1");
    try (Connection db = TestEnvironment.database();
        java.sql.Statement ddl = db.createStatement();
        PreparedStatement insert =
            db.prepareStatement(
                "INSERT INTO event (decided_at, event_id, kind, occurred_at, campaign_id,"
                    + " creative_id, zone_id, visitor, reason, billed, cost, node)"
                    + " SELECT ?::timestamptz + g * interval '1 minute', gen_random_uuid(), 'I',"
                    + " ?::timestamptz + g * interval '1 minute', ?,"
                    + " (SELECT min(id) FROM creative WHERE campaign_id = ?), ?, g, 'OK', true,"
                    + " 0.001, 'gone-node' FROM generate_series(1, 50) AS g")) {
      ddl.execute(
          "CREATE TABLE "
              + table
              + " PARTITION OF event FOR VALUES FROM ('"
              + old
              + " 00:00:00+00') TO ('"
              + old.plusDays(1)
              + " 00:00:00+00')");
      insert.setTimestamp(1, java.sql.Timestamp.from(from));
      insert.setTimestamp(2, java.sql.Timestamp.from(from));
      insert.setLong(3, served.campaign);
      insert.setLong(4, served.campaign);
      insert.setLong(5, served.zone);
      assertEquals(50, insert.executeUpdate());
    }
    long start = System.nanoTime();
    while (partitionExists(table)) {
      assertTrue(
          System.nanoTime() - start < Duration.ofSeconds(90).toNanos(), table + " is still there");
      Thread.sleep(500);
    }
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT sum(impressions), sum(spend) FROM rollup_hour WHERE campaign_id = ?"
                    + " AND hour >= ? AND hour < ?")) {
      query.setLong(1, served.campaign);
      query.setTimestamp(2, java.sql.Timestamp.from(from));
      query.setTimestamp(3, java.sql.Timestamp.from(from.plus(Duration.ofDays(1))));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        assertEquals(50, rows.getLong(1), "the rollups of the dropped day stay");
        assertEquals(0, new BigDecimal("0.05").compareTo(rows.getBigDecimal(2)));
      }
    }
    System.out.printf(
        "retention: %s rolled up and dropped %d ms after it was made%n",
        table, (System.nanoTime() - start) / 1_000_000);
  }

  @Test
  @Order(11)
  void reportsGiveEachRoleItsOwnFiguresAsJsonAndCsv() throws Exception {
    Served served = serving("Reported", "\"pricing\":\"CPC\",\"rate\":0.5");
    for (int i = 0; i < 12; i++) {
      JsonObject d = TestEnvironment.json(decide(nodes.get(i % 3), served.zone, "reader" + i));
      assertEquals(200, get(URI.create(d.getString("impressionUrl"))).statusCode());
    }
    java.time.LocalDate today = java.time.LocalDate.now(ZoneOffset.UTC);
    String query = "?from=" + today.minusDays(1) + "&to=" + today + "&tz=UTC";
    JsonObject line = null;
    long start = System.nanoTime();
    while (System.nanoTime() - start < Duration.ofSeconds(20).toNanos()) {
      JsonObject report =
          TestEnvironment.json(
              TestEnvironment.api(
                  "GET", "/api/v1/reports/campaign" + query, network.advertiser(), null, null));
      line =
          report.getJsonArray("lines").stream()
              .map(jakarta.json.JsonValue::asJsonObject)
              .filter(l -> l.getJsonNumber("campaignId").longValue() == served.campaign)
              .findFirst()
              .orElse(null);
      if (line != null && line.getJsonNumber("impressions").longValue() == 12) {
        assertEquals(true, line.getBoolean("provisional"), "today is not final yet");
        break;
      }
      Thread.sleep(500);
    }
    assertTrue(line != null && line.getJsonNumber("impressions").longValue() == 12, "" + line);
    assertEquals(12, line.getJsonNumber("uniques").longValue());
    // The publisher sees the zone with its earnings; an advertiser's filter by another's
    // campaign finds nothing of it.
    JsonObject zones =
        TestEnvironment.json(
            TestEnvironment.api(
                "GET", "/api/v1/reports/zone" + query, network.publisher(), null, null));
    assertTrue(zones.toString().contains("\"zoneId\":" + served.zone), zones.toString());
    assertTrue(zones.getJsonObject("total").containsKey("earnings"));
    String contoso =
        Browser.apiKey("ads@contoso.test", TestEnvironment.env("ADGRID_DEMO_PASSWORD"));
    JsonObject foreign =
        TestEnvironment.json(
            TestEnvironment.api(
                "GET",
                "/api/v1/reports/day" + query + "&campaign=" + served.campaign,
                contoso,
                null,
                null));
    assertEquals(0, foreign.getJsonObject("total").getJsonNumber("impressions").longValue());
    // CSV: the same figures.
    HttpResponse<String> csv =
        TestEnvironment.api(
            "GET",
            "/api/v1/reports/campaign" + query + "&format=csv",
            network.advertiser(),
            null,
            null);
    assertEquals(200, csv.statusCode());
    assertTrue(csv.headers().firstValue("Content-Type").orElse("").startsWith("text/csv"));
    assertTrue(
        csv.body().startsWith("campaign_id,campaign,impressions,viewable,clicks,ctr_percent,"),
        csv.body());
    assertTrue(csv.body().contains("\r\n" + served.campaign + ",Reported,12,0,0,0.00,0,"));
    // Bad asks: a clear 400 each.
    for (String bad :
        List.of(
            "/api/v1/reports/week" + query,
            "/api/v1/reports/day?from=2026-13-01",
            "/api/v1/reports/day?from=2026-11-10&to=2026-11-01",
            "/api/v1/reports/hour?from=2026-01-01&to=2026-12-31",
            "/api/v1/reports/day?tz=Mars/Olympus",
            "/api/v1/reports/day?campaign=-3",
            "/api/v1/reports/day?format=xml")) {
      HttpResponse<String> refused =
          TestEnvironment.api("GET", bad, network.advertiser(), null, null);
      assertEquals(400, refused.statusCode(), bad + ": " + refused.body());
      assertTrue(
          refused.headers().firstValue("Content-Type").orElse("").contains("problem+json"), bad);
    }
  }

  @Test
  @Order(12)
  void eachNodesMetricsCountWhatItDidAndStatusSummarizesTheCluster() throws Exception {
    Served served = serving("Metrics", "\"pricing\":\"CPM\",\"rate\":1");
    Map<String, Double> before = metricsOfAllNodes();
    for (int i = 0; i < 30; i++) {
      JsonObject d = TestEnvironment.json(decide(nodes.get(i % 3), served.zone, "metrics" + i));
      URI impression = URI.create(d.getString("impressionUrl"));
      assertEquals(200, get(nodes.get((i + 1) % 3).resolve(impression.getPath())).statusCode());
    }
    assertEquals(
        200,
        get(
                URI.create(
                    TestEnvironment.json(decide(nodes.get(0), served.zone, "bot"))
                        .getString("impressionUrl")),
                "curl/8.5")
            .statusCode());
    Map<String, Double> after = metricsOfAllNodes();
    // Other traffic may run beside (readiness checks decide), so at least what was sent; the
    // stored events are this test's only.
    assertTrue(
        delta(before, after, "adgrid_decisions_total{outcome=\"served\"}") >= 31,
        before + " -> " + after);
    assertEquals(
        30.0, delta(before, after, "adgrid_events_total{kind=\"impression\",validity=\"valid\"}"));
    assertEquals(
        1.0, delta(before, after, "adgrid_events_total{kind=\"impression\",validity=\"invalid\"}"));
    assertEquals(3.0, after.get("adgrid_grid_members"), "every node sees the three members");
    // Each node's pool as PostgreSQL counts it: at least its reading's own connection open on
    // each of the three, none beyond the ceiling.
    assertTrue(after.get("adgrid_db_connections_open") >= 3, after.toString());
    assertEquals(3 * 16.0, after.get("adgrid_db_pool_max"), after.toString());
    assertTrue(
        after.get("adgrid_db_connections_open") <= after.get("adgrid_db_pool_max"),
        after.toString());
    // Never through the balancer.
    assertEquals(403, get(TestEnvironment.balancer().resolve("/metrics")).statusCode());
    String status = TestEnvironment.adgrid(Duration.ofMinutes(1), "status");
    for (String node : List.of("n1", "n2", "n3")) {
      assertTrue(
          status.lines().anyMatch(l -> l.startsWith(node + " ") && l.contains(" ready ")), status);
      assertTrue(status.contains("adgrid-" + node + " "), "its database connections: " + status);
    }
    assertTrue(status.contains("connections: budget 3 nodes x"), status);
  }

  /** Every node's application metrics, summed over the nodes (grid members: the minimum). */
  private static Map<String, Double> metricsOfAllNodes() throws Exception {
    Map<String, Double> sums = new HashMap<>();
    for (URI node : nodes) {
      HttpResponse<String> metrics =
          HTTP.send(
              HttpRequest.newBuilder(node.resolve("/metrics?scope=application"))
                  .header("Accept", "text/plain")
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, metrics.statusCode(), node.toString());
      for (String line : metrics.body().lines().toList()) {
        if (line.startsWith("#") || line.isBlank()) {
          continue;
        }
        String name = line.substring(0, line.lastIndexOf(' '));
        // The scope tag is the same everywhere: leave it out of the key.
        name =
            name.replace("mp_scope=\"application\",", "")
                .replace(",mp_scope=\"application\"", "")
                .replace("{mp_scope=\"application\"}", "");
        double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        if (name.equals("adgrid_grid_members")) {
          sums.merge(name, value, Math::min);
        } else {
          sums.merge(name, value, Double::sum);
        }
      }
    }
    return sums;
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
  }

  /** Waits until the rollups of [from, to) equal the events row by row (and their sketches). */
  private static void awaitRollupsEqualEvents(Instant from, Instant to, Duration patience)
      throws Exception {
    long start = System.nanoTime();
    List<String> differences;
    while (!(differences = rollupDifferences(from, to)).isEmpty()) {
      assertTrue(
          System.nanoTime() - start < patience.toNanos(),
          "rollups vs. events from " + from + " to " + to + ": " + differences);
      Thread.sleep(500);
    }
  }

  /** What differs between the rollups and the events of [from, to): nothing when they agree. */
  private static List<String> rollupDifferences(Instant from, Instant to) throws Exception {
    String events =
        "SELECT date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',"
            + " campaign_id, creative_id, zone_id,"
            + " count(*) FILTER (WHERE reason = 'OK' AND kind = 'I'),"
            + " count(*) FILTER (WHERE reason = 'OK' AND kind = 'V'),"
            + " count(*) FILTER (WHERE reason = 'OK' AND kind = 'C'),"
            + " count(*) FILTER (WHERE reason <> 'OK'), sum(cost),"
            + " count(DISTINCT visitor) FILTER (WHERE reason = 'OK' AND kind = 'I')"
            + " FROM event WHERE occurred_at >= ? AND occurred_at < ? GROUP BY 1, 2, 3, 4";
    String rollups =
        "SELECT hour, campaign_id, creative_id, zone_id, impressions, viewable, clicks, invalid,"
            + " spend, uniques FROM rollup_hour WHERE hour >= ? AND hour < ?";
    String invalidEvents =
        "SELECT date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',"
            + " campaign_id, creative_id, zone_id, kind, reason, count(*) FROM event"
            + " WHERE occurred_at >= ? AND occurred_at < ? AND reason <> 'OK'"
            + " GROUP BY 1, 2, 3, 4, 5, 6";
    String invalidRollups =
        "SELECT hour, campaign_id, creative_id, zone_id, kind, reason, events"
            + " FROM rollup_invalid WHERE hour >= ? AND hour < ?";
    Map<String, String> expected = rows(events, from, to, true);
    Map<String, String> found = rows(rollups, from, to, true);
    expected.putAll(rows(invalidEvents, from, to, false));
    found.putAll(rows(invalidRollups, from, to, false));
    List<String> differences = new ArrayList<>();
    for (String key : new java.util.TreeSet<>(expected.keySet())) {
      if (!sameRow(expected.get(key), found.get(key))) {
        differences.add(key + ": events " + expected.get(key) + ", rollup " + found.get(key));
      }
    }
    for (String key : found.keySet()) {
      if (!expected.containsKey(key)) {
        differences.add(key + ": rollup " + found.get(key) + " without events");
      }
    }
    return differences;
  }

  /**
   * Equal figures; unique visitors exactly up to the sketch's exact limit, above it within 5% (a
   * HyperLogLog of 2^11 registers has a standard error of 2.3%).
   */
  private static boolean sameRow(String expected, String found) {
    if (expected.equals(found)) {
      return true;
    }
    if (found == null || !expected.startsWith("figures ")) {
      return false;
    }
    String[] a = expected.split(" ");
    String[] b = found.split(" ");
    if (a.length != b.length) {
      return false;
    }
    for (int i = 0; i < a.length - 1; i++) {
      if (!a[i].equals(b[i])) {
        return false;
      }
    }
    long exact = Long.parseLong(a[a.length - 1]);
    long estimate = Long.parseLong(b[b.length - 1]);
    return exact > net.adgrid.stats.control.Uniques.EXACT_LIMIT
        && Math.abs(estimate - exact) <= exact * 0.05;
  }

  /** Rows as key (the grouping) to figures; the last column a count or a stored sketch. */
  private static Map<String, String> rows(String sql, Instant from, Instant to, boolean figures)
      throws Exception {
    Map<String, String> rows = new HashMap<>();
    try (Connection db = TestEnvironment.database();
        PreparedStatement query = db.prepareStatement(sql)) {
      query.setTimestamp(1, java.sql.Timestamp.from(from));
      query.setTimestamp(2, java.sql.Timestamp.from(to));
      try (ResultSet found = query.executeQuery()) {
        int columns = found.getMetaData().getColumnCount();
        while (found.next()) {
          int keyColumns = figures ? 4 : 6;
          StringBuilder key = new StringBuilder(figures ? "row " : "invalid ");
          key.append(found.getTimestamp(1).toInstant());
          for (int c = 2; c <= keyColumns; c++) {
            key.append('/').append(found.getString(c));
          }
          StringBuilder value = new StringBuilder(figures ? "figures " : "");
          for (int c = keyColumns + 1; c <= columns; c++) {
            Object v =
                c == columns && figures && found.getObject(c) instanceof byte[] sketch
                    ? net.adgrid.stats.control.Uniques.fromBytes(sketch).count()
                    : found.getObject(c);
            value.append(v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : v);
            value.append(' ');
          }
          rows.put(key.toString(), value.toString().trim());
        }
      }
    }
    return rows;
  }

  private static long finalHours(Instant from, Instant to) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT count(*) FROM rollup_window WHERE hour >= ? AND hour < ?"
                    + " AND state = 'F'")) {
      query.setTimestamp(1, java.sql.Timestamp.from(from));
      query.setTimestamp(2, java.sql.Timestamp.from(to));
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  /**
   * Makes {@code racer} a node in the middle of building {@code hour}: the hour's rows cleared and
   * its window provisional (committed), then its window locked in an open transaction.
   */
  private static void claimMidBuild(Connection racer, Instant hour) throws Exception {
    java.sql.Timestamp at = java.sql.Timestamp.from(hour);
    racer.setAutoCommit(false);
    for (int attempt = 0; attempt < 20; attempt++) {
      try (PreparedStatement reset =
          racer.prepareStatement(
              "DELETE FROM rollup_invalid WHERE hour = ?; DELETE FROM rollup_hour WHERE hour = ?;"
                  + " UPDATE rollup_window SET state = 'P', built_at = '-infinity',"
                  + " built_by = 'racer' WHERE hour = ?")) {
        reset.setTimestamp(1, at);
        reset.setTimestamp(2, at);
        reset.setTimestamp(3, at);
        reset.executeUpdate();
      }
      racer.commit();
      try (PreparedStatement claim =
          racer.prepareStatement(
              "SELECT state FROM rollup_window WHERE hour = ? FOR UPDATE NOWAIT")) {
        claim.setTimestamp(1, at);
        try (ResultSet row = claim.executeQuery()) {
          if (row.next() && row.getString(1).equals("P")) {
            return; // held until the racer's transaction ends
          }
        }
      } catch (java.sql.SQLException e) {
        // a node claimed it between the two: again
      }
      racer.rollback();
    }
    throw new AssertionError("could not hold the claim of " + hour);
  }

  private static String seal(String node) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement("SELECT sealed_before::text FROM event_writer WHERE node = ?")) {
      query.setString(1, node);
      try (ResultSet rows = query.executeQuery()) {
        assertTrue(rows.next(), node + " has written events: it is a registered writer");
        return rows.getString(1);
      }
    }
  }

  private static void setSeal(String node, String expression) throws Exception {
    try (Connection db = TestEnvironment.database();
        java.sql.Statement update = db.createStatement()) {
      update.executeUpdate(
          "UPDATE event_writer SET sealed_before = " + expression + " WHERE node = '" + node + "'");
    }
  }

  private static boolean partitionExists(String table) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement("SELECT count(*) FROM pg_class WHERE relname = ?")) {
      query.setString(1, table);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getLong(1) > 0;
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  record Served(long campaign, long zone) {}

  /**
   * A zone of its own with one approved text creative of a new active override campaign, ready on
   * every node.
   */
  private static Served serving(String name, String pricing) throws Exception {
    long zone = network.zone(name);
    long campaign =
        network.campaign(
            name,
            "\"type\":\"OVERRIDE\","
                + (pricing.contains("budget") ? "" : "\"budget\":100000,")
                + pricing,
            zone);
    // The readiness checks are decisions too; their tokens are never used.
    Network.awaitServing(nodes, zone);
    return new Served(campaign, zone);
  }

  static HttpResponse<String> decide(URI at, long zone, String vid) throws Exception {
    return ServingIT.decide(
        at, "zone=" + zone + "&vid=" + (vid != null ? vid : UUID.randomUUID().toString()));
  }

  static HttpResponse<String> get(URI url) throws Exception {
    return get(url, FIREFOX);
  }

  static HttpResponse<String> get(URI url, String agent) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(url)
            .header("User-Agent", agent)
            .timeout(Duration.ofSeconds(15))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /**
   * After everything above (a node was killed mid-load and came back with its counts of the day
   * from the database): each role's live figures equal what is in the event table within two
   * seconds of the last event, and unchanged figures answer 304.
   */
  @Test
  @Order(7)
  void liveFiguresAgreeWithTheStoredEventsWithinTwoSeconds() throws Exception {
    // The node killed above comes back: it starts from its own stored events of the day.
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "3");
    Served served = serving("Live figures", "\"pricing\":\"CPC\",\"rate\":0.37");
    List<JsonObject> decisions = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      JsonObject d = TestEnvironment.json(decide(nodes.get(i % 3), served.zone, null));
      URI impression = URI.create(d.getString("impressionUrl"));
      assertEquals(200, get(nodes.get((i + 1) % 3).resolve(impression.getPath())).statusCode());
      decisions.add(d);
    }
    Thread.sleep(1_100);
    for (int i = 0; i < 10; i++) {
      URI click = URI.create(decisions.get(i).getString("clickUrl"));
      assertEquals(302, get(nodes.get((i + 2) % 3).resolve(click.getPath())).statusCode());
    }
    // A replay: invalid figures too.
    assertEquals(
        302,
        get(TestEnvironment.balancer()
                .resolve(URI.create(decisions.get(0).getString("clickUrl")).getPath()))
            .statusCode());
    long lastEvent = System.nanoTime();

    Map<String, String> agreed = new HashMap<>();
    for (var who :
        Map.of(
                "ADMIN", network.admin(),
                "ADVERTISER", network.advertiser(),
                "PUBLISHER", network.publisher())
            .entrySet()) {
      JsonObject expected = stored(who.getKey(), served.campaign);
      JsonObject live = null;
      while (System.nanoTime() - lastEvent < Duration.ofSeconds(2).toNanos()) {
        live =
            TestEnvironment.json(
                TestEnvironment.api("GET", "/api/v1/stats/live", who.getValue(), null, null));
        if (sameFigures(expected, live.getJsonObject("totals"))) {
          break;
        }
        Thread.sleep(100);
      }
      assertTrue(
          live != null && sameFigures(expected, live.getJsonObject("totals")),
          who.getKey()
              + ": stored "
              + expected
              + ", live "
              + (live == null ? null : live.get("totals")));
      agreed.put(who.getKey(), (System.nanoTime() - lastEvent) / 1_000_000 + " ms");
    }
    System.out.println("live figures agreed with the event table after " + agreed);

    // The advertiser's campaign row, with its unique visitors (30 new visitors). Each node
    // merges on its own (at most every half second): the next node asked may be a step behind.
    JsonObject advertiser = null;
    JsonObject row = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
    do {
      advertiser =
          TestEnvironment.json(
              TestEnvironment.api("GET", "/api/v1/stats/live", network.advertiser(), null, null));
      row =
          advertiser.getJsonArray("campaigns").stream()
              .map(v -> v.asJsonObject())
              .filter(c -> c.getJsonNumber("id").longValue() == served.campaign)
              .findFirst()
              .orElseThrow();
    } while (row.getInt("clicks") != 10 && System.nanoTime() < deadline);
    assertEquals(30, row.getInt("impressions"));
    assertEquals(10, row.getInt("clicks"));
    assertEquals(0, new BigDecimal("3.7").compareTo(new BigDecimal(row.getString("spend"))));
    assertEquals(1, row.getJsonObject("invalid").getInt("REPLAY"));
    assertTrue(Math.abs(row.getInt("uniqueVisitors") - 30) <= 1, row.toString());
    assertTrue(!advertiser.containsKey("zones") && !advertiser.containsKey("nodes"));
    JsonObject publisher =
        TestEnvironment.json(
            TestEnvironment.api("GET", "/api/v1/stats/live", network.publisher(), null, null));
    assertTrue(!publisher.containsKey("campaigns") && publisher.containsKey("zones"));

    // Unchanged figures: 304 to their ETag (a series step may pass between two polls).
    boolean notModified = false;
    for (int i = 0; i < 3 && !notModified; i++) {
      HttpResponse<String> first =
          TestEnvironment.api("GET", "/api/v1/stats/live", network.advertiser(), null, null);
      HttpResponse<String> again =
          HTTP.send(
              HttpRequest.newBuilder(TestEnvironment.balancer().resolve("/api/v1/stats/live"))
                  .header("Authorization", "Bearer " + network.advertiser())
                  .header("If-None-Match", first.headers().firstValue("ETag").orElseThrow())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      notModified = again.statusCode() == 304;
      assertTrue(again.headers().firstValue("Set-Cookie").isEmpty(), "no session");
    }
    assertTrue(notModified, "an unchanged poll answers 304");

    // The dashboard's poll: a pass from a signed-in request, then polls with the pass and no
    // cookie: figures from memory, no session, no SQL.
    Browser dashboard = new Browser();
    assertEquals(
        302,
        dashboard
            .signIn("ads@northwind.test", TestEnvironment.env("ADGRID_DEMO_PASSWORD"))
            .statusCode());
    HttpResponse<String> issued = dashboard.get("/app/live-pass");
    assertEquals(200, issued.statusCode(), issued.body());
    String pass = issued.body().trim();
    HttpResponse<String> page = poll(pass, null);
    assertEquals(200, page.statusCode(), page.body());
    assertEquals("ADVERTISER", TestEnvironment.json(page).getString("scope"));
    String etag = page.headers().firstValue("ETag").orElseThrow();
    assertEquals(401, poll(null, null).statusCode(), "no pass");
    assertEquals(
        401, poll(pass.substring(0, pass.length() - 2) + "AA", null).statusCode(), "forged");
    // PostgreSQL publishes an idle backend's counts within 10 s, and the cluster has work of its
    // own (lease heartbeats, index rebuilds, health checks): compare a window with 1,000 polls
    // with one as long without.
    long window = 20_000;
    long before = transactions();
    Thread.sleep(window);
    long idle = transactions() - before;
    before = transactions();
    int polls = 1_000;
    int unchanged = 0;
    long started = System.nanoTime();
    for (int i = 0; i < polls; i++) {
      HttpResponse<String> poll = poll(pass, etag);
      assertTrue(poll.headers().allValues("Set-Cookie").isEmpty(), "no session: " + poll.headers());
      if (poll.statusCode() == 304) {
        unchanged++;
      } else {
        assertEquals(200, poll.statusCode(), poll.body());
        etag = poll.headers().firstValue("ETag").orElseThrow();
      }
    }
    long pollMillis = (System.nanoTime() - started) / 1_000_000;
    Thread.sleep(Math.max(0, window - pollMillis));
    long used = transactions() - before;
    System.out.printf(
        "dashboard poll: %d polls in %d ms (%d answered 304); PostgreSQL counted %d transactions"
            + " in those %d s, %d in as long without polls%n",
        polls, pollMillis, unchanged, used, window / 1000, idle);
    assertTrue(unchanged > polls / 2, "unchanged figures answer 304: " + unchanged);
    assertTrue(
        used - idle < polls / 10,
        "polls ran SQL: " + used + " transactions with " + polls + " polls, " + idle + " without");
  }

  /** The dashboard's poll, as the page sends it: the pass, the last ETag, no cookie. */
  private static HttpResponse<String> poll(String pass, String etag) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(TestEnvironment.balancer().resolve("/live/poll"))
            .timeout(Duration.ofSeconds(10));
    if (pass != null) {
      request.header("X-Live-Pass", pass);
    }
    if (etag != null) {
      request.header("If-None-Match", etag);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Transactions PostgreSQL counted in the test database so far. */
  private static long transactions() throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT xact_commit + xact_rollback FROM pg_stat_database"
                    + " WHERE datname = current_database()")) {
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** The day's figures in the event table, in the scope of the role (the demo accounts). */
  private static JsonObject stored(String role, long campaign) throws Exception {
    String scope =
        switch (role) {
          case "ADVERTISER" ->
              " AND e.campaign_id IN (SELECT id FROM campaign WHERE account_id ="
                  + " (SELECT account_id FROM campaign WHERE id = "
                  + campaign
                  + "))";
          case "PUBLISHER" ->
              " AND e.zone_id IN (SELECT z.id FROM zone z JOIN site s ON s.id = z.site_id"
                  + " WHERE s.account_id = (SELECT s2.account_id FROM campaign_zone cz"
                  + " JOIN zone z2 ON z2.id = cz.zone_id JOIN site s2 ON s2.id = z2.site_id"
                  + " WHERE cz.campaign_id = "
                  + campaign
                  + " LIMIT 1))";
          default -> "";
        };
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT count(*) FILTER (WHERE kind = 'I' AND reason = 'OK'),"
                    + " count(*) FILTER (WHERE kind = 'V' AND reason = 'OK'),"
                    + " count(*) FILTER (WHERE kind = 'C' AND reason = 'OK'),"
                    + " coalesce(sum(cost), 0), count(*) FILTER (WHERE reason <> 'OK')"
                    + " FROM event e WHERE e.occurred_at >= date_trunc('day', now() AT TIME ZONE 'UTC')"
                    + " AT TIME ZONE 'UTC'"
                    + scope)) {
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return jakarta.json.Json.createObjectBuilder()
            .add("impressions", row.getLong(1))
            .add("viewable", row.getLong(2))
            .add("clicks", row.getLong(3))
            .add("spend", row.getBigDecimal(4).stripTrailingZeros().toPlainString())
            .add("invalidTotal", row.getLong(5))
            .build();
      }
    }
  }

  private static boolean sameFigures(JsonObject stored, JsonObject live) {
    return live != null
        && stored.getJsonNumber("impressions").longValue()
            == live.getJsonNumber("impressions").longValue()
        && stored.getJsonNumber("viewable").longValue()
            == live.getJsonNumber("viewable").longValue()
        && stored.getJsonNumber("clicks").longValue() == live.getJsonNumber("clicks").longValue()
        && stored.getJsonNumber("invalidTotal").longValue()
            == live.getJsonNumber("invalidTotal").longValue()
        && new BigDecimal(stored.getString("spend"))
                .compareTo(new BigDecimal(live.getString("spend")))
            == 0;
  }

  /** Events of the campaign and kind: all stored, the billed ones. */
  private static Map<String, Long> counts(long campaign, char kind) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT count(*), count(*) FILTER (WHERE billed),"
                    + " count(*) FILTER (WHERE reason = 'OVER_CAP')"
                    + " FROM event WHERE campaign_id = ? AND kind = ?")) {
      query.setLong(1, campaign);
      query.setString(2, String.valueOf(kind));
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return Map.of(
            "events", row.getLong(1), "billed", row.getLong(2), "overCap", row.getLong(3));
      }
    }
  }

  private static BigDecimal cost(long campaign) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement("SELECT coalesce(sum(cost), 0) FROM event WHERE campaign_id = ?")) {
      query.setLong(1, campaign);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getBigDecimal(1);
      }
    }
  }

  private static long poolUnits(long campaign) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT units FROM campaign_pool WHERE campaign_id = ? AND kind = 'I'")) {
      query.setLong(1, campaign);
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getLong(1) : 0;
      }
    }
  }

  /** How many of the decisions have exactly one counted (not replayed) event of the kind. */
  private static long storedOnce(Set<String> decisionIds, char kind) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT count(*) FROM (SELECT event_id FROM event"
                    + " WHERE event_id = ANY (?::uuid[]) AND kind = ? AND reason <> 'REPLAY'"
                    + " GROUP BY event_id HAVING count(*) = 1) once")) {
      query.setArray(1, db.createArrayOf("text", decisionIds.toArray()));
      query.setString(2, String.valueOf(kind));
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    }
  }

  /** The stored reasons of the campaign's events of the kind, sorted, comma-separated. */
  private static String reasons(long campaign, char kind) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT string_agg(reason, ',' ORDER BY reason) FROM event"
                    + " WHERE campaign_id = ? AND kind = ?")) {
      query.setLong(1, campaign);
      query.setString(2, String.valueOf(kind));
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return row.getString(1);
      }
    }
  }

  private static String reason(JsonObject decision, char kind) throws Exception {
    try (Connection db = TestEnvironment.database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT reason FROM event WHERE event_id = ?::uuid AND kind = ?"
                    + " AND reason <> 'REPLAY'")) {
      query.setString(1, decision.getString("decisionId"));
      query.setString(2, String.valueOf(kind));
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getString(1) : "(not stored)";
      }
    }
  }
}
