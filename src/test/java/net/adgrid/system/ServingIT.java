package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import net.adgrid.serving.control.EventTokens;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ad decisions through httpd and on each node directly, on the demo network: what a zone shows, the
 * signed tracking URLs, no session, and how fast a management change reaches every node's delivery
 * index.
 */
class ServingIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static String publisher;
  private static String advertiser;
  private static List<URI> nodes;

  @BeforeAll
  static void start() throws Exception {
    TestEnvironment.requirePrepared();
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "2");
    String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    publisher = Browser.apiKey("pub@dailyplanet.test", password);
    advertiser = Browser.apiKey("ads@northwind.test", password);
    int base = Integer.parseInt(TestEnvironment.env("ADGRID_NODE_HTTP_BASE"));
    nodes =
        List.of(
            URI.create("http://127.0.0.1:" + base), URI.create("http://127.0.0.1:" + (base + 1)));
  }

  static HttpResponse<String> decide(URI at, String query) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(at.resolve("/api/v1/decide?" + query))
            .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0")
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long zoneNamed(String name) throws Exception {
    return TestEnvironment.json(
            TestEnvironment.api("GET", "/api/v1/zones?limit=200", publisher, null, null))
        .getJsonArray("items")
        .stream()
        .map(v -> v.asJsonObject())
        .filter(z -> z.getString("name").equals(name))
        .findFirst()
        .orElseThrow()
        .getJsonNumber("id")
        .longValue();
  }

  @Test
  void aZoneShowsALinkedApprovedCreativeWithSignedTrackingUrls() throws Exception {
    long top = zoneNamed("Top banner");
    Map<Long, Integer> seen = new HashMap<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> decision =
          decide(TestEnvironment.balancer(), "zone=" + top + "&kw=coffee");
      assertEquals(200, decision.statusCode(), decision.body());
      assertTrue(decision.headers().firstValue("Set-Cookie").isEmpty(), "no session");
      assertEquals("no-store", decision.headers().firstValue("Cache-Control").orElseThrow());
      JsonObject body = TestEnvironment.json(decision);
      JsonObject creative = body.getJsonObject("creative");
      // The top banner (728x90) takes only the one creative of that size: Northwind's HTML.
      assertEquals("HTML", creative.getString("kind"));
      seen.merge(creative.getJsonNumber("id").longValue(), 1, Integer::sum);
      String impression = body.getString("impressionUrl");
      assertTrue(impression.startsWith(TestEnvironment.balancer() + "/t/i/"), impression);
      EventTokens.Claims claims =
          tokens()
              .valid(impression.substring(impression.lastIndexOf('/') + 1), Instant.now())
              .orElseThrow();
      assertEquals(top, claims.zoneId());
      assertEquals(creative.getJsonNumber("id").longValue(), claims.creativeId());
      assertEquals(body.getString("decisionId"), claims.eventId().toString());
      assertEquals(EventTokens.Kind.IMPRESSION, claims.kind());
    }
    assertEquals(1, seen.size(), seen.toString());
  }

  @Test
  void badAndUnknownZonesAreClearErrors() throws Exception {
    assertEquals(400, decide(TestEnvironment.balancer(), "").statusCode());
    assertEquals(400, decide(TestEnvironment.balancer(), "zone=abc").statusCode());
    HttpResponse<String> unknown = decide(TestEnvironment.balancer(), "zone=999999999");
    assertEquals(404, unknown.statusCode());
    assertEquals(
        "application/problem+json", unknown.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void aRequestThatWaitedTooLongIsRefusedAtOnceWithRetryAfter() throws Exception {
    long top = zoneNamed("Top banner");
    long stale = (System.currentTimeMillis() - 5_000) * 1000;
    for (String path : List.of("/api/v1/decide?zone=" + top, "/t/i/whatever")) {
      HttpResponse<String> refused =
          HTTP.send(
              HttpRequest.newBuilder(nodes.get(0).resolve(path))
                  .header("X-Request-Start", "t=" + stale)
                  .timeout(Duration.ofSeconds(10))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(503, refused.statusCode(), path);
      assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());
      assertEquals(
          "application/problem+json", refused.headers().firstValue("Content-Type").orElseThrow());
      assertTrue(refused.body().contains("waited"), refused.body());
    }
    // Through the balancer the stamp is httpd's own: a client cannot make itself refused.
    HttpResponse<String> balanced =
        HTTP.send(
            HttpRequest.newBuilder(TestEnvironment.balancer().resolve("/api/v1/decide?zone=" + top))
                .header("X-Request-Start", "t=" + stale)
                .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0")
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, balanced.statusCode(), balanced.body());
  }

  @Test
  void everyNodeSeesAManagementChangeWithinASecond() throws Exception {
    long site =
        TestEnvironment.json(TestEnvironment.api("GET", "/api/v1/sites", publisher, null, null))
            .getJsonArray("items")
            .getJsonObject(0)
            .getJsonNumber("id")
            .longValue();
    HttpResponse<String> zone =
        TestEnvironment.api(
            "POST",
            "/api/v1/zones",
            publisher,
            "{\"siteId\":"
                + site
                + ",\"name\":\"Serving test\",\"width\":300,\"height\":250,"
                + "\"allowedKinds\":[\"IMAGE\",\"TEXT\",\"HTML\"]}",
            null);
    assertEquals(201, zone.statusCode(), zone.body());
    long zoneId = TestEnvironment.json(zone).getJsonNumber("id").longValue();
    long created = awaitEverywhere("zone=" + zoneId, status -> status == 204);

    long campaign =
        TestEnvironment.json(
                TestEnvironment.api("GET", "/api/v1/campaigns", advertiser, null, null))
            .getJsonArray("items")
            .stream()
            .map(v -> v.asJsonObject())
            .filter(c -> c.getString("name").equals("Always-on brand"))
            .findFirst()
            .orElseThrow()
            .getJsonNumber("id")
            .longValue();
    assertEquals(
        204,
        TestEnvironment.api(
                "PUT", "/api/v1/campaigns/" + campaign + "/zones/" + zoneId, advertiser, null, null)
            .statusCode());
    long linked = awaitEverywhere("zone=" + zoneId, status -> status == 200);

    assertEquals(
        204,
        TestEnvironment.api(
                "DELETE",
                "/api/v1/campaigns/" + campaign + "/zones/" + zoneId,
                advertiser,
                null,
                null)
            .statusCode());
    long unlinked = awaitEverywhere("zone=" + zoneId, status -> status == 204);
    System.out.printf(
        "delivery index: a new zone on every node after %d ms, a link after %d ms, an unlink after %d ms%n",
        created, linked, unlinked);
  }

  /** Polls both nodes directly until each answers as expected; fails after a second. */
  private static long awaitEverywhere(String query, IntPredicate expected) throws Exception {
    long start = System.nanoTime();
    for (URI node : nodes) {
      while (!expected.test(decide(node, query).statusCode())) {
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited < 1000, node + " still answers the old way after " + waited + " ms");
        Thread.sleep(10);
      }
    }
    return (System.nanoTime() - start) / 1_000_000;
  }

  static EventTokens tokens() throws Exception {
    Map<Integer, byte[]> keys = new HashMap<>();
    int signing = -1;
    try (var db = TestEnvironment.database();
        var rows =
            db.createStatement()
                .executeQuery("SELECT id, secret, retired_at IS NULL FROM signing_key")) {
      while (rows.next()) {
        keys.put(rows.getInt(1), rows.getBytes(2));
        if (rows.getBoolean(3)) {
          signing = rows.getInt(1);
        }
      }
    }
    return new EventTokens(keys, signing);
  }
}
