package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ws.rs.HttpMethod;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every API endpoint × every role, through httpd. The endpoints are found in the built classes, so
 * a new endpoint fails this test until its row is added here: nothing is left unchecked by being
 * forgotten. Without a key every protected endpoint answers 401; with the key of a role that may
 * not use it, 403. (Another account's objects answering 404 is tested object by object in
 * ManagementIT.)
 */
class AuthorizationMatrixIT {

  enum Who {
    ADMIN,
    ADVERTISER,
    PUBLISHER
  }

  private static final Set<Who> ALL = Set.of(Who.ADMIN, Who.ADVERTISER, Who.PUBLISHER);
  private static final Set<Who> PUBLIC = Set.of();

  /** Which roles may call each endpoint; {@link #PUBLIC} for one that anybody may call. */
  /** Every API endpoint and the roles that may use it (FuzzIT sends hostile input to each). */
  static final Map<String, Set<Who>> MATRIX = new TreeMap<>();

  static {
    MATRIX.put("GET /api/v1/cluster", PUBLIC);
    // Publishers' pages ask it; without a zone it is a bad request for everybody.
    MATRIX.put("GET /api/v1/decide", PUBLIC);
    // The invocation tags' script (200) and iframe document (400 without a zone).
    MATRIX.put("GET /api/v1/tag.js", PUBLIC);
    MATRIX.put("GET /api/v1/frame", PUBLIC);
    // The image tag (a servlet under /api/v1): 400 without a zone and a random number.
    MATRIX.put("GET /api/v1/image", PUBLIC);
    MATRIX.put("GET /api/v1/redirect", PUBLIC);
    // Uptime checks and the benchmark's ceiling: 204.
    MATRIX.put("GET /api/v1/ping", PUBLIC);
    MATRIX.put("GET /api/v1/stats/live", ALL);
    MATRIX.put("GET /api/v1/reports/{by}", ALL);
    MATRIX.put("GET /api/v1/campaigns", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("POST /api/v1/campaigns", Set.of(Who.ADVERTISER));
    MATRIX.put("GET /api/v1/campaigns/{id}", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("PUT /api/v1/campaigns/{id}", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("DELETE /api/v1/campaigns/{id}", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("GET /api/v1/campaigns/{id}/creatives", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("POST /api/v1/campaigns/{id}/creatives", Set.of(Who.ADVERTISER));
    MATRIX.put("GET /api/v1/campaigns/{id}/zones", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("PUT /api/v1/campaigns/{id}/zones/{zoneId}", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("DELETE /api/v1/campaigns/{id}/zones/{zoneId}", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("GET /api/v1/creatives/{id}", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("PUT /api/v1/creatives/{id}", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("DELETE /api/v1/creatives/{id}", Set.of(Who.ADVERTISER, Who.ADMIN));
    MATRIX.put("POST /api/v1/creatives/{id}/review", Set.of(Who.ADMIN));
    // Public once approved (ad tags load it); unknown or unapproved: 404 for everybody.
    MATRIX.put("GET /api/v1/creatives/{id}/image", PUBLIC);
    MATRIX.put("GET /api/v1/sites", Set.of(Who.PUBLISHER, Who.ADMIN));
    MATRIX.put("POST /api/v1/sites", Set.of(Who.PUBLISHER));
    MATRIX.put("GET /api/v1/sites/{id}", Set.of(Who.PUBLISHER, Who.ADMIN));
    MATRIX.put("PUT /api/v1/sites/{id}", Set.of(Who.PUBLISHER, Who.ADMIN));
    MATRIX.put("DELETE /api/v1/sites/{id}", Set.of(Who.PUBLISHER, Who.ADMIN));
    MATRIX.put("GET /api/v1/zones", ALL);
    MATRIX.put("POST /api/v1/zones", Set.of(Who.PUBLISHER));
    MATRIX.put("GET /api/v1/zones/{id}", ALL);
    MATRIX.put("PUT /api/v1/zones/{id}", Set.of(Who.PUBLISHER, Who.ADMIN));
    MATRIX.put("DELETE /api/v1/zones/{id}", Set.of(Who.PUBLISHER, Who.ADMIN));
  }

  /** Which roles may open each page under /app (other signed-in roles get 403). */
  private static final Map<String, Set<Who>> PAGES = new TreeMap<>();

  static {
    PAGES.put("/app/index.xhtml", ALL);
    PAGES.put("/app/dashboard.xhtml", ALL);
    PAGES.put("/app/reports.xhtml", ALL);
    PAGES.put("/app/admin/traffic.xhtml", Set.of(Who.ADMIN));
    PAGES.put("/app/campaigns.xhtml", Set.of(Who.ADVERTISER, Who.ADMIN));
    PAGES.put("/app/campaign.xhtml", Set.of(Who.ADVERTISER, Who.ADMIN));
    PAGES.put("/app/sites.xhtml", Set.of(Who.PUBLISHER, Who.ADMIN));
    PAGES.put("/app/import.xhtml", Set.of(Who.ADVERTISER));
    PAGES.put("/app/admin/accounts.xhtml", Set.of(Who.ADMIN));
    PAGES.put("/app/admin/review.xhtml", Set.of(Who.ADMIN));
  }

  private static final Map<Who, String> keys = new EnumMap<>(Who.class);
  private static final Map<Who, Browser> signedIn = new EnumMap<>(Who.class);

  /** The shared test cluster up, and an API key of each demo role (FuzzIT uses them too). */
  static Map<Who, String> clusterAndKeys() throws Exception {
    TestEnvironment.requirePrepared();
    TestEnvironment.adgrid(Duration.ofMinutes(6), "up", "--nodes", "2");
    String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    Map<Who, String> made = new EnumMap<>(Who.class);
    made.put(Who.ADMIN, Browser.apiKey("admin@adgrid.test", password));
    made.put(Who.ADVERTISER, Browser.apiKey("ads@northwind.test", password));
    made.put(Who.PUBLISHER, Browser.apiKey("pub@dailyplanet.test", password));
    return made;
  }

  @BeforeAll
  static void keysForEveryRole() throws Exception {
    keys.putAll(clusterAndKeys());
    String password = TestEnvironment.env("ADGRID_DEMO_PASSWORD");
    String[] emails = {"admin@adgrid.test", "ads@northwind.test", "pub@dailyplanet.test"};
    for (Who who : Who.values()) {
      Browser browser = new Browser();
      assertEquals(302, browser.signIn(emails[who.ordinal()], password).statusCode());
      signedIn.put(who, browser);
    }
  }

  @Test
  void everyPageIsInTheMatrixAndEachRoleGetsOnlyItsOwn() throws Exception {
    Path app = TestEnvironment.repository().resolve("src/main/webapp");
    Set<String> found = new TreeSet<>();
    try (Stream<Path> files = Files.walk(app.resolve("app"))) {
      files
          .filter(f -> f.toString().endsWith(".xhtml"))
          .forEach(f -> found.add("/" + app.relativize(f).toString().replace('\\', '/')));
    }
    assertEquals(found, PAGES.keySet(), "pages found in the WAR's sources vs. rows here");
    List<String> wrong = new ArrayList<>();
    int refusals = 0;
    for (var row : PAGES.entrySet()) {
      refusals += 1 + Who.values().length - row.getValue().size();
      int anonymous = new Browser().get(row.getKey()).statusCode();
      if (anonymous != 302) {
        wrong.add(row.getKey() + " without signing in → " + anonymous);
      }
      for (Who who : Who.values()) {
        int expected = row.getValue().contains(who) ? 200 : 403;
        int status = signedIn.get(who).get(row.getKey()).statusCode();
        if (status != expected) {
          wrong.add(row.getKey() + " as " + who + " → " + status + ", expected " + expected);
        }
      }
    }
    AttackReport.add(
        "pages opened signed out or by a role they are not for (all " + PAGES.size() + " pages)",
        refusals,
        wrong.size(),
        "sign-in redirect, 403");
    assertEquals(List.of(), wrong);
  }

  @Test
  void anotherAccountsCampaignPageDoesNotExist() throws Exception {
    // A campaign of Contoso (another advertiser), made through the API with Contoso's key.
    String contoso =
        Browser.apiKey("ads@contoso.test", TestEnvironment.env("ADGRID_DEMO_PASSWORD"));
    HttpResponse<String> created =
        TestEnvironment.api(
            "POST",
            "/api/v1/campaigns",
            contoso,
            "{\"name\":\"Contoso only\",\"type\":\"REMNANT\",\"startsAt\":\"2026-12-01T00:00:00Z\","
                + "\"pricing\":\"CPM\",\"rate\":1,\"budget\":10}",
            null);
    assertEquals(201, created.statusCode(), created.body());
    long id = TestEnvironment.json(created).getJsonNumber("id").longValue();
    Browser northwind = signedIn.get(Who.ADVERTISER);
    assertEquals(404, northwind.get("/app/campaign.xhtml?id=" + id).statusCode());
    assertEquals(404, northwind.get("/app/campaign.xhtml?id=" + id + "&creativeId=1").statusCode());
    assertEquals(200, signedIn.get(Who.ADMIN).get("/app/campaign.xhtml?id=" + id).statusCode());

    // Northwind's forms, posted with the ids of Contoso's campaign and creative: nothing changes.
    String creativeBody =
        "{\"name\":\"Contoso text\",\"kind\":\"TEXT\",\"width\":300,\"height\":250,"
            + "\"landingUrl\":\"https://contoso.example/\",\"headline\":\"Only ours\"}";
    HttpResponse<String> creative =
        TestEnvironment.api(
            "POST", "/api/v1/campaigns/" + id + "/creatives", contoso, creativeBody, null);
    assertEquals(201, creative.statusCode(), creative.body());
    long creativeId = TestEnvironment.json(creative).getJsonNumber("id").longValue();
    long zone =
        TestEnvironment.json(TestEnvironment.api("GET", "/api/v1/zones", contoso, null, null))
            .getJsonArray("items")
            .getJsonObject(0)
            .getJsonNumber("id")
            .longValue();
    // The forms come from a page of Northwind's own campaign, where all of them are rendered.
    HttpResponse<String> own =
        TestEnvironment.api(
            "POST",
            "/api/v1/campaigns",
            keys.get(Who.ADVERTISER),
            "{\"name\":\"Northwind own\",\"type\":\"REMNANT\",\"startsAt\":\"2026-12-01T00:00:00Z\","
                + "\"pricing\":\"CPM\",\"rate\":1,\"budget\":10}",
            null);
    String ownPage = "/app/campaign.xhtml?id=" + TestEnvironment.json(own).getJsonNumber("id");
    assertTrue(northwind.get(ownPage).body().contains("id=\"zones\""), "the zones form is there");
    northwind.submit(
        "/app/campaign.xhtml",
        "zones",
        "zones:link",
        Map.of("id", String.valueOf(id), "zones:zone", String.valueOf(zone)));
    northwind.get(ownPage);
    northwind.submit(
        "/app/campaign.xhtml",
        "campaign",
        "campaign:save",
        Map.of("id", String.valueOf(id), "campaign:name", "Taken over"));
    northwind.get(ownPage);
    northwind.submit(
        "/app/campaign.xhtml",
        "creative",
        "creative:add",
        Map.of("id", String.valueOf(id), "creativeId", String.valueOf(creativeId)));
    assertEquals(
        "[]",
        TestEnvironment.api("GET", "/api/v1/campaigns/" + id + "/zones", contoso, null, null)
            .body(),
        "not linked by another account's form");
    assertEquals(
        "Contoso only",
        TestEnvironment.json(
                TestEnvironment.api("GET", "/api/v1/campaigns/" + id, contoso, null, null))
            .getString("name"));
    assertEquals(
        "Only ours",
        TestEnvironment.json(
                TestEnvironment.api("GET", "/api/v1/creatives/" + creativeId, contoso, null, null))
            .getString("headline"));
  }

  @Test
  void everyEndpointIsInTheMatrix() throws IOException {
    Set<String> found = endpoints();
    Set<String> missing = new TreeSet<>(found);
    missing.removeAll(MATRIX.keySet());
    Set<String> gone = new TreeSet<>(MATRIX.keySet());
    gone.removeAll(found);
    assertTrue(missing.isEmpty(), "endpoints without a row in the matrix: " + missing);
    assertTrue(gone.isEmpty(), "rows for endpoints that no longer exist: " + gone);
  }

  /**
   * The OpenAPI document served at /openapi (written by hand, META-INF/openapi.yaml) names every
   * endpoint and nothing else, and each schema has exactly the fields of the Java record it
   * describes.
   */
  @Test
  void theOpenApiDocumentDescribesEveryEndpointAndRecordExactly() throws Exception {
    HttpResponse<String> served =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(TestEnvironment.balancer().resolve("/openapi"))
                    .header("Accept", "application/json")
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, served.statusCode(), served.body());
    jakarta.json.JsonObject document = TestEnvironment.json(served);
    Set<String> documented = new TreeSet<>();
    document
        .getJsonObject("paths")
        .forEach(
            (path, operations) ->
                operations.asJsonObject().keySet().stream()
                    .filter(m -> Set.of("get", "put", "post", "delete", "patch").contains(m))
                    .forEach(m -> documented.add(m.toUpperCase() + " " + path)));
    Set<String> expected = endpoints();
    // The tracking URLs are a servlet (no API key: the token is the authorization).
    expected.addAll(net.adgrid.serving.boundary.TrackingServlet.ENDPOINTS);
    assertEquals(expected, documented, "endpoints in the classes vs. in /openapi");
    assertEquals(
        "/", document.getJsonArray("servers").getJsonObject(0).getString("url"), "the balancer");

    // Payara serves the document without the x-java-record extensions: read them from the source.
    Map<String, String> recordOf = new TreeMap<>();
    String schemaName = null;
    boolean inSchemas = false;
    for (String line :
        Files.readAllLines(
            TestEnvironment.repository().resolve("src/main/resources/META-INF/openapi.yaml"))) {
      java.util.regex.Matcher name = java.util.regex.Pattern.compile("^    (\\w+):$").matcher(line);
      java.util.regex.Matcher record =
          java.util.regex.Pattern.compile("^      x-java-record: (\\S+)$").matcher(line);
      if (line.matches("^  \\w+:.*")) {
        inSchemas = line.equals("  schemas:");
      } else if (inSchemas && name.matches()) {
        schemaName = name.group(1);
      } else if (record.matches()) {
        recordOf.put(schemaName, record.group(1));
      }
    }
    jakarta.json.JsonObject schemas = document.getJsonObject("components").getJsonObject("schemas");
    assertEquals(recordOf.keySet(), schemas.keySet(), "every schema names its Java record");
    List<String> wrong = new ArrayList<>();
    int records = 0;
    for (var schema : schemas.entrySet()) {
      jakarta.json.JsonObject body = schema.getValue().asJsonObject();
      Class<?> type = Class.forName(recordOf.get(schema.getKey()));
      records++;
      List<String> components =
          Stream.of(type.getRecordComponents()).map(c -> c.getName()).toList();
      List<String> properties = new ArrayList<>(body.getJsonObject("properties").keySet());
      if (!new TreeSet<>(components).equals(new TreeSet<>(properties))) {
        wrong.add(schema.getKey() + ": " + properties + " vs. " + type.getName() + components);
      }
    }
    assertEquals(List.of(), wrong);
    assertTrue(records >= 10, "schemas checked: " + records);

    // And what the API really sends has no field the document does not name.
    jakarta.json.JsonObject campaign =
        TestEnvironment.json(
                TestEnvironment.api(
                    "GET", "/api/v1/campaigns?limit=1", keys.get(Who.ADVERTISER), null, null))
            .getJsonArray("items")
            .getJsonObject(0);
    Set<String> documentedFields =
        schemas.getJsonObject("CampaignDocument").getJsonObject("properties").keySet();
    assertTrue(documentedFields.containsAll(campaign.keySet()), campaign.keySet().toString());
    Set<String> targetingFields =
        schemas.getJsonObject("Targeting").getJsonObject("properties").keySet();
    assertTrue(
        targetingFields.containsAll(campaign.getJsonObject("targeting").keySet()),
        campaign.getJsonObject("targeting").keySet().toString());
  }

  @Test
  void withoutAKeyOnlyPublicEndpointsAnswer() throws Exception {
    List<String> wrong = new ArrayList<>();
    for (var row : MATRIX.entrySet()) {
      HttpResponse<String> response = call(row.getKey(), null);
      int expected = row.getValue().isEmpty() ? expectedPublic(row.getKey()) : 401;
      if (response.statusCode() != expected) {
        wrong.add(row.getKey() + " → " + response.statusCode() + ", expected " + expected);
      }
    }
    AttackReport.add(
        "API calls without a key (all " + MATRIX.size() + " endpoints)",
        MATRIX.values().stream().filter(roles -> !roles.isEmpty()).count(),
        wrong.size(),
        "401 problem+json (the public ones answer as they should)");
    assertEquals(List.of(), wrong);
  }

  @Test
  void aRoleThatMayNotUseAnEndpointIsRefused() throws Exception {
    List<String> wrong = new ArrayList<>();
    int checked = 0;
    for (var row : MATRIX.entrySet()) {
      if (row.getValue().isEmpty()) {
        continue;
      }
      for (Who who : Who.values()) {
        if (row.getValue().contains(who)) {
          continue;
        }
        checked++;
        HttpResponse<String> response = call(row.getKey(), keys.get(who));
        if (response.statusCode() != 403) {
          wrong.add(row.getKey() + " as " + who + " → " + response.statusCode());
        }
      }
    }
    System.out.printf("authorization matrix: %d endpoint × role refusals checked%n", checked);
    AttackReport.add(
        "API calls with the key of a role that may not use the endpoint",
        checked,
        wrong.size(),
        "403 problem+json");
    assertEquals(List.of(), wrong);
    assertTrue(checked >= 20);
  }

  /**
   * Public endpoints: the cluster answers, ping has nothing to say; an image that does not exist is
   * not found; a decision (or an image tag) without a zone is a bad request.
   */
  private static int expectedPublic(String endpoint) {
    if (endpoint.endsWith("/{id}/image")) {
      return 404;
    }
    if (endpoint.endsWith("/ping")) {
      return 204;
    }
    return Set.of("decide", "frame", "image", "redirect")
            .contains(endpoint.substring(endpoint.lastIndexOf('/') + 1))
        ? 400
        : 200;
  }

  private static HttpResponse<String> call(String endpoint, String key) throws Exception {
    String[] parts = endpoint.split(" ", 2);
    // Ids of objects that do not exist: refusals come before any lookup.
    String path = parts[1].replaceAll("\\{[^}]+}", "999999999");
    String body = parts[0].equals("POST") || parts[0].equals("PUT") ? "{}" : null;
    return TestEnvironment.api(parts[0], path, key, body, "\"999999999-0\"");
  }

  /** Every resource method of the built application, as "METHOD /api/v1/path". */
  static Set<String> endpoints() throws IOException {
    Path classes = TestEnvironment.repository().resolve("target/classes");
    // The image tag is a servlet under /api/v1 (it answers asynchronously, like /t/).
    Set<String> found = new TreeSet<>(net.adgrid.serving.boundary.ImageTagServlet.ENDPOINTS);
    try (Stream<Path> files = Files.walk(classes)) {
      for (Path file : files.filter(f -> f.toString().endsWith("Resource.class")).toList()) {
        String name = classes.relativize(file).toString().replace('/', '.').replace(".class", "");
        Class<?> type;
        try {
          type = Class.forName(name);
        } catch (ClassNotFoundException e) {
          throw new IllegalStateException(e);
        }
        jakarta.ws.rs.Path base = type.getAnnotation(jakarta.ws.rs.Path.class);
        if (base == null) {
          continue;
        }
        for (Method method : type.getDeclaredMethods()) {
          String verb = verb(method);
          if (verb == null) {
            continue;
          }
          jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
          // A parameter's pattern ({id: [0-9]{1,18}}) is not part of the endpoint's name.
          String path =
              ("/api/v1/" + base.value() + (sub == null ? "" : "/" + sub.value()))
                  .replaceAll("\\{(\\w+):[^/]*}", "{$1}");
          found.add(verb + " " + path.replaceAll("/+", "/").replaceAll("/$", ""));
        }
      }
    }
    return found;
  }

  private static String verb(Method method) {
    for (var annotation : method.getAnnotations()) {
      HttpMethod http = annotation.annotationType().getAnnotation(HttpMethod.class);
      if (http != null) {
        return http.value();
      }
    }
    return null;
  }
}
