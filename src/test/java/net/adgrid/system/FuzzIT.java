package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import net.adgrid.system.AuthorizationMatrixIT.Who;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hostile input to every API endpoint (the authorization matrix lists them all, and fails when one
 * is missing) and to the serving and tracking paths: malformed, oversized, truncated, wrongly
 * encoded and injected path parameters, query parameters and bodies, with a key of a role that may
 * use the endpoint, so that the input reaches the validation. Every answer must be below 500,
 * without a stack trace, an API error as problem+json; and nothing stored may change. Prints how
 * many inputs were tried.
 */
class FuzzIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Path parameters: out of range, not numbers, injections, encodings, traversal. */
  static final List<String> IDS =
      List.of(
          "0",
          "-1",
          "99999999999999999999999",
          "1e3",
          "abc",
          "%27%20OR%201%3D1--",
          "1%3B%20DROP%20TABLE%20campaign",
          "%00",
          "%E0%A4",
          "%C0%AF",
          "..%2F..%2Fetc%2Fpasswd",
          "%EF%BC%91",
          "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
          "x".repeat(3000));

  /** Query strings: the parameters the endpoints read, with values they cannot take. */
  static final List<String> QUERIES =
      List.of(
          "limit=-1&offset=abc",
          "limit=99999999999&offset=-5",
          "from=2026-13-45&to=yesterday",
          "from=2026-01-01&to=2020-01-01",
          "tz=Mars%2FOlympus_Mons&from=x",
          "zone=%00&vid=" + "v".repeat(500),
          "zone=1%27%20OR%20%271%27%3D%271",
          "campaign=-1&site=abc&zone=%E0%A4",
          "format=xml&by=nothing",
          "kw=" + "k,".repeat(2000),
          "ref=javascript:alert(1)&lang=%FF%FE",
          "r=%0D%0ASet-Cookie:%20x=1",
          "status=%3Cb%3E&q=%25%25%25");

  /** Bodies: broken, wrong in shape or type, hostile in content, oversized. */
  static final Map<String, String> BODIES = new LinkedHashMap<>();

  static {
    BODIES.put("empty", "");
    BODIES.put("truncated", "{\"name\": \"a");
    BODIES.put("not an object", "[1,2,3]");
    BODIES.put("null", "null");
    BODIES.put("a string", "\"campaign\"");
    BODIES.put("wrong types", "{\"name\":123,\"budget\":\"lots\",\"rate\":[],\"startsAt\":true}");
    BODIES.put(
        "huge numbers",
        "{\"name\":\"n\",\"budget\":1e400,\"rate\":-1e-400,\"impressionCap\":99999999999999999999999}");
    BODIES.put("lone surrogate", "{\"name\":\"\\ud800\",\"domain\":\"\\udfff.example\"}");
    BODIES.put(
        "control characters", "{\"name\":\"a\\u0000b\\u0007c\",\"domain\":\"ex\\u0000ample.com\"}");
    BODIES.put(
        "injection",
        "{\"name\":\"x'); DROP TABLE campaign;--\",\"domain\":\"<script>alert(1)</script>\",\"url\":\"javascript:alert(1)\"}");
    BODIES.put("deep nesting", "[".repeat(5000) + "]".repeat(5000));
    BODIES.put("2 MB string", "{\"name\":\"" + "a".repeat(2_000_000) + "\"}");
    BODIES.put(
        "unknown fields", "{\"id\":1,\"accountId\":1,\"status\":\"ACTIVE\",\"role\":\"ADMIN\"}");
    BODIES.put("duplicate keys", "{\"name\":\"a\",\"name\":\"b\"}");
  }

  /** Content types a JSON endpoint must refuse or read. */
  static final List<String> TYPES =
      List.of(
          "application/json",
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/json; charset=ISO-8859-1");

  private static final Map<Who, String> keys = new EnumMap<>(Who.class);

  @BeforeAll
  static void keys() throws Exception {
    keys.putAll(AuthorizationMatrixIT.clusterAndKeys());
  }

  @Test
  void everyEndpointAnswersHostileInputWithAClearClientErrorAndChangesNothing() throws Exception {
    Map<String, String> before = storedData();
    List<String> wrong = new ArrayList<>();
    Map<String, Integer> statuses = new TreeMap<>();
    int tried = 0;
    for (var row : AuthorizationMatrixIT.MATRIX.entrySet()) {
      String method = row.getKey().substring(0, row.getKey().indexOf(' '));
      String template = row.getKey().substring(method.length() + 1);
      String key = row.getValue().isEmpty() ? null : keys.get(row.getValue().iterator().next());
      List<String> paths = new ArrayList<>();
      if (template.contains("{")) {
        for (String id : IDS) {
          paths.add(template.replaceAll("\\{[^}]+}", id));
        }
      } else {
        paths.add(template);
      }
      for (String path : paths) {
        for (String query : method.equals("GET") ? QUERIES : List.of("")) {
          String target = query.isEmpty() ? path : path + "?" + query;
          if (method.equals("POST") || method.equals("PUT")) {
            for (var body : BODIES.entrySet()) {
              String type = TYPES.get(Math.floorMod(body.getKey().hashCode(), TYPES.size()));
              tried++;
              check(wrong, statuses, method, target, key, body.getValue(), type, body.getKey());
            }
          } else {
            tried++;
            check(wrong, statuses, method, target, key, null, null, "");
            if (method.equals("DELETE")) {
              // HTTP allows a body here; Grizzly's default answered 400 with no body at all.
              tried++;
              check(wrong, statuses, method, target, key, "{\"name\":", TYPES.get(0), "body");
            }
          }
        }
      }
    }
    // The serving and tracking paths no key guards: tokens broken in every way.
    for (String path :
        List.of(
            "/t/i/",
            "/t/i/x",
            "/t/c/" + "A".repeat(5000),
            "/t/v/%00%00",
            "/t/i/..%2F..%2F",
            "/t/c/eyJhbGciOiJub25lIn0.e30.",
            "/live/poll",
            "/app/reports.csv?by=campaign&from=x",
            "/login.xhtml?next=%0D%0ALocation:%20http://evil.example")) {
      tried++;
      check(wrong, statuses, "GET", path, null, null, null, "");
    }
    System.out.printf("fuzz: %d hostile requests, answers by status %s%n", tried, statuses);
    Map<String, String> after = storedData();
    AttackReport.add(
        "hostile input (malformed, oversized, truncated, wrongly encoded, injected: SQL, script,"
            + " traversal, header splitting) to every API endpoint and the serving paths",
        tried,
        wrong.size() + (before.equals(after) ? 0 : 1),
        "a 4xx (problem+json on the API), no stack trace; nothing stored changed");
    assertEquals(List.of(), wrong, "every hostile request gets a clear client error");
    assertEquals(before, after, "no stored data changed");
  }

  private static void check(
      List<String> wrong,
      Map<String, Integer> statuses,
      String method,
      String target,
      String key,
      String body,
      String type,
      String what)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(TestEnvironment.balancer() + target))
            .timeout(Duration.ofSeconds(30))
            .header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Firefox/132.0")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (type != null) {
      request.header("Content-Type", type);
    }
    if (method.equals("PUT")) {
      request.header("If-Match", "\"" + "junk".repeat(20) + "\"");
    }
    String shown =
        method
            + " "
            + (target.length() > 120 ? target.substring(0, 120) + "…" : target)
            + (what.isEmpty() ? "" : " [" + what + ", " + type + "]");
    HttpResponse<String> answer;
    try {
      answer = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      wrong.add(shown + " → broken connection: " + e);
      return;
    }
    int status = answer.statusCode();
    statuses.merge(String.valueOf(status), 1, Integer::sum);
    String text = answer.body();
    if (status >= 500) {
      wrong.add(shown + " → " + status + " " + abbreviated(text));
    } else if (text.contains("Exception")
        || text.contains("\tat ")
        || text.contains("org.eclipse.")
        || text.contains("java.lang.")) {
      wrong.add(shown + " → a stack trace or internals: " + abbreviated(text));
    } else if (status >= 400
        && target.startsWith("/api/v1/")
        && !answer
            .headers()
            .firstValue("Content-Type")
            .orElse("")
            .startsWith("application/problem+json")) {
      wrong.add(
          shown
              + " → "
              + status
              + " not problem+json: "
              + answer.headers().firstValue("Content-Type"));
    }
  }

  private static String abbreviated(String text) {
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  /** What is stored in the tables the endpoints write: row count and a digest, per table. */
  static Map<String, String> storedData() throws Exception {
    Map<String, String> found = new TreeMap<>();
    try (Connection db = TestEnvironment.database()) {
      for (String table :
          Set.of(
              "account",
              "app_user",
              "api_key",
              "campaign",
              "creative",
              "site",
              "zone",
              "campaign_zone")) {
        try (ResultSet row =
            db.createStatement()
                .executeQuery(
                    "SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '-')"
                        + " FROM "
                        + table
                        + " t")) {
          row.next();
          found.put(table, row.getString(1));
        }
      }
    }
    return found;
  }
}
