package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The pages in a real browser (Debian's headless Chromium, through httpd), as each role uses them.
 * Screenshots of every step are kept in target/screenshots for review.
 */
class BrowserIT {

  private static final Path SHOTS = Path.of("target/screenshots");
  private static WebDriver browser;
  private static String password;

  @BeforeAll
  static void start() throws Exception {
    TestEnvironment.requirePrepared();
    password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "2");
    Files.createDirectories(SHOTS);
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    // No network but loopback here: Chromium must not try to reach its services.
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900");
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver"))
            .build();
    browser = new ChromeDriver(service, options);
    browser.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
    // A click that posts a form returns before the next page is there: elements are waited for.
    browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.quit();
    }
  }

  @Test
  void anAdvertiserSignsInAndCreatesACampaign() throws Exception {
    signIn("ads@northwind.test");
    browser.findElement(By.id("nav-campaigns")).click();
    shot("advertiser-campaigns");
    browser.findElement(By.id("new-campaign")).click();
    browser.findElement(By.id("campaign:name")).sendKeys("Browser-made campaign");
    new Select(browser.findElement(By.id("campaign:type"))).selectByVisibleText("CONTRACT");
    browser.findElement(By.id("campaign:priority")).clear();
    browser.findElement(By.id("campaign:priority")).sendKeys("7");
    browser.findElement(By.id("campaign:rate")).sendKeys("2.75");
    browser.findElement(By.id("campaign:budget")).sendKeys("abc");
    shot("advertiser-new-campaign");
    browser.findElement(By.id("campaign:save")).click();
    assertTrue(
        pageShows("A number, at most 4 decimal places."),
        "the field's message is shown next to it");
    shot("advertiser-campaign-invalid");
    browser.findElement(By.id("campaign:budget")).clear();
    browser.findElement(By.id("campaign:budget")).sendKeys("900");
    browser.findElement(By.id("campaign:save")).click();
    assertTrue(browser.findElement(By.id("saved")).getText().contains("Browser-made campaign"));
    shot("advertiser-campaign-saved");

    // Its creatives: an uploaded image, then a text ad, each waiting for review.
    browser.findElement(By.linkText("Browser-made campaign")).click();
    Path png = Files.createTempFile("banner", ".png");
    javax.imageio.ImageIO.write(
        new java.awt.image.BufferedImage(300, 250, java.awt.image.BufferedImage.TYPE_INT_RGB),
        "png",
        png.toFile());
    browser.findElement(By.id("creative:name")).sendKeys("Sidebar banner");
    browser.findElement(By.id("creative:width")).sendKeys("300");
    browser.findElement(By.id("creative:height")).sendKeys("250");
    browser.findElement(By.id("creative:landingUrl")).sendKeys("https://northwind.example/autumn");
    browser.findElement(By.id("creative:image")).sendKeys(png.toString());
    browser.findElement(By.id("creative:add")).click();
    assertTrue(pageShows("Added the creative Sidebar banner; it is waiting for review."));
    new Select(browser.findElement(By.id("creative:kind"))).selectByVisibleText("TEXT");
    browser.findElement(By.id("creative:name")).sendKeys("Text <ad>");
    browser.findElement(By.id("creative:width")).clear();
    browser.findElement(By.id("creative:width")).sendKeys("300");
    browser.findElement(By.id("creative:height")).clear();
    browser.findElement(By.id("creative:height")).sendKeys("100");
    browser.findElement(By.id("creative:landingUrl")).sendKeys("javascript:alert(1)");
    browser.findElement(By.id("creative:headline")).sendKeys("Autumn blend is here");
    browser.findElement(By.id("creative:add")).click();
    assertTrue(pageShows("landingUrl: must be an absolute http or https address"));
    browser.findElement(By.id("creative:landingUrl")).clear();
    browser.findElement(By.id("creative:landingUrl")).sendKeys("https://northwind.example/");
    browser.findElement(By.id("creative:add")).click();
    assertTrue(pageShows("Added the creative Text &lt;ad&gt;"));
    assertEquals(2, browser.findElements(By.cssSelector("tr.creative")).size());
    assertEquals(1, browser.findElements(By.cssSelector("img.image-preview")).size());
    shot("advertiser-creatives");

    // A creative is edited in the same form (and goes back to review), and deleted from its row.
    browser
        .findElement(
            By.xpath("//tr[@class='creative'][.//td[text()='Text <ad>']]//a[text()='Edit']"))
        .click();
    assertTrue(pageShows("Edit creative Text &lt;ad&gt;"));
    browser.findElement(By.id("creative:headline")).clear();
    browser.findElement(By.id("creative:headline")).sendKeys("Autumn blend, freshly roasted");
    browser.findElement(By.id("creative:add")).click();
    assertTrue(pageShows("Saved the creative Text &lt;ad&gt;; it is waiting for review."));
    shot("advertiser-creative-edited");
    String edited =
        browser
            .findElement(By.xpath("//tr[@class='creative'][.//td[text()='Text <ad>']]"))
            .getText();
    assertTrue(
        edited.contains("Autumn blend, freshly roasted") && edited.contains("PENDING"),
        "the list shows the stored change, back in review: "
            + edited
            + " / stored: "
            + stored()
            + " / form: "
            + browser.findElement(By.id("creative:headline")).getAttribute("value")
            + " / messages: "
            + browser.findElement(By.id("creative:creative-messages")).getText());
    browser
        .findElement(
            By.xpath(
                "//tr[@class='creative'][.//td[text()='Sidebar banner']]//input[@value='Delete']"))
        .click();
    browser.switchTo().alert().accept();
    assertTrue(pageShows("Deleted the creative Sidebar banner."));
    assertEquals(1, browser.findElements(By.cssSelector("tr.creative")).size());

    // Where it runs: a zone of the network, picked from the list, and whom it targets.
    new Select(browser.findElement(By.id("zones:zone"))).selectByIndex(0);
    browser.findElement(By.id("zones:link")).click();
    assertTrue(pageShows("The campaign runs in zone"));
    assertEquals(1, browser.findElements(By.cssSelector("tr.linked-zone")).size());
    browser
        .findElement(By.xpath("//table[@id='campaign:days']//label[contains(., 'SAT')]"))
        .click();
    browser.findElement(By.id("campaign:hours")).sendKeys("18-23");
    browser.findElement(By.id("campaign:languages")).sendKeys("en");
    shot("advertiser-zones-and-targeting");
    browser.findElement(By.id("campaign:save")).click();
    assertTrue(pageShows("sat · 18-23 h · en"));
    browser.findElement(By.linkText("Browser-made campaign")).click();

    // Its life: activate, pause, each a button that exists only where the move does.
    browser.findElement(By.id("campaign:activate")).click();
    assertTrue(pageShows("Saved “Browser-made campaign”."));
    browser.findElement(By.linkText("Browser-made campaign")).click();
    assertEquals("ACTIVE", browser.findElement(By.id("status")).getText());
    browser.findElement(By.id("campaign:pause")).click();
    assertTrue(pageShows("Saved “Browser-made campaign”."));
    browser.findElement(By.linkText("Browser-made campaign")).click();
    assertEquals("PAUSED", browser.findElement(By.id("status")).getText());
    signOut();
  }

  @Test
  void anAdvertiserImportsCampaignsAndCreativesFromCsv() throws Exception {
    signIn("ads@contoso.test");
    browser.findElement(By.id("nav-campaigns")).click();
    browser.findElement(By.id("import-csv")).click();
    Path bad = Files.createTempFile("campaigns", ".csv");
    Files.writeString(
        bad,
        "name,type,priority,startsAt,pricing,rate,budget\n"
            + "CSV winter,CONTRACT,6,2026-12-01 09:00,CPM,2.50,1000\n"
            + "CSV spring,CONTRACT,,next week,CPM,1,10\n");
    browser.findElement(By.id("import:file")).sendKeys(bad.toString());
    browser.findElement(By.id("import:upload")).click();
    assertTrue(pageShows("Nothing was imported"));
    String report = browser.findElement(By.cssSelector("table.import-errors")).getText();
    assertTrue(report.contains("3 startsAt"), report);
    assertTrue(report.contains("3 priority a contract campaign needs a priority"), report);
    shot("advertiser-import-problems");

    Files.writeString(bad, Files.readString(bad).replace(",,next week,", ",3,2027-03-01 00:00,"));
    browser.findElement(By.id("import:file")).sendKeys(bad.toString());
    browser.findElement(By.id("import:upload")).click();
    assertTrue(pageShows("Imported 2 campaigns as drafts."));

    Path creatives = Files.createTempFile("creatives", ".csv");
    Files.writeString(
        creatives,
        "campaign,name,kind,width,height,landingUrl,headline,body\n"
            + "CSV winter,Winter text,TEXT,300,100,https://contoso.example/winter,\"Warm, dry\",Boots\n");
    browser.findElement(By.xpath("//label[contains(., 'Creatives')]")).click();
    browser.findElement(By.id("import:file")).sendKeys(creatives.toString());
    browser.findElement(By.id("import:upload")).click();
    assertTrue(pageShows("Imported 1 creatives; they wait for review."));
    browser.findElement(By.id("nav-campaigns")).click();
    browser.findElement(By.linkText("CSV winter")).click();
    assertTrue(browser.findElement(By.cssSelector("tr.creative")).getText().contains("Warm, dry"));
    Files.delete(bad);
    Files.delete(creatives);
    signOut();
  }

  @Test
  void anAdminSeesEveryAccount() throws Exception {
    signIn("admin@adgrid.test");
    browser.findElement(By.id("nav-accounts")).click();
    String page = browser.getPageSource();
    for (String account : new String[] {"Northwind Coffee", "Contoso Outdoor", "Daily Planet"}) {
      assertTrue(page.contains(account), account);
    }
    shot("admin-accounts");

    // A creative an advertiser just sent waits in the review queue until an admin decides.
    String key = Browser.apiKey("ads@contoso.test", password);
    HttpResponse<String> campaign =
        TestEnvironment.api(
            "POST",
            "/api/v1/campaigns",
            key,
            "{\"name\":\"Review run\",\"type\":\"REMNANT\",\"startsAt\":\"2026-12-01T00:00:00Z\","
                + "\"pricing\":\"CPC\",\"rate\":0.4,\"budget\":50}",
            null);
    assertEquals(201, campaign.statusCode(), campaign.body());
    long campaignId = TestEnvironment.json(campaign).getJsonNumber("id").longValue();
    HttpResponse<String> creative =
        TestEnvironment.api(
            "POST",
            "/api/v1/campaigns/" + campaignId + "/creatives",
            key,
            "{\"name\":\"Trail shoes for review\",\"kind\":\"TEXT\",\"width\":300,\"height\":100,"
                + "\"landingUrl\":\"https://contoso.example/trail\",\"headline\":\"Trail <shoes>\"}",
            null);
    assertEquals(201, creative.statusCode(), creative.body());
    String creativePath = creative.headers().firstValue("Location").orElseThrow();
    browser.findElement(By.id("nav-review")).click();
    String row = "//tr[@class='creative'][.//td[text()='Trail shoes for review']]";
    assertTrue(browser.findElement(By.xpath(row)).getText().contains("Contoso Outdoor"));
    shot("admin-review");
    browser.findElement(By.xpath(row + "//button[text()='Approve']")).click();
    assertTrue(pageShows("Approved “Trail shoes for review”."));
    assertEquals(
        "APPROVED",
        TestEnvironment.json(
                TestEnvironment.api("GET", URI.create(creativePath).getPath(), key, null, null))
            .getString("review"));
    signOut();
  }

  @Test
  void aPublisherAddsASiteWithAZoneAndMakesAnApiKey() throws Exception {
    signIn("pub@dailyplanet.test");
    browser.findElement(By.id("nav-sites")).click();
    browser.findElement(By.id("new-site:siteName")).sendKeys("Planet Blog");
    browser.findElement(By.id("new-site:domain")).sendKeys("not a domain");
    browser.findElement(By.id("new-site:add-site")).click();
    assertTrue(pageShows("domain: must be a host name such as news.example.com"));
    browser.findElement(By.id("new-site:domain")).clear();
    browser.findElement(By.id("new-site:domain")).sendKeys("blog.dailyplanet.example");
    browser.findElement(By.id("new-site:add-site")).click();
    assertTrue(pageShows("Added the site Planet Blog."));
    String site = "//section[.//h2[contains(., 'Planet Blog')]]";
    browser
        .findElement(By.xpath(site + "//input[@placeholder='Name, e.g. Sidebar']"))
        .sendKeys("Sidebar");
    browser.findElement(By.xpath(site + "//input[@placeholder='width']")).sendKeys("300");
    browser.findElement(By.xpath(site + "//input[@placeholder='height']")).sendKeys("250");
    browser.findElement(By.xpath(site + "//input[@value='Add zone']")).click();
    assertTrue(pageShows("Added the zone Sidebar to Planet Blog."));
    assertTrue(
        browser.findElement(By.xpath(site + "//tr[@class='zone']")).getText().contains("300×250"));
    // The zone's tags, ready to paste: each names the zone and its size.
    browser.findElement(By.xpath(site + "//details[@class='tags']/summary")).click();
    String javascriptTag =
        browser
            .findElement(By.xpath(site + "//textarea[contains(@class,'tag-javascript')]"))
            .getAttribute("value");
    assertTrue(javascriptTag.contains("class=\"adgrid-zone\" data-zone=\""), javascriptTag);
    assertTrue(javascriptTag.contains("width:300px;height:250px"), javascriptTag);
    assertTrue(
        javascriptTag.contains(TestEnvironment.balancer().resolve("/api/v1/tag.js").toString()),
        "the tag points at the network's address: " + javascriptTag);
    browser.findElement(By.xpath(site + "//button[contains(@class,'copy')]")).click();
    assertTrue(pageShows("Copied"));
    shot("publisher-sites");
    browser.findElement(By.id("nav-account")).click();
    browser.manage().timeouts().implicitlyWait(Duration.ZERO);
    assertEquals(0, browser.findElements(By.id("nav-campaigns")).size(), "no campaigns menu");
    browser.manage().timeouts().implicitlyWait(Duration.ofSeconds(10));
    browser.findElement(By.id("key-name")).sendKeys("ad server");
    browser.findElement(By.id("create-key")).click();
    assertTrue(browser.findElement(By.id("new-key")).getText().startsWith("adg_"));
    shot("publisher-api-key");
    signOut();
  }

  @Test
  void aPublishersPageShowsAdsThroughItsTagsAndReportsWhatWasSeen() throws Exception {
    List<Long> zones = new java.util.ArrayList<>();
    try (var db = TestEnvironment.database();
        var rows =
            db.createStatement()
                .executeQuery(
                    "SELECT id FROM (SELECT DISTINCT ON (name) id, name FROM zone"
                        + " WHERE name IN ('Top banner', 'Sidebar') ORDER BY name, id) demo"
                        + " ORDER BY name = 'Sidebar'")) {
      while (rows.next()) {
        zones.add(rows.getLong(1));
      }
    }
    assertEquals(2, zones.size());
    long before = latestEvent();
    browser.get(
        TestEnvironment.balancer()
            + "/static/demo-publisher.html?zones="
            + zones.get(0)
            + ","
            + zones.get(1));
    // The JavaScript tags: the top banner (HTML creative in a sandboxed frame), the sidebar.
    assertTrue(
        browser
            .findElement(By.cssSelector("#top ins[data-adgrid-done] iframe[sandbox]"))
            .isDisplayed());
    assertTrue(browser.findElement(By.cssSelector("#side ins[data-adgrid-done] a")).isDisplayed());
    // The iframe tag's document holds the ad with its tracking link.
    browser.switchTo().frame(browser.findElement(By.cssSelector("#framed iframe")));
    assertTrue(
        browser
            .findElement(By.cssSelector("a[href*='/t/c/']"))
            .getAttribute("href")
            .contains("/t/c/"));
    browser.switchTo().defaultContent();
    shot("publisher-page-with-ads");
    // Three impressions, and the ads in view report themselves viewable after a second. (Headless
    // Chromium is a bot to the counting rules: stored, not billed.)
    long start = System.nanoTime();
    Map<String, Long> counted;
    while (!(counted = kinds(zones, before)).keySet().containsAll(Set.of("I", "V"))
        || counted.get("I") < 3) {
      assertTrue(System.nanoTime() - start < 10_000_000_000L, "events seen: " + counted);
      Thread.sleep(200);
    }
  }

  @Test
  void eachRolesLiveDashboardUpdatesByItselfWhileEventsArrive() throws Exception {
    long sidebar = sidebarZone();
    // The publisher owns the sidebar, the admin sees everything: every impression counts for
    // them. Northwind sees only its own campaigns' (Contoso serves there too).
    String[][] roles = {
      {"pub@dailyplanet.test", "publisher", "live-zones", "Sidebar"},
      {"ads@northwind.test", "advertiser", "live-campaigns", "Northwind"},
      {"admin@adgrid.test", "admin", "live-nodes", "n1"}
    };
    for (String[] role : roles) {
      signIn(role[0]);
      browser.findElement(By.id("nav-dashboard")).click();
      long before = impressionsShown();
      ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.notReloaded = true");
      shot("dashboard-" + role[1] + "-before");
      // Visitors see the Daily Planet's sidebar: a decision and its impression each, until five
      // of them count for this role.
      int seen = 0;
      for (int i = 0; i < 200 && seen < 5; i++) {
        HttpResponse<String> decision =
            ServingIT.decide(
                TestEnvironment.balancer(), "zone=" + sidebar + "&vid=dash-" + System.nanoTime());
        if (decision.statusCode() == 200) {
          var body = TestEnvironment.json(decision);
          URI impression = URI.create(body.getString("impressionUrl"));
          assertEquals(200, CountingIT.get(impression).statusCode());
          long creative = body.getJsonObject("creative").getJsonNumber("id").longValue();
          if (!role[1].equals("advertiser") || ofNorthwind(creative)) {
            seen++;
          }
        }
      }
      assertEquals(5, seen, role[1]);
      // The page shows them without being reloaded: its poll every 2 s, figures about 1 s
      // behind.
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(driver -> impressionsShown() >= before + 5);
      assertEquals(
          Boolean.TRUE,
          ((org.openqa.selenium.JavascriptExecutor) browser)
              .executeScript("return window.notReloaded"),
          role[1]);
      String table = browser.findElement(By.id(role[2])).getText();
      assertTrue(
          table.contains(role[1].equals("advertiser") ? "Autumn" : role[3])
              || table.contains("brand"),
          role[1] + ": " + table);
      shot("dashboard-" + role[1] + "-after");
      signOut();
    }
  }

  @Test
  void anAdminReviewsInvalidTrafficDownToTheRawEvents() throws Exception {
    // A crawler sees the sidebar: its impression is stored as not valid.
    long sidebar = sidebarZone();
    var decision =
        TestEnvironment.json(
            ServingIT.decide(
                TestEnvironment.balancer(),
                "zone=" + sidebar + "&vid=crawler-" + System.nanoTime()));
    assertEquals(
        200,
        CountingIT.get(
                URI.create(decision.getString("impressionUrl")),
                "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
            .statusCode());
    signIn("admin@adgrid.test");
    browser.findElement(By.id("nav-traffic")).click();
    String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
    // The rollup of this hour is rebuilt every 3 s here.
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            driver -> {
              driver.navigate().refresh();
              return driver.findElements(By.cssSelector("#traffic-days tbody tr")).stream()
                  .anyMatch(
                      r ->
                          r.getText().startsWith(today)
                              && Long.parseLong(r.getText().split("\\s+")[2]) > 0);
            });
    assertTrue(
        browser.findElement(By.id("traffic-publishers")).getText().contains("Daily Planet"),
        browser.findElement(By.id("traffic-publishers")).getText());
    shot("admin-invalid-traffic");
    browser.findElement(By.linkText(today)).click();
    String events = browser.findElement(By.id("traffic-events")).getText();
    assertTrue(events.contains("BOT"), events);
    shot("admin-invalid-traffic-events");
    // A made-up reason is refused with a message.
    browser.get(
        TestEnvironment.balancer() + "/app/admin/traffic.xhtml?day=" + today + "&reason=<b>x</b>");
    assertTrue(
        browser.findElement(By.id("traffic-error")).getText().contains("<b>x</b>"),
        "the reason is shown as text");
    signOut();
  }

  /** The demo Daily Planet's sidebar zone. */
  private static long sidebarZone() throws Exception {
    try (var db = TestEnvironment.database();
        var row =
            db.createStatement().executeQuery("SELECT min(id) FROM zone WHERE name = 'Sidebar'")) {
      row.next();
      return row.getLong(1);
    }
  }

  private static boolean ofNorthwind(long creative) throws Exception {
    try (var db = TestEnvironment.database();
        var query =
            db.prepareStatement(
                "SELECT a.name FROM creative cr JOIN campaign c ON c.id = cr.campaign_id"
                    + " JOIN account a ON a.id = c.account_id WHERE cr.id = ?")) {
      query.setLong(1, creative);
      try (var row = query.executeQuery()) {
        return row.next() && row.getString(1).contains("Northwind");
      }
    }
  }

  @Test
  void theReportPageShowsTheRollupsWithAChartATableAndTheirCsv() throws Exception {
    signIn("ads@northwind.test");
    browser.findElement(By.id("nav-reports")).click();
    // The default: the last 7 days by day, in the account's time zone.
    assertEquals(7, browser.findElements(By.cssSelector("#report-table tbody tr")).size());
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("report-by")))
        .selectByValue("campaign");
    browser.findElement(By.id("report-show")).click();
    // One of Northwind's ads seen now reaches the report with the next rollup (every 3 s here).
    long sidebar = sidebarZone();
    for (int i = 0; i < 200; i++) {
      var decision =
          ServingIT.decide(
              TestEnvironment.balancer(), "zone=" + sidebar + "&vid=report-" + System.nanoTime());
      if (decision.statusCode() == 200) {
        var body = TestEnvironment.json(decision);
        if (ofNorthwind(body.getJsonObject("creative").getJsonNumber("id").longValue())) {
          assertEquals(
              200, CountingIT.get(URI.create(body.getString("impressionUrl"))).statusCode());
          break;
        }
      }
    }
    new WebDriverWait(browser, Duration.ofSeconds(20))
        .until(
            driver -> {
              driver.navigate().refresh();
              String text = driver.findElement(By.id("report-table")).getText();
              return text.contains("Autumn blend launch") || text.contains("Always-on brand");
            });
    String table = browser.findElement(By.id("report-table")).getText();
    assertTrue(table.contains("Autumn blend launch") || table.contains("Always-on brand"), table);
    assertTrue(!table.contains("Trail season"), "Contoso's campaign is not Northwind's: " + table);
    assertTrue(browser.getCurrentUrl().contains("by=campaign"), "a report is a link");
    assertTrue(browser.findElements(By.cssSelector("#report-chart rect")).size() > 0);
    shot("report-by-campaign");
    // The CSV link carries the same report.
    String csv = browser.findElement(By.id("report-csv")).getAttribute("href");
    assertTrue(csv.contains("/app/reports.csv?") && csv.contains("by=campaign"), csv);
    // A bad range gets a message, not an error page.
    browser.get(TestEnvironment.balancer() + "/app/reports.xhtml?from=2026-11-10&to=2026-11-01");
    assertTrue(
        browser.findElement(By.id("report-error")).getText().contains("before"),
        browser.getPageSource());
    signOut();
  }

  /** The impressions the dashboard shows now (once it has shown any). */
  private static long impressionsShown() {
    return new WebDriverWait(browser, Duration.ofSeconds(10))
        .until(
            driver -> {
              var figure = driver.findElements(By.cssSelector("#live-impressions strong"));
              return figure.isEmpty()
                  ? null
                  : Long.parseLong(figure.get(0).getText().replace(",", ""));
            });
  }

  private static long latestEvent() throws Exception {
    try (var db = TestEnvironment.database();
        var query = db.prepareStatement("SELECT coalesce(max(occurred_at), 'epoch') FROM event")) {
      try (var row = query.executeQuery()) {
        row.next();
        return row.getTimestamp(1).getTime();
      }
    }
  }

  /** Events of the zones since the given time, by kind. */
  private static Map<String, Long> kinds(List<Long> zones, long since) throws Exception {
    Map<String, Long> found = new java.util.HashMap<>();
    try (var db = TestEnvironment.database();
        var query =
            db.prepareStatement(
                "SELECT kind, count(*) FROM event WHERE zone_id = ANY (?) AND occurred_at > ?"
                    + " GROUP BY kind")) {
      query.setArray(1, db.createArrayOf("bigint", zones.toArray()));
      query.setTimestamp(2, new java.sql.Timestamp(since));
      try (var rows = query.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getString(1).trim(), rows.getLong(2));
        }
      }
    }
    return found;
  }

  private static void signIn(String email) throws Exception {
    browser.get(TestEnvironment.balancer().resolve("/login.xhtml").toString());
    browser.findElement(By.id("email")).sendKeys(email);
    browser.findElement(By.id("password")).sendKeys(password);
    shot("sign-in-" + email.substring(0, email.indexOf('@')));
    browser.findElement(By.id("sign-in")).click();
    assertEquals(email, browser.findElement(By.id("signed-in-as")).getText());
  }

  private static void signOut() {
    browser.findElement(By.id("sign-out")).click();
    assertTrue(pageShows("You are signed out."));
  }

  /** Waits (up to 10 s) for the browser to show a page with this text; fails with the page. */
  private static boolean pageShows(String text) {
    try {
      return new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(driver -> driver.getPageSource().contains(text));
    } catch (org.openqa.selenium.TimeoutException e) {
      try {
        shot("failed-" + System.currentTimeMillis());
      } catch (Exception ignored) {
        // the assertion below says what went wrong
      }
      throw new AssertionError(
          "the page does not show \""
              + text
              + "\"; it shows:\n"
              + browser.findElement(By.tagName("body")).getText());
    }
  }

  private static String stored() throws Exception {
    try (var db = TestEnvironment.database();
        var rows =
            db.createStatement()
                .executeQuery("SELECT id, headline, version, review FROM creative ORDER BY id")) {
      StringBuilder out = new StringBuilder();
      while (rows.next()) {
        out.append(rows.getLong(1))
            .append(' ')
            .append(rows.getString(2))
            .append(' ')
            .append(rows.getLong(3))
            .append(' ')
            .append(rows.getString(4))
            .append("; ");
      }
      return out.toString();
    }
  }

  private static void shot(String name) throws Exception {
    Path file = ((ChromeDriver) browser).getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(file, SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
