package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.adgrid.accounts.control.Totp;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Managing the network through the balancer, on the demo network that a fresh cluster seeds:
 * signing in on the pages (and staying signed in when the node dies), API keys made on a page, and
 * the campaigns API with its account scoping and optimistic locking.
 */
class ManagementIT {

  private static final Pattern SIGNED_IN_AS = Pattern.compile("id=\"signed-in-as\">([^<]+)<");
  private static final String ADVERTISER = "ads@northwind.test";
  private static final String OTHER_ADVERTISER = "ads@contoso.test";
  private static final String PUBLISHER = "pub@dailyplanet.test";

  private static String password;

  @BeforeAll
  static void startCluster() throws Exception {
    TestEnvironment.requirePrepared();
    password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "2");
  }

  @Test
  void aSignedInUserStaysSignedInWhenTheirNodeDies() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> guarded = browser.get("/app/");
    assertEquals(302, guarded.statusCode());
    assertTrue(
        guarded
            .headers()
            .firstValue("Location")
            .orElseThrow()
            .endsWith("/login.xhtml?next=%2Fapp%2F"));

    HttpResponse<String> wrong = browser.signIn(ADVERTISER, password + "x");
    assertEquals(200, wrong.statusCode());
    assertTrue(wrong.body().contains("The e-mail address or the password is wrong."));
    assertEquals(302, browser.get("/app/").statusCode(), "still not signed in");

    HttpResponse<String> signedIn = browser.signIn(ADVERTISER, password);
    assertEquals(302, signedIn.statusCode(), signedIn.body());
    HttpResponse<String> home = browser.get("/app/");
    assertEquals(200, home.statusCode());
    assertEquals(ADVERTISER, match(SIGNED_IN_AS, home.body()));
    String node = home.headers().firstValue("X-Adgrid-Node").orElseThrow();

    ProcessHandle process = ProcessHandle.of(TestEnvironment.nodePid(node)).orElseThrow();
    process.destroyForcibly();
    process.onExit().get(10, TimeUnit.SECONDS);
    HttpResponse<String> afterKill = browser.get("/app/");
    assertEquals(200, afterKill.statusCode(), "still signed in on the other node");
    assertNotEquals(node, afterKill.headers().firstValue("X-Adgrid-Node").orElseThrow());
    assertEquals(ADVERTISER, match(SIGNED_IN_AS, afterKill.body()));

    // A form rendered by one node is accepted by another: the view state key is shared.
    HttpResponse<String> key = createKey(browser, "after failover");
    assertEquals(200, key.statusCode());
    assertTrue(Browser.NEW_KEY.matcher(key.body()).find(), key.body());

    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "2");
  }

  @Test
  void oneUserSigningInManyTimesAtOnceSucceedsEachTime() throws Exception {
    String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    java.util.concurrent.ExecutorService browsers =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    List<java.util.concurrent.Future<Integer>> signIns = new java.util.ArrayList<>();
    for (int i = 0; i < 16; i++) {
      signIns.add(
          browsers.submit(() -> new Browser().signIn("ads@contoso.test", password).statusCode()));
    }
    for (var signIn : signIns) {
      assertEquals(302, signIn.get(), "a sign-in while the same user signs in elsewhere");
    }
    browsers.shutdown();
  }

  @Test
  void theApiIgnoresTheSessionCookie() throws Exception {
    Browser browser = new Browser();
    assertEquals(302, browser.signIn(ADVERTISER, password).statusCode());
    assertEquals(200, browser.get("/app/").statusCode());
    assertEquals(401, browser.get("/api/v1/campaigns").statusCode(), "an API key is needed");
  }

  @Test
  void formsFromOtherSitesAreRefused() throws Exception {
    Browser browser = new Browser();
    browser.get("/login.xhtml");
    HttpResponse<String> forged =
        browser.post(
            "/login.xhtml",
            Map.of("login", "login", "email", ADVERTISER, "password", password),
            false);
    assertEquals(403, forged.statusCode());
  }

  @Test
  void campaignsBelongToTheirAccountAndChangesNeedTheCurrentVersion() throws Exception {
    String northwind = keyFor(ADVERTISER);
    String contoso = keyFor(OTHER_ADVERTISER);
    String publisher = keyFor(PUBLISHER);

    String body =
        "{\"name\":\"IT campaign\",\"type\":\"CONTRACT\",\"priority\":4,"
            + "\"startsAt\":\"2026-12-01T00:00:00Z\",\"pricing\":\"CPM\",\"rate\":2.5,"
            + "\"budget\":\"1000.00\",\"impressionCap\":1000}";
    HttpResponse<String> created = call("POST", "/api/v1/campaigns", northwind, body, null);
    assertEquals(201, created.statusCode(), created.body());
    JsonObject campaign = TestEnvironment.json(created);
    String path = "/api/v1/campaigns/" + campaign.getJsonNumber("id").longValue();
    String etag = created.headers().firstValue("ETag").orElseThrow();
    assertEquals("DRAFT", campaign.getString("status"));
    assertEquals(
        "2.5",
        campaign.getJsonNumber("rate").bigDecimalValue().stripTrailingZeros().toPlainString());

    HttpResponse<String> read = call("GET", path, northwind, null, null);
    assertEquals(200, read.statusCode());
    assertEquals(etag, read.headers().firstValue("ETag").orElseThrow());

    // Another account's campaign does not exist for it; a publisher has no campaigns at all.
    assertEquals(404, call("GET", path, contoso, null, null).statusCode());
    assertEquals(404, call("PUT", path, contoso, body, etag).statusCode());
    assertEquals(403, call("GET", "/api/v1/campaigns", publisher, null, null).statusCode());
    assertFalse(
        call("GET", "/api/v1/campaigns?limit=200", contoso, null, null)
            .body()
            .contains("IT campaign"));

    String activate =
        body.replace("\"impressionCap\":1000", "\"impressionCap\":2000,\"status\":\"ACTIVE\"");
    assertEquals(428, call("PUT", path, northwind, activate, null).statusCode());
    HttpResponse<String> updated = call("PUT", path, northwind, activate, etag);
    assertEquals(200, updated.statusCode(), updated.body());
    assertEquals("ACTIVE", TestEnvironment.json(updated).getString("status"));
    String newTag = updated.headers().firstValue("ETag").orElseThrow();
    assertNotEquals(etag, newTag);

    HttpResponse<String> stale = call("PUT", path, northwind, activate, etag);
    assertEquals(412, stale.statusCode(), "a change based on an old version is refused");

    HttpResponse<String> invalid =
        call("PUT", path, northwind, body.replace("\"priority\":4", "\"priority\":40"), newTag);
    assertEquals(400, invalid.statusCode());
    assertEquals(
        "priority",
        TestEnvironment.json(invalid).getJsonArray("errors").getJsonObject(0).getString("field"));

    HttpResponse<String> toDraft =
        call("PUT", path, northwind, body.replace("}", ",\"status\":\"DRAFT\"}"), newTag);
    assertEquals(400, toDraft.statusCode(), "an active campaign does not go back to draft");
    assertEquals(409, call("DELETE", path, northwind, null, newTag).statusCode(), "ran: kept");

    // Targeting: stored in its normal form and read back; a bad part is named.
    String targeted =
        body.replace(
            "}",
            ",\"targeting\":{\"days\":[\"SATURDAY\",\"SUNDAY\"],\"hours\":[9,8],"
                + "\"devices\":[\"MOBILE\"],\"languages\":[\" DE \"],"
                + "\"referrerDomains\":[\"Example.org\"],\"keywords\":[\"ski\"]}}");
    HttpResponse<String> withTargeting =
        call("POST", "/api/v1/campaigns", northwind, targeted, null);
    assertEquals(201, withTargeting.statusCode(), withTargeting.body());
    JsonObject targeting = TestEnvironment.json(withTargeting).getJsonObject("targeting");
    assertEquals("[\"SATURDAY\",\"SUNDAY\"]", targeting.getJsonArray("days").toString());
    assertEquals("[8,9]", targeting.getJsonArray("hours").toString());
    assertEquals("[\"de\"]", targeting.getJsonArray("languages").toString());
    assertEquals("[\"example.org\"]", targeting.getJsonArray("referrerDomains").toString());
    assertEquals("[]", targeting.getJsonArray("browsers").toString(), "empty: every browser");
    HttpResponse<String> badTargeting =
        call(
            "POST",
            "/api/v1/campaigns",
            northwind,
            body.replace("}", ",\"targeting\":{\"hours\":[25],\"devices\":[\"TOASTER\"]}}"),
            null);
    assertEquals(400, badTargeting.statusCode(), badTargeting.body());
    assertEquals(
        "application/problem+json",
        badTargeting.headers().firstValue("Content-Type").orElseThrow());
    HttpResponse<String> badHours =
        call(
            "POST",
            "/api/v1/campaigns",
            northwind,
            body.replace("}", ",\"targeting\":{\"hours\":[25],\"languages\":[\"english\"]}}"),
            null);
    assertEquals(400, badHours.statusCode(), badHours.body());
    assertEquals(
        List.of("targeting.hours", "targeting.languages"),
        TestEnvironment.json(badHours).getJsonArray("errors").stream()
            .map(e -> e.asJsonObject().getString("field"))
            .toList());
  }

  @Test
  void aRevokedKeyStopsWorkingAtOnce() throws Exception {
    Browser browser = new Browser();
    assertEquals(302, browser.signIn(ADVERTISER, password).statusCode());
    browser.get("/app/");
    String key = match(Browser.NEW_KEY, createKey(browser, "to be revoked").body());
    assertEquals(200, call("GET", "/api/v1/campaigns", key, null, null).statusCode());

    browser.get("/app/");
    // Sent as a browser sends it: the row's own form, with the (empty) new-key field elsewhere.
    HttpResponse<String> revoked =
        browser.submitRow("/app/index.xhtml", "to be revoked", "key", "Revoke", Map.of());
    assertTrue(revoked.body().contains("The key was revoked."), revoked.body());

    HttpResponse<String> refused = call("GET", "/api/v1/campaigns", key, null, null);
    assertEquals(401, refused.statusCode());
    assertProblem(refused);
  }

  private static void assertProblem(HttpResponse<String> answer) {
    assertTrue(
        answer
            .headers()
            .firstValue("Content-Type")
            .orElseThrow()
            .startsWith("application/problem+json"),
        answer.headers().toString());
  }

  @Test
  void pagesSendSecurityHeadersAndASessionBeforeSignInIsWorthNothingAfter() throws Exception {
    Browser browser = new Browser();
    HttpResponse<String> login = browser.get("/login.xhtml?next=/app/");
    var headers = login.headers();
    String policy = headers.firstValue("Content-Security-Policy").orElse("");
    for (String directive :
        List.of(
            "default-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'")) {
      assertTrue(policy.contains(directive), directive + " in " + policy);
    }
    assertEquals("DENY", headers.firstValue("X-Frame-Options").orElse(""));
    assertEquals("nosniff", headers.firstValue("X-Content-Type-Options").orElse(""));
    assertEquals(
        "strict-origin-when-cross-origin", headers.firstValue("Referrer-Policy").orElse(""));

    // A session id handed out before the sign-in, or planted by someone else (here one the
    // "attacker" got from the site, else an invented one), is not the one the signed-in session
    // has: the sign-in gives a new id and the planted one opens nothing.
    Browser attacker = new Browser();
    attacker.signIn("fixation-" + System.nanoTime() + "@nobody.test", "not the password");
    String planted = attacker.cookie("JSESSIONID");
    if (planted == null) {
      planted = "attacker" + Long.toHexString(System.nanoTime());
    }
    browser.plantCookie("JSESSIONID", planted);
    browser.get("/login.xhtml?next=/app/");
    HttpResponse<String> signedIn =
        browser.submit(
            "/login.xhtml", "login", "sign-in", Map.of("email", ADVERTISER, "password", password));
    assertEquals(302, signedIn.statusCode(), signedIn.body());
    String cookie =
        signedIn.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("JSESSIONID="))
            .findFirst()
            .orElse("");
    assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), cookie);
    String after = cookie.substring("JSESSIONID=".length()).split(";", 2)[0];
    assertTrue(
        !after.isEmpty() && !after.equals(planted),
        "a new id at sign-in: " + planted + " -> " + signedIn.headers().allValues("Set-Cookie"));
    HttpResponse<String> fixed =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(TestEnvironment.balancer().resolve("/app/"))
                    .header("Cookie", "JSESSIONID=" + planted)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    AttackReport.add(
        "session fixation: a session id planted before the sign-in used after it",
        1,
        fixed.statusCode() == 302 ? 0 : 1,
        "a new session id at sign-in; the planted one opens nothing");
    assertEquals(302, fixed.statusCode(), "the planted id opens nothing");
    assertEquals(200, browser.get("/app/").statusCode());
  }

  @Test
  void aReadOnlyKeyReadsAndChangesNothing() throws Exception {
    Browser browser = new Browser();
    assertEquals(302, browser.signIn(ADVERTISER, password).statusCode());
    browser.get("/app/");
    HttpResponse<String> made =
        browser.submit(
            "/app/index.xhtml",
            "keys",
            "create-key",
            Map.of("key-name", "reporting tool", "key-read-only", "on"));
    String key = match(Browser.NEW_KEY, made.body());
    assertTrue(
        made.body().contains("<td>read</td>"),
        "the page lists the key as read-only: " + made.body());
    assertEquals(200, call("GET", "/api/v1/campaigns", key, null, null).statusCode());
    long before = campaignCount();
    for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
      HttpResponse<String> refused =
          call(
              method,
              "/api/v1/campaigns" + (method.equals("POST") ? "" : "/1"),
              key,
              method.equals("DELETE") ? null : "{}",
              null);
      assertEquals(403, refused.statusCode(), method + ": " + refused.body());
      assertTrue(refused.body().contains("may only read"), refused.body());
      assertProblem(refused);
    }
    assertEquals(before, campaignCount(), "nothing written");
    AttackReport.add(
        "writes with a read-only API key (POST, PUT, PATCH, DELETE)",
        4,
        0,
        "403 problem+json before any resource runs");
  }

  private static long campaignCount() throws Exception {
    try (var db = TestEnvironment.database();
        var row = db.createStatement().executeQuery("SELECT count(*) FROM campaign")) {
      row.next();
      return row.getLong(1);
    }
  }

  @Test
  void publishersOfferZonesAdvertisersLinkCampaignsAndAdminsApproveCreatives() throws Exception {
    String publisher = keyFor(PUBLISHER);
    String otherPublisher = keyFor("pub@gadgetweekly.test");
    String advertiser = keyFor(ADVERTISER);
    String admin = keyFor("admin@adgrid.test");

    HttpResponse<String> site =
        call(
            "POST",
            "/api/v1/sites",
            publisher,
            "{\"name\":\"IT site\",\"domain\":\"It.Example.com\"}",
            null);
    assertEquals(201, site.statusCode(), site.body());
    long siteId = TestEnvironment.json(site).getJsonNumber("id").longValue();
    assertEquals("it.example.com", TestEnvironment.json(site).getString("domain"));
    assertEquals(
        404, call("GET", "/api/v1/sites/" + siteId, otherPublisher, null, null).statusCode());
    assertEquals(403, call("GET", "/api/v1/sites", advertiser, null, null).statusCode());

    String zoneBody =
        "{\"siteId\":"
            + siteId
            + ",\"name\":\"Sidebar\",\"width\":300,\"height\":250,"
            + "\"allowedKinds\":[\"IMAGE\",\"TEXT\"]}";
    assertEquals(
        400,
        call("POST", "/api/v1/zones", otherPublisher, zoneBody, null).statusCode(),
        "not its site");
    HttpResponse<String> zone = call("POST", "/api/v1/zones", publisher, zoneBody, null);
    assertEquals(201, zone.statusCode(), zone.body());
    long zoneId = TestEnvironment.json(zone).getJsonNumber("id").longValue();
    assertEquals(
        200,
        call("GET", "/api/v1/zones/" + zoneId, advertiser, null, null).statusCode(),
        "offered to advertisers");
    assertEquals(
        404, call("GET", "/api/v1/zones/" + zoneId, otherPublisher, null, null).statusCode());

    HttpResponse<String> campaign =
        call(
            "POST",
            "/api/v1/campaigns",
            advertiser,
            "{\"name\":\"IT creatives\",\"type\":\"REMNANT\",\"startsAt\":\"2026-12-01T00:00:00Z\","
                + "\"pricing\":\"CPC\",\"rate\":0.4,\"budget\":50}",
            null);
    String campaignPath =
        "/api/v1/campaigns/" + TestEnvironment.json(campaign).getJsonNumber("id").longValue();
    assertEquals(
        204, call("PUT", campaignPath + "/zones/" + zoneId, advertiser, null, null).statusCode());
    assertEquals(
        204,
        call("PUT", campaignPath + "/zones/" + zoneId, advertiser, null, null).statusCode(),
        "idempotent");
    assertEquals(
        "[" + zoneId + "]", call("GET", campaignPath + "/zones", advertiser, null, null).body());
    String otherZone = zoneBody.replace("Sidebar", "Footer");
    HttpResponse<String> footer = call("POST", "/api/v1/zones", publisher, otherZone, null);
    long footerId = TestEnvironment.json(footer).getJsonNumber("id").longValue();
    assertEquals(
        204, call("PUT", campaignPath + "/zones/" + footerId, advertiser, null, null).statusCode());
    assertEquals(
        204,
        call("DELETE", "/api/v1/zones/" + footerId, publisher, null, etagOf(footer)).statusCode(),
        "a linked zone is still its publisher's to delete");
    assertEquals(
        "[" + zoneId + "]", call("GET", campaignPath + "/zones", advertiser, null, null).body());

    java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(300, 250, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png",
        png);
    String creativeBody =
        "{\"name\":\"Sidebar banner\",\"kind\":\"IMAGE\",\"width\":300,\"height\":250,"
            + "\"landingUrl\":\"https://northwind.example/autumn\",\"imageType\":\"image/png\",\"image\":\""
            + java.util.Base64.getEncoder().encodeToString(png.toByteArray())
            + "\"}";
    HttpResponse<String> creative =
        call("POST", campaignPath + "/creatives", advertiser, creativeBody, null);
    assertEquals(201, creative.statusCode(), creative.body());
    JsonObject created = TestEnvironment.json(creative);
    assertEquals("PENDING", created.getString("review"));
    String imageUrl = created.getString("imageUrl");
    assertEquals(404, anonymous(imageUrl).statusCode(), "not public before approval");
    assertEquals(
        200, call("GET", imageUrl, advertiser, null, null).statusCode(), "its owner previews it");

    String creativePath = "/api/v1/creatives/" + created.getJsonNumber("id").longValue();
    String seen = etagOf(creative);
    assertEquals(
        403,
        call("POST", creativePath + "/review", advertiser, "{\"decision\":\"APPROVED\"}", seen)
            .statusCode());
    assertEquals(
        428,
        call("POST", creativePath + "/review", admin, "{\"decision\":\"APPROVED\"}", null)
            .statusCode(),
        "a decision names the version it was made on");
    HttpResponse<String> approved =
        call("POST", creativePath + "/review", admin, "{\"decision\":\"APPROVED\"}", seen);
    assertEquals(200, approved.statusCode(), approved.body());
    HttpResponse<String> served = anonymous(imageUrl);
    assertEquals(200, served.statusCode());
    assertEquals("image/png", served.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(served.headers().firstValue("Cache-Control").orElseThrow().contains("max-age=300"));
    assertTrue(served.headers().firstValue("Set-Cookie").isEmpty(), "no session for an ad image");

    // A change is stored (the lazily loaded image must not undo it) and needs a new review.
    HttpResponse<String> changed =
        call(
            "PUT",
            creativePath,
            advertiser,
            creativeBody.replace("northwind.example/autumn", "northwind.example/winter"),
            etagOf(approved));
    assertEquals(200, changed.statusCode(), changed.body());
    JsonObject reread = TestEnvironment.json(call("GET", creativePath, advertiser, null, null));
    assertEquals("https://northwind.example/winter", reread.getString("landingUrl"));
    assertEquals("PENDING", reread.getString("review"));
    assertEquals(404, anonymous(imageUrl).statusCode(), "not public again until approved");

    String wrongSize = creativeBody.replace("\"width\":300", "\"width\":728");
    HttpResponse<String> refused =
        call("POST", campaignPath + "/creatives", advertiser, wrongSize, null);
    assertEquals(400, refused.statusCode());
    assertEquals(
        "image",
        TestEnvironment.json(refused).getJsonArray("errors").getJsonObject(0).getString("field"));
  }

  @Test
  void advertisersManageCampaignsOnThePagesAndSeeOnlyTheirOwn() throws Exception {
    Browser northwind = new Browser();
    assertEquals(302, northwind.signIn(ADVERTISER, password).statusCode());
    HttpResponse<String> form = northwind.get("/app/campaign.xhtml");
    assertEquals(200, form.statusCode());
    String startsAt =
        match(Pattern.compile("name=\"campaign:startsAt\"[^>]*value=\"([^\"]+)\""), form.body());
    Map<String, String> fields = new java.util.HashMap<>();
    fields.put("campaign:name", "Page <b>campaign</b>");
    fields.put("campaign:type", "CONTRACT");
    fields.put("campaign:priority", "");
    fields.put("campaign:startsAt", startsAt);
    fields.put("campaign:pricing", "CPM");
    fields.put("campaign:rate", "1.25");
    fields.put("campaign:budget", "300");
    fields.put("campaign:pacing", "EVEN");
    fields.put("campaign:weight", "1");

    HttpResponse<String> refused =
        northwind.submit("/app/campaign.xhtml", "campaign", "campaign:save", fields);
    assertEquals(200, refused.statusCode());
    assertTrue(
        refused.body().contains("a contract campaign needs a priority from 1 to 10"),
        refused.body());

    fields.put("campaign:priority", "6");
    fields.put("campaign:hours", "8-10, 25");
    HttpResponse<String> badHours =
        northwind.submit("/app/campaign.xhtml", "campaign", "campaign:save", fields);
    assertTrue(badHours.body().contains("Hours from 0 to 23"), badHours.body());

    fields.put("campaign:hours", "8-10, 20");
    fields.put("campaign:days", "SATURDAY");
    fields.put("campaign:languages", "de, fr-CH");
    fields.put("campaign:keywords", "Winter");
    HttpResponse<String> saved =
        northwind.submit("/app/campaign.xhtml", "campaign", "campaign:save", fields);
    assertEquals(302, saved.statusCode(), saved.body());
    HttpResponse<String> list = northwind.get("/app/campaigns.xhtml");
    assertTrue(list.body().contains("Page &lt;b&gt;campaign&lt;/b&gt;"), "listed, and escaped");
    assertTrue(
        list.body().contains("sat · 8-10, 20 h · de/fr-ch · keywords winter"),
        "targeting at a glance");
    String edit =
        match(
            Pattern.compile("href=\"(/app/campaign.xhtml\\?id=\\d+)\">Page &lt;b&gt;campaign"),
            list.body());

    Browser contoso = new Browser();
    assertEquals(302, contoso.signIn(OTHER_ADVERTISER, password).statusCode());
    assertEquals(
        404, contoso.get(edit).statusCode(), "another advertiser's campaign does not exist for it");
    assertFalse(contoso.get("/app/campaigns.xhtml").body().contains("Page &lt;b&gt;campaign"));

    Browser publisher = new Browser();
    assertEquals(302, publisher.signIn(PUBLISHER, password).statusCode());
    assertEquals(
        403, publisher.get("/app/campaigns.xhtml").statusCode(), "publishers have no campaigns");
  }

  @Test
  void theDemoNetworkIsReadyToServe() throws Exception {
    String northwind = keyFor(ADVERTISER);
    JsonObject campaigns =
        TestEnvironment.json(call("GET", "/api/v1/campaigns", northwind, null, null));
    var autumn =
        campaigns.getJsonArray("items").stream()
            .map(v -> v.asJsonObject())
            .filter(c -> c.getString("name").equals("Autumn blend launch"))
            .findFirst()
            .orElseThrow();
    assertEquals("ACTIVE", autumn.getString("status"));
    String path = "/api/v1/campaigns/" + autumn.getJsonNumber("id").longValue();
    String zones = call("GET", path + "/zones", northwind, null, null).body();
    assertEquals(
        3,
        jakarta.json.Json.createReader(new java.io.StringReader(zones)).readArray().size(),
        zones);
    JsonObject creatives =
        TestEnvironment.json(call("GET", path + "/creatives", northwind, null, null));
    JsonObject banner =
        creatives.getJsonArray("items").stream()
            .map(v -> v.asJsonObject())
            .filter(c -> c.getString("kind").equals("IMAGE"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("an image creative: " + creatives));
    assertEquals("APPROVED", banner.getString("review"));
    HttpResponse<String> image = anonymous(banner.getString("imageUrl"));
    assertEquals(200, image.statusCode(), "a demo banner is public");
    assertEquals("image/png", image.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  void aSecondFactorGuardsTheSignInAndNoCodeWorksTwice() throws Exception {
    String email = newPublisher("Two-step Ltd", "totp-", "a long first password");

    Browser user = new Browser();
    assertEquals(302, user.signIn(email, "a long first password").statusCode());
    user.get("/app/");
    HttpResponse<String> setup =
        user.submit(
            "/app/index.xhtml", "second-factor", "second-factor:start-second-factor", Map.of());
    String secret =
        match(Pattern.compile("<code id=\"setup-secret\">([A-Z2-7 ]+)</code>"), setup.body())
            .replace(" ", "");
    Instant now = Instant.now();
    HttpResponse<String> wrong =
        user.submit(
            "/app/index.xhtml",
            "second-factor",
            "second-factor:confirm-second-factor",
            Map.of("second-factor:on-code", wrongCode(secret, now)));
    assertTrue(wrong.body().contains("That code does not match"), wrong.body());
    HttpResponse<String> on =
        user.submit(
            "/app/index.xhtml",
            "second-factor",
            "second-factor:confirm-second-factor",
            Map.of("second-factor:on-code", Totp.codeAt(secret, now)));
    assertTrue(on.body().contains("Two-step sign-in is on"), on.body());

    // The password alone signs nobody in; the code form asks for the rest.
    Browser next = new Browser();
    HttpResponse<String> half = next.signIn(email, "a long first password");
    assertTrue(half.body().contains("Now enter the six-digit code"), half.body());
    assertEquals(302, next.get("/app/").statusCode(), "not signed in by the password alone");
    next.get("/login.xhtml");
    HttpResponse<String> refused =
        next.submit(
            "/login.xhtml", "second-factor", "verify", Map.of("code", wrongCode(secret, now)));
    assertTrue(refused.body().contains("That code is not right"), refused.body());
    // The app's next code (clocks drift: one step either way is accepted).
    String code = Totp.codeAt(secret, now.plusSeconds(30));
    HttpResponse<String> signedIn =
        next.submit("/login.xhtml", "second-factor", "verify", Map.of("code", code));
    assertEquals(302, signedIn.statusCode(), signedIn.body());
    assertEquals(200, next.get("/app/").statusCode());

    // The same code again, from another browser: refused, even within its 30 seconds.
    Browser replay = new Browser();
    replay.signIn(email, "a long first password");
    HttpResponse<String> replayed =
        replay.submit("/login.xhtml", "second-factor", "verify", Map.of("code", code));
    assertTrue(replayed.body().contains("That code is not right"), replayed.body());
    // Guessing has a limit: after five wrong codes the password has to be entered again.
    HttpResponse<String> guess = replayed;
    for (int i = 1; i < 5; i++) {
      guess =
          replay.submit(
              "/login.xhtml", "second-factor", "verify", Map.of("code", wrongCode(secret, now)));
    }
    assertTrue(guess.body().contains("sign in again"), guess.body());
    assertTrue(guess.body().contains("id=\"password\""), "the password form again");
    // Signing in again does not start the count again: the user's row counts wrong codes (the
    // replayed one too), and the tenth in a row locks codes out for a quarter of an hour.
    replay.signIn(email, "a long first password");
    for (int i = 0; i < 5; i++) {
      replay.submit(
          "/login.xhtml", "second-factor", "verify", Map.of("code", wrongCode(secret, now)));
    }
    try (var db = TestEnvironment.database();
        var row =
            db.prepareStatement("SELECT totp_locked_until > now() FROM app_user WHERE email = ?")) {
      row.setString(1, email);
      var result = row.executeQuery();
      assertTrue(result.next() && result.getBoolean(1), "locked after ten wrong codes");
    }
  }

  @Test
  void guessingPasswordsIsThrottledAcrossTheNodesAndAudited() throws Exception {
    String email = newPublisher("Guessed Ltd", "guessed-", "the right long password");

    // Five wrong passwords from one address, then the right one: refused without a look.
    Browser guesser = new Browser();
    for (int i = 0; i < 5; i++) {
      HttpResponse<String> wrong = guesser.signIn(email, "guess number " + i);
      assertTrue(
          wrong.body().contains("The e-mail address or the password is wrong."), wrong.body());
    }
    HttpResponse<String> throttled = guesser.signIn(email, "the right long password");
    assertTrue(
        throttled.body().contains("Too many failed sign-ins. Try again in 15 minutes."),
        throttled.body());
    assertEquals(302, guesser.get("/app/").statusCode(), "not signed in");

    // Twenty guesses at once, spread over the nodes by httpd, for an address nobody has (it is
    // throttled alike, so the limit tells nothing of who has an account): five are checked.
    String nobody = "nobody-" + System.nanoTime() + "@fabrikam.test";
    java.util.concurrent.ExecutorService burst =
        java.util.concurrent.Executors.newFixedThreadPool(20);
    List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) {
      int n = i;
      answers.add(burst.submit(() -> new Browser().signIn(nobody, "guess " + n)));
    }
    int throttledAnswers = 0;
    for (var answer : answers) {
      throttledAnswers += answer.get().body().contains("Too many failed sign-ins") ? 1 : 0;
    }
    burst.shutdown();
    AttackReport.add(
        "password guessing: 5 wrong then the right password, 20 guesses at once over the nodes",
        26,
        Math.max(0, 15 - throttledAnswers),
        "throttle (5 wrong per e-mail and address in 15 min, one at a time across nodes);"
            + " every try audited");
    assertEquals(15, throttledAnswers, "five of twenty guesses checked");

    // The audit: every try, its address and what became of it.
    try (var db = TestEnvironment.database();
        var query =
            db.prepareStatement(
                "SELECT email, outcome, count(*), count(DISTINCT client_ip),"
                    + " bool_and(host(client_ip) = '127.0.0.1')"
                    + " FROM sign_in_attempt WHERE email IN (?, ?)"
                    + " GROUP BY email, outcome ORDER BY email, outcome")) {
      query.setString(1, email);
      query.setString(2, nobody);
      List<String> rows = new java.util.ArrayList<>();
      try (var result = query.executeQuery()) {
        while (result.next()) {
          rows.add(
              result.getString(1).substring(0, 5)
                  + " "
                  + result.getString(2)
                  + " "
                  + result.getLong(3)
                  + (result.getBoolean(5) ? " from 127.0.0.1" : " from elsewhere"));
        }
      }
      assertEquals(
          List.of(
              "guess THROTTLED 1 from 127.0.0.1",
              "guess WRONG 5 from 127.0.0.1",
              "nobod THROTTLED 15 from 127.0.0.1",
              "nobod WRONG 5 from 127.0.0.1"),
          rows);
    }
  }

  /** A publisher account made by the admin on the page; returns its first user's e-mail. */
  private static String newPublisher(String name, String emailPrefix, String firstPassword)
      throws Exception {
    Browser admin = new Browser();
    assertEquals(302, admin.signIn("admin@adgrid.test", password).statusCode());
    admin.get("/app/admin/accounts.xhtml");
    String email = emailPrefix + System.nanoTime() + "@fabrikam.test";
    HttpResponse<String> created =
        admin.submit(
            "/app/admin/accounts.xhtml",
            "new-account",
            "new-account:create",
            newAccount(name, "PUBLISHER", "UTC", email, firstPassword));
    assertTrue(created.body().contains("Created the account"), created.body());
    return email;
  }

  /** The fields of the admin page's form that creates an account with its first user. */
  private static Map<String, String> newAccount(
      String name, String role, String timeZone, String email, String firstPassword) {
    Map<String, String> account = new java.util.HashMap<>();
    account.put("new-account:name", name);
    account.put("new-account:role", role);
    account.put("new-account:timeZone", timeZone);
    account.put("new-account:email", email);
    account.put("new-account:displayName", "First user of " + name);
    account.put("new-account:password", firstPassword);
    return account;
  }

  /** A six-digit code that is none of the codes the app shows around this time. */
  private static String wrongCode(String secret, Instant now) {
    java.util.Set<String> valid = new java.util.HashSet<>();
    for (int step = -2; step <= 2; step++) {
      valid.add(Totp.codeAt(secret, now.plusSeconds(30L * step)));
    }
    for (int candidate = 0; ; candidate++) {
      String code = String.format("%06d", candidate);
      if (!valid.contains(code)) {
        return code;
      }
    }
  }

  @Test
  void adminsCreateAndDisableAccountsWhichTakesEffectAtOnce() throws Exception {
    Browser admin = new Browser();
    assertEquals(302, admin.signIn("admin@adgrid.test", password).statusCode());
    assertEquals(200, admin.get("/app/admin/accounts.xhtml").statusCode());
    String email = "new-" + System.nanoTime() + "@fabrikam.test";
    Map<String, String> account =
        newAccount("Fabrikam", "ADVERTISER", "Europe/Berlin", email, "short");
    HttpResponse<String> weak =
        admin.submit("/app/admin/accounts.xhtml", "new-account", "new-account:create", account);
    assertTrue(weak.body().contains("A password needs at least 10 characters."), weak.body());
    account.put("new-account:password", "a long first password");
    HttpResponse<String> created =
        admin.submit("/app/admin/accounts.xhtml", "new-account", "new-account:create", account);
    assertTrue(created.body().contains("Created the account"), created.body());
    HttpResponse<String> again =
        admin.submit("/app/admin/accounts.xhtml", "new-account", "new-account:create", account);
    assertTrue(again.body().contains("Someone already signs in with this e-mail address."));

    Browser fabrikam = new Browser();
    assertEquals(302, fabrikam.signIn(email, "a long first password").statusCode());
    HttpResponse<String> home = fabrikam.get("/app/");
    assertTrue(home.body().contains("Europe/Berlin"), "the account's time zone");
    String key = match(Browser.NEW_KEY, createKey(fabrikam, "fabrikam tool").body());
    assertEquals(200, call("GET", "/api/v1/campaigns", key, null, null).statusCode());

    admin.get("/app/admin/accounts.xhtml");
    HttpResponse<String> disabled =
        admin.submitRow(
            "/app/admin/accounts.xhtml",
            "Fabrikam",
            "account",
            "Disable",
            Map.of("disable", "true"));
    assertTrue(disabled.body().contains("The account is disabled"), disabled.body());

    assertEquals(302, fabrikam.get("/app/").statusCode(), "its session ends at once");
    assertEquals(
        401, call("GET", "/api/v1/campaigns", key, null, null).statusCode(), "its key too");
    assertEquals(200, fabrikam.signIn(email, "a long first password").statusCode(), "no sign-in");

    Browser advertiser = new Browser();
    assertEquals(302, advertiser.signIn(ADVERTISER, password).statusCode());
    assertEquals(403, advertiser.get("/app/admin/accounts.xhtml").statusCode());
  }

  // ------------------------------------------------------------------------------ helpers

  private static String etagOf(HttpResponse<String> response) {
    return response.headers().firstValue("ETag").orElseThrow();
  }

  private static HttpResponse<String> anonymous(String path) throws Exception {
    return TestEnvironment.api("GET", path, null, null, null);
  }

  private static HttpResponse<String> createKey(Browser browser, String name) throws Exception {
    return browser.createKey(name);
  }

  private static String keyFor(String email) throws Exception {
    return Browser.apiKey(email, password);
  }

  private static HttpResponse<String> call(
      String method, String path, String key, String json, String ifMatch) throws Exception {
    return TestEnvironment.api(method, path, key, json, ifMatch);
  }

  private static String match(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertTrue(matcher.find(), pattern + " not found in:\n" + text);
    return matcher.group(1);
  }
}
