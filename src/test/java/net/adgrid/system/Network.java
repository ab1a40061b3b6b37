package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;

/**
 * Builds serving inventory through the public API, as the network's own users would: a publisher's
 * zones, an advertiser's active campaigns with an approved text creative, and the links between
 * them. The counting tests and {@code scripts/adgrid bench} use it.
 *
 * @param admin an admin's API key (approves creatives)
 * @param advertiser the advertiser's API key
 * @param publisher the publisher's API key
 * @param site the publisher's site the zones belong to
 */
public record Network(String admin, String advertiser, String publisher, long site) {

  /** The demo network's admin, advertiser (Northwind) and publisher (Daily Planet). */
  public static Network demo() throws Exception {
    String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    String publisher = Browser.apiKey("pub@dailyplanet.test", password);
    long site =
        TestEnvironment.json(TestEnvironment.api("GET", "/api/v1/sites", publisher, null, null))
            .getJsonArray("items")
            .getJsonObject(0)
            .getJsonNumber("id")
            .longValue();
    return new Network(
        Browser.apiKey("admin@adgrid.test", password),
        Browser.apiKey("ads@northwind.test", password),
        publisher,
        site);
  }

  /** A 300×250 zone for text ads. */
  public long zone(String name) throws Exception {
    return zone(name, "TEXT");
  }

  /** A 300×250 zone for ads of one kind (TEXT, IMAGE or HTML). */
  public long zone(String name, String kind) throws Exception {
    HttpResponse<String> zone =
        TestEnvironment.api(
            "POST",
            "/api/v1/zones",
            publisher,
            "{\"siteId\":"
                + site
                + ",\"name\":\""
                + name
                + "\",\"width\":300,\"height\":250,\"allowedKinds\":[\""
                + kind
                + "\"]}",
            null);
    assertEquals(201, zone.statusCode(), zone.body());
    return TestEnvironment.json(zone).getJsonNumber("id").longValue();
  }

  /**
   * An active campaign that started in 2020, with an approved text creative, linked to the zones.
   *
   * @param fields the campaign's JSON fields beyond its name, start and status (type, pricing,
   *     rate, budget, caps)
   */
  public long campaign(String name, String fields, long... zones) throws Exception {
    return campaign(name, fields, TEXT, zones);
  }

  /** A 300×250 text creative. */
  public static final String TEXT =
      "{\"name\":\"Text\",\"kind\":\"TEXT\",\"width\":300,\"height\":250,"
          + "\"landingUrl\":\"https://northwind.example/counted\","
          + "\"headline\":\"Counted\",\"body\":\"Every click, once.\"}";

  /** A 300×250 image creative (a PNG drawn here). */
  public static String image() throws java.io.IOException {
    var picture =
        new java.awt.image.BufferedImage(300, 250, java.awt.image.BufferedImage.TYPE_INT_RGB);
    var png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(picture, "png", png);
    return "{\"name\":\"Image\",\"kind\":\"IMAGE\",\"width\":300,\"height\":250,"
        + "\"landingUrl\":\"https://northwind.example/counted\",\"imageType\":\"image/png\","
        + "\"image\":\""
        + java.util.Base64.getEncoder().encodeToString(png.toByteArray())
        + "\"}";
  }

  /** The same, with the given creative (JSON, see {@link #TEXT} and {@link #image()}). */
  public long campaign(String name, String fields, String creativeJson, long... zones)
      throws Exception {
    String document = "\"name\":\"" + name + "\",\"startsAt\":\"2020-01-01T00:00:00Z\"," + fields;
    HttpResponse<String> created =
        TestEnvironment.api("POST", "/api/v1/campaigns", advertiser, "{" + document + "}", null);
    assertEquals(201, created.statusCode(), created.body());
    long campaign = TestEnvironment.json(created).getJsonNumber("id").longValue();
    HttpResponse<String> active =
        TestEnvironment.api(
            "PUT",
            "/api/v1/campaigns/" + campaign,
            advertiser,
            "{" + document + ",\"status\":\"ACTIVE\"}",
            created.headers().firstValue("ETag").orElseThrow());
    assertEquals(200, active.statusCode(), active.body());
    HttpResponse<String> creative =
        TestEnvironment.api(
            "POST", "/api/v1/campaigns/" + campaign + "/creatives", advertiser, creativeJson, null);
    assertEquals(201, creative.statusCode(), creative.body());
    long creativeId = TestEnvironment.json(creative).getJsonNumber("id").longValue();
    HttpResponse<String> approved =
        TestEnvironment.api(
            "POST",
            "/api/v1/creatives/" + creativeId + "/review",
            admin,
            "{\"decision\":\"APPROVED\"}",
            creative.headers().firstValue("ETag").orElseThrow());
    assertEquals(200, approved.statusCode(), approved.body());
    for (long zone : zones) {
      HttpResponse<String> linked =
          TestEnvironment.api(
              "PUT", "/api/v1/campaigns/" + campaign + "/zones/" + zone, advertiser, null, null);
      assertEquals(204, linked.statusCode(), linked.body());
    }
    return campaign;
  }

  /** Waits until every node serves the zone (each node's index follows changes on its own). */
  public static void awaitServing(List<URI> nodes, long zone) throws Exception {
    for (URI node : nodes) {
      long start = System.nanoTime();
      while (ServingIT.decide(node, "zone=" + zone + "&vid=" + UUID.randomUUID()).statusCode()
          != 200) {
        assertTrue(System.nanoTime() - start < 5_000_000_000L, node + " does not serve " + zone);
        Thread.sleep(20);
      }
    }
  }
}
