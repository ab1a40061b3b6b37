package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.adgrid.system.AuthorizationMatrixIT.Who;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Attacks on the pages, counted: script through every text field a user (or a visitor) can fill,
 * reflected through the pages' parameters; every form of every page posted from another site; the
 * security headers on every kind of answer. Each test adds its row to the attack summary ({@link
 * AttackReport}).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttackIT {

  /** What must never reach a page as markup: the start of the payload's script or image. */
  private static final Pattern RAW =
      Pattern.compile("<script>alert\\('adgrid-xss|<img src=x onerror", Pattern.CASE_INSENSITIVE);

  private static final Pattern FORM =
      Pattern.compile("<form\\b([^>]*)>(.*?)</form>", Pattern.DOTALL | Pattern.CASE_INSENSITIVE);
  private static final Pattern INPUT = Pattern.compile("<input\\b([^>]*)>", Pattern.DOTALL);
  private static final Pattern SELECT =
      Pattern.compile(
          "<select\\b[^>]*name=\"([^\"]+)\"[^>]*>.*?<option[^>]*value=\"([^\"]*)\"",
          Pattern.DOTALL);
  private static final Pattern ATTRIBUTE = Pattern.compile("([\\w:-]+)=\"([^\"]*)\"");

  private static final Map<Who, String> keys = new EnumMap<>(Who.class);
  private static final Map<Who, Browser> people = new EnumMap<>(Who.class);

  @BeforeAll
  static void everyRoleSignedIn() throws Exception {
    keys.putAll(AuthorizationMatrixIT.clusterAndKeys());
    String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    Map<Who, String> emails =
        Map.of(
            Who.ADMIN, "admin@adgrid.test",
            Who.ADVERTISER, "ads@northwind.test",
            Who.PUBLISHER, "pub@dailyplanet.test");
    for (Who who : Who.values()) {
      Browser browser = new Browser();
      assertEquals(302, browser.signIn(emails.get(who), password).statusCode());
      people.put(who, browser);
    }
  }

  /**
   * A payload that closes an attribute and a script block and opens markup of its own; 79
   * characters for field numbers below 100, within the pages' shortest limit (80).
   */
  private static String payload(int field) {
    return "\"'</script><script>alert('adgrid-xss-"
        + field
        + "')</script><img src=x onerror=alert("
        + field
        + ")>";
  }

  private static String encoded(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------------------ XSS

  @Test
  @Order(1)
  void noTextFieldOrParameterCarriesMarkupIntoAPage() throws Exception {
    Planted planted = new Planted();
    String advertiser = keys.get(Who.ADVERTISER);
    String publisher = keys.get(Who.PUBLISHER);

    // Through the API, each field in a request of its own (one refused field spoils no other).
    long campaign =
        planted.api(1, "campaign name", advertiser, "/api/v1/campaigns", campaign(payload(1)));
    planted.api(
        2,
        "campaign keyword",
        advertiser,
        "/api/v1/campaigns",
        campaign("keywords").replace("}", ",\"targeting\":{\"keywords\":[\"")
            + json(payload(2))
            + "\"]}}");
    String creatives = "/api/v1/campaigns/" + campaign + "/creatives";
    String p3 = json(payload(3));
    long creative =
        planted.api(
            3,
            "creative name, headline, body",
            advertiser,
            creatives,
            "{\"name\":\""
                + p3
                + "\",\"kind\":\"TEXT\",\"width\":300,\"height\":250,"
                + "\"landingUrl\":\"https://northwind.example/\",\"headline\":\""
                + p3
                + "\",\"body\":\""
                + p3
                + "\"}");
    planted.api(
        4,
        "creative landing URL (javascript:)",
        advertiser,
        creatives,
        text("javascript:alert('adgrid-xss-4')//" + json(payload(4))));
    planted.api(
        5,
        "creative landing URL (markup in the path)",
        advertiser,
        creatives,
        text("https://northwind.example/" + json(payload(5))));
    long html =
        planted.api(
            6,
            "HTML creative (served sandboxed)",
            advertiser,
            creatives,
            "{\"name\":\"HTML attack\",\"kind\":\"HTML\",\"width\":300,\"height\":250,"
                + "\"landingUrl\":\"https://northwind.example/\",\"html\":\"<p>"
                + json(payload(6))
                + "</p>\"}");
    long site =
        planted.api(
            7,
            "site name",
            publisher,
            "/api/v1/sites",
            "{\"name\":\"" + json(payload(7)) + "\",\"domain\":\"attack.example\"}");
    planted.api(
        8,
        "site domain",
        publisher,
        "/api/v1/sites",
        "{\"name\":\"Domain attack\",\"domain\":\"" + json(payload(8)) + "\"}");
    planted.api(
        9,
        "zone name",
        publisher,
        "/api/v1/zones",
        "{\"siteId\":"
            + site
            + ",\"name\":\""
            + json(payload(9))
            + "\",\"width\":300,\"height\":250,\"allowedKinds\":[\"TEXT\"]}");

    // Through the pages.
    planted.page(
        10,
        "API key name",
        people.get(Who.ADVERTISER).createKey(payload(10)).body().contains("id=\"new-key\""));
    Browser admin = people.get(Who.ADMIN);
    Map<Integer, String> accountFields =
        Map.of(
            11,
            "account name",
            12,
            "first user's name",
            13,
            "first user's e-mail",
            14,
            "time zone");
    for (var field : accountFields.entrySet()) {
      Map<String, String> form = new LinkedHashMap<>();
      form.put("new-account:name", "Attack account " + UUID.randomUUID());
      form.put("new-account:role", "ADVERTISER");
      form.put("new-account:timeZone", "UTC");
      form.put("new-account:email", "attack-" + UUID.randomUUID() + "@attack.example");
      form.put("new-account:displayName", "Attack user");
      form.put("new-account:password", "attack-password-" + UUID.randomUUID());
      String name =
          switch (field.getKey()) {
            case 11 -> "new-account:name";
            case 12 -> "new-account:displayName";
            case 13 -> "new-account:email";
            default -> "new-account:timeZone";
          };
      form.put(name, payload(field.getKey()));
      admin.get("/app/admin/accounts.xhtml");
      HttpResponse<String> answer =
          admin.submit("/app/admin/accounts.xhtml", "new-account", "new-account:create", form);
      checked(answer.body(), "the answer to the account form (" + field.getValue() + ")");
      planted.page(
          field.getKey(),
          field.getValue(),
          answer.statusCode() == 302 || answer.body().contains("Created the account"));
    }
    // A visitor's own id, which the admins' traffic page shows.
    planted.page(
        15,
        "visitor id (decide)",
        ServingIT.decide(TestEnvironment.balancer(), "zone=1&vid=" + encoded(payload(15)))
                .statusCode()
            != 400);

    // Every page each role can open, the planted objects' own pages among them.
    String today = LocalDate.now(ZoneOffset.UTC).toString();
    Map<Who, List<String>> pages = new EnumMap<>(Who.class);
    List<String> campaignPages =
        List.of(
            "/app/campaigns.xhtml",
            "/app/campaign.xhtml?id=" + campaign,
            "/app/campaign.xhtml?id=" + campaign + "&creativeId=" + creative,
            "/app/campaign.xhtml?id=" + campaign + "&creativeId=" + html);
    List<String> common =
        List.of(
            "/app/index.xhtml",
            "/app/dashboard.xhtml",
            "/app/reports.xhtml",
            "/app/reports.xhtml?by=campaign",
            "/app/reports.xhtml?by=zone",
            "/app/reports.xhtml?by=site");
    pages.put(Who.ADVERTISER, concat(common, campaignPages, List.of("/app/import.xhtml")));
    pages.put(Who.PUBLISHER, concat(common, List.of("/app/sites.xhtml")));
    pages.put(
        Who.ADMIN,
        concat(
            common,
            campaignPages,
            List.of(
                "/app/sites.xhtml",
                "/app/admin/accounts.xhtml",
                "/app/admin/review.xhtml",
                "/app/admin/traffic.xhtml",
                "/app/admin/traffic.xhtml?day=" + today + "&reason=invalid")));
    // Parameters the pages read, each with the payload (reflected script).
    String p = encoded(payload(16));
    planted.page(16, "page parameters (reflected)", true);
    List<String> reflected =
        List.of(
            "/login.xhtml?next=" + p,
            "/app/campaign.xhtml?id=" + p,
            "/app/campaign.xhtml?id="
                + campaign
                + "&creativeId="
                + p
                + "&zone="
                + p
                + "&campaign="
                + p,
            "/app/sites.xhtml?site=" + p,
            "/app/reports.xhtml?by="
                + p
                + "&from="
                + p
                + "&to="
                + p
                + "&tz="
                + p
                + "&campaign="
                + p
                + "&site="
                + p
                + "&zone="
                + p,
            "/app/reports.xhtml?by=campaign&tz=" + p + "&campaign=" + p,
            "/app/admin/traffic.xhtml?from=" + p + "&to=" + p + "&day=" + p + "&reason=" + p,
            "/app/admin/traffic.xhtml?day=" + today + "&publisher=" + p + "&zone=" + p,
            "/app/" + p + ".xhtml",
            "/app/dashboard.xhtml?campaign=" + p);

    int opened = 0;
    List<String> through = new ArrayList<>();
    Map<Integer, Integer> shownOn = new TreeMap<>();
    for (var entry : pages.entrySet()) {
      Browser browser = people.get(entry.getKey());
      for (String page : concat(entry.getValue(), reflected)) {
        HttpResponse<String> answer = browser.get(page);
        String body = answer.body();
        opened++;
        // The payload's quotes and markup are also an injection probe: no page may fail on them.
        if (!checked(body, page + " as " + entry.getKey()) || answer.statusCode() >= 500) {
          through.add(page + " as " + entry.getKey() + " → " + answer.statusCode());
        }
        Matcher shown = Pattern.compile("adgrid-xss-(\\d+)").matcher(body);
        Set<Integer> here = new LinkedHashSet<>();
        while (shown.find()) {
          here.add(Integer.parseInt(shown.group(1)));
        }
        here.forEach(f -> shownOn.merge(f, 1, Integer::sum));
      }
    }
    for (String page : reflected) {
      HttpResponse<String> answer = new Browser().get(page);
      opened++;
      if (!checked(answer.body(), page + " signed out") || answer.statusCode() >= 500) {
        through.add(page + " signed out → " + answer.statusCode());
      }
    }
    List<String> unseen = new ArrayList<>();
    for (var field : planted.fields.entrySet()) {
      if (!planted.refused.contains(field.getKey()) && !shownOn.containsKey(field.getKey())) {
        unseen.add(field.getValue());
      }
    }
    System.out.printf(
        "xss: %d fields and parameters, %d refused by validation %s, %d pages opened; payload shown"
            + " escaped, by field: %s; accepted but shown on none of these pages: %s%n",
        planted.fields.size(), planted.refused.size(), planted.refused, opened, shownOn, unseen);
    AttackReport.add(
        "script (XSS) through "
            + planted.fields.size()
            + " text fields and page parameters; pages of every role read back",
        opened,
        through.size(),
        "escaped on output (shown as text on "
            + shownOn.values().stream().mapToInt(Integer::intValue).sum()
            + " pages); "
            + planted.refused.size()
            + " fields refused it on input; no page failed on its quotes (no 5xx)");
    assertEquals(List.of(), through, "pages where the payload became markup or an error");
    // Every payload that was stored was seen on a page (escaped), or the check proved nothing
    // for it; the first user's name is stored but no page shows it.
    unseen.remove("first user's name");
    assertEquals(List.of(), unseen, "stored payloads that no page showed: " + shownOn);
  }

  // ------------------------------------------------------------------------------ CSRF

  @Test
  @Order(2)
  void everyFormOfEveryPageRefusesAPostFromAnotherSite() throws Exception {
    Map<String, String> before = FuzzIT.storedData();
    Map<Who, List<String>> pages = new EnumMap<>(Who.class);
    long campaign = firstId("/api/v1/campaigns", keys.get(Who.ADVERTISER));
    pages.put(
        Who.ADVERTISER,
        List.of(
            "/app/index.xhtml",
            "/app/campaigns.xhtml",
            "/app/campaign.xhtml?id=" + campaign,
            "/app/import.xhtml"));
    pages.put(Who.PUBLISHER, List.of("/app/index.xhtml", "/app/sites.xhtml"));
    pages.put(
        Who.ADMIN,
        List.of(
            "/app/index.xhtml",
            "/app/campaign.xhtml?id=" + campaign,
            "/app/sites.xhtml",
            "/app/admin/accounts.xhtml",
            "/app/admin/review.xhtml"));
    Map<String, Map<String, String>> forgeries = new LinkedHashMap<>();
    forgeries.put("another site's Origin", Map.of("Origin", "https://evil.example"));
    forgeries.put("another site's Referer", Map.of("Referer", "https://evil.example/page"));
    forgeries.put("a sandboxed frame's Origin", Map.of("Origin", "null"));
    forgeries.put("neither header", Map.of());
    int forms = 0;
    int posts = 0;
    List<String> through = new ArrayList<>();
    List<Map.Entry<Browser, String>> visits = new ArrayList<>();
    visits.add(Map.entry(new Browser(), "/login.xhtml"));
    pages.forEach(
        (who, list) -> list.forEach(page -> visits.add(Map.entry(people.get(who), page))));
    for (var visit : visits) {
      Browser browser = visit.getKey();
      String page = visit.getValue();
      Matcher form = FORM.matcher(browser.get(page).body());
      List<Map.Entry<String, Map<String, String>>> found = new ArrayList<>();
      while (form.find()) {
        Map<String, String> attributes = attributes(form.group(1));
        if (!"post".equalsIgnoreCase(attributes.getOrDefault("method", "get"))) {
          continue;
        }
        forms++;
        String action = attributes.getOrDefault("action", page).replace("&amp;", "&");
        for (Map<String, String> fields : submissions(form.group(2))) {
          found.add(Map.entry(action, fields));
        }
      }
      for (var submission : found) {
        for (var forgery : forgeries.entrySet()) {
          posts++;
          HttpResponse<String> answer =
              browser.post(submission.getKey(), submission.getValue(), forgery.getValue());
          if (answer.statusCode() != 403) {
            through.add(
                page
                    + " → "
                    + submission.getValue().keySet()
                    + " with "
                    + forgery.getKey()
                    + ": "
                    + answer.statusCode());
          }
        }
      }
    }
    Map<String, String> after = FuzzIT.storedData();
    AttackReport.add(
        "cross-site form posts (CSRF): "
            + forms
            + " forms on every page of every role, each button, 4 forgeries",
        posts,
        through.size() + (before.equals(after) ? 0 : 1),
        "403 from the same-origin check (Origin, else Referer); nothing stored changed");
    System.out.printf("csrf: %d forms, %d forged posts, all refused: %s%n", forms, posts, through);
    assertEquals(List.of(), through, "forged posts that were not refused");
    assertEquals(before, after, "nothing stored changed");
    assertTrue(forms >= 15, "the pages' forms were found: " + forms);
  }

  /** The form's fields as a browser would send them, once per submit button it has. */
  private static List<Map<String, String>> submissions(String form) {
    Map<String, String> fields = new LinkedHashMap<>();
    List<String> buttons = new ArrayList<>();
    Matcher input = INPUT.matcher(form);
    while (input.find()) {
      Map<String, String> a = attributes(input.group(1));
      String name = a.get("name");
      if (name == null) {
        continue;
      }
      String type = a.getOrDefault("type", "text");
      String value = a.getOrDefault("value", "").replace("&#58;", ":").replace("&amp;", "&");
      switch (type) {
        case "submit" -> buttons.add(name + "=" + value);
        case "checkbox", "radio" -> {
          if (input.group(1).contains("checked")) {
            fields.put(name, value.isEmpty() ? "on" : value);
          }
        }
        case "file" -> {}
        default -> fields.put(name, value.isEmpty() ? "attack" : value);
      }
    }
    Matcher select = SELECT.matcher(form);
    while (select.find()) {
      fields.put(select.group(1), select.group(2));
    }
    List<Map<String, String>> submissions = new ArrayList<>();
    if (buttons.isEmpty()) {
      submissions.add(fields);
    }
    for (String button : buttons) {
      Map<String, String> withButton = new LinkedHashMap<>(fields);
      int at = button.indexOf('=');
      withButton.put(button.substring(0, at), button.substring(at + 1));
      submissions.add(withButton);
    }
    return submissions;
  }

  // ------------------------------------------------------------------------------ headers

  @Test
  @Order(3)
  void everyKindOfAnswerCarriesTheSecurityHeaders() throws Exception {
    Map<String, HttpResponse<String>> answers = new LinkedHashMap<>();
    answers.put("sign-in page", new Browser().get("/login.xhtml"));
    answers.put("page, signed out", new Browser().get("/app/index.xhtml"));
    answers.put("missing page", new Browser().get("/nothing-here.xhtml"));
    for (Who who : Who.values()) {
      for (String page :
          List.of(
              "/app/index.xhtml",
              "/app/dashboard.xhtml",
              "/app/reports.xhtml",
              "/app/admin/accounts.xhtml")) {
        answers.put(page + " as " + who, people.get(who).get(page));
      }
    }
    answers.put(
        "API list", TestEnvironment.api("GET", "/api/v1/zones", keys.get(Who.ADMIN), null, null));
    answers.put("API without a key", TestEnvironment.api("GET", "/api/v1/zones", null, null, null));
    answers.put(
        "API with a wrong key",
        TestEnvironment.api("GET", "/api/v1/zones", "adg_wrong.key", null, null));
    answers.put(
        "API error",
        TestEnvironment.api("GET", "/api/v1/zones/abc", keys.get(Who.ADMIN), null, null));
    answers.put("decision", ServingIT.decide(TestEnvironment.balancer(), "zone=1&vid=headers"));
    answers.put("tag script", new Browser().get("/api/v1/tag.js"));
    answers.put("broken tracking token", new Browser().get("/t/i/broken"));
    int checks = 0;
    List<String> missing = new ArrayList<>();
    for (var answer : answers.entrySet()) {
      boolean page =
          !answer.getKey().startsWith("API")
              && !answer.getKey().contains("decision")
              && !answer.getKey().contains("tag")
              && !answer.getKey().contains("tracking");
      Map<String, String> expected = new LinkedHashMap<>();
      expected.put("X-Content-Type-Options", "nosniff");
      expected.put("Referrer-Policy", "strict-origin-when-cross-origin");
      if (page) {
        expected.put("X-Frame-Options", "DENY");
        expected.put("Content-Security-Policy", "frame-ancestors 'none'");
      }
      for (var header : expected.entrySet()) {
        checks++;
        String value = answer.getValue().headers().firstValue(header.getKey()).orElse("");
        if (!value.contains(header.getValue())) {
          missing.add(answer.getKey() + ": " + header.getKey() + " = '" + value + "'");
        }
      }
    }
    AttackReport.add(
        "missing security headers: " + answers.size() + " kinds of answer (pages, API, serving)",
        checks,
        missing.size(),
        "nosniff and Referrer-Policy everywhere; CSP (frame-ancestors 'none') and"
            + " X-Frame-Options DENY on pages");
    assertEquals(List.of(), missing);
  }

  // ------------------------------------------------------------------------------ helpers

  /** True when the body holds no payload as markup. */
  private static boolean checked(String body, String where) {
    Matcher raw = RAW.matcher(body);
    if (raw.find()) {
      int from = Math.max(0, raw.start() - 200);
      System.out.println(
          "xss: markup in " + where + ": …" + body.substring(from, raw.end() + 50) + "…");
      return false;
    }
    return true;
  }

  /** The payloads sent, by field number, and the fields that refused theirs as bad input. */
  private static final class Planted {
    final Map<Integer, String> fields = new TreeMap<>();
    final Set<Integer> refused = new LinkedHashSet<>();

    /** One field's payload posted to the API: the new object's id, or -1 when refused (400). */
    long api(int field, String what, String key, String path, String json) throws Exception {
      fields.put(field, what);
      HttpResponse<String> answer = TestEnvironment.api("POST", path, key, json, null);
      if (answer.statusCode() == 201) {
        return TestEnvironment.json(answer).getJsonNumber("id").longValue();
      }
      assertEquals(400, answer.statusCode(), "refused as bad input, or stored: " + answer.body());
      refused.add(field);
      return -1;
    }

    /** One field's payload sent through a page (or a parameter), stored or not. */
    void page(int field, String what, boolean stored) {
      fields.put(field, what);
      if (!stored) {
        refused.add(field);
      }
    }
  }

  private static String campaign(String name) {
    return "{\"name\":\""
        + json(name)
        + "\",\"type\":\"CONTRACT\",\"priority\":5,\"startsAt\":\"2026-01-01T00:00:00Z\","
        + "\"pricing\":\"CPM\",\"rate\":1,\"budget\":10}";
  }

  private static String text(String landingUrl) {
    return "{\"name\":\"Landing attack\",\"kind\":\"TEXT\",\"width\":300,\"height\":250,"
        + "\"landingUrl\":\""
        + landingUrl
        + "\",\"headline\":\"h\",\"body\":\"b\"}";
  }

  private static String json(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  private static long firstId(String path, String key) throws Exception {
    return TestEnvironment.json(TestEnvironment.api("GET", path, key, null, null))
        .getJsonArray("items")
        .getJsonObject(0)
        .getJsonNumber("id")
        .longValue();
  }

  private static Map<String, String> attributes(String tag) {
    Map<String, String> found = new LinkedHashMap<>();
    Matcher a = ATTRIBUTE.matcher(tag);
    while (a.find()) {
      found.put(a.group(1).toLowerCase(java.util.Locale.ROOT), a.group(2));
    }
    return found;
  }

  @SafeVarargs
  private static List<String> concat(List<String>... lists) {
    List<String> all = new ArrayList<>();
    for (List<String> list : lists) {
      all.addAll(list);
    }
    return all;
  }
}
