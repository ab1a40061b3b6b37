package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole cluster as users reach it: two Payara Micro nodes in one data grid behind httpd, on the
 * test PostgreSQL, started and stopped with {@code scripts/adgrid} itself. Every request goes
 * through the balancer; a node is pinned, where a test needs one, the way a browser is: by the
 * route in its session cookie.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

  private static final Duration START = Duration.ofMinutes(6);
  private static final Pattern VISITS = Pattern.compile("id=\"visits\">(\\d+)<");
  private static final Pattern CLUSTER_VIEWS = Pattern.compile("id=\"cluster-views\">\\s*(\\d+)");

  private static final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeAll
  static void startCluster() throws Exception {
    TestEnvironment.requirePrepared();
    TestEnvironment.adgrid(START, "up", "--nodes", "2");
  }

  @Test
  @Order(1)
  void theBalancerSpreadsRequestsOverBothNodesWhichSeeOneGrid() throws Exception {
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = get("/api/v1/cluster", null);
      assertEquals(200, response.statusCode(), response.body());
      JsonObject cluster = TestEnvironment.json(response);
      String node = response.headers().firstValue("X-Adgrid-Node").orElseThrow();
      assertEquals(node, cluster.getString("node"));
      assertEquals(2, cluster.getInt("gridSize"), response.body());
      assertEquals(List.of("n1", "n2"), memberNames(cluster));
      servedBy.add(node);
    }
    assertEquals(Set.of("n1", "n2"), servedBy);
  }

  @Test
  @Order(2)
  void httpdServesStaticFilesAndKeepsOperatorPagesPrivate() throws Exception {
    HttpResponse<String> css = get("/static/adgrid.css", null);
    assertEquals(200, css.statusCode());
    assertTrue(css.headers().firstValue("X-Adgrid-Node").isEmpty(), "served by httpd, no node");
    assertTrue(css.headers().firstValue("Cache-Control").orElse("").contains("max-age"));

    // The pages name the stylesheet by its content's hash; httpd serves it compressed, cached
    // for a year as immutable, with a Last-Modified fixed at build time (the same on any host).
    String page = get("/login.xhtml", null).body();
    String hashed = match(Pattern.compile("href=\"(/static/adgrid\\.[0-9a-f]{10}\\.css)\""), page);
    HttpResponse<String> asset =
        http.send(
            HttpRequest.newBuilder(TestEnvironment.balancer().resolve(hashed))
                .header("Accept-Encoding", "br, gzip")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, asset.statusCode(), hashed);
    assertTrue(asset.headers().firstValue("X-Adgrid-Node").isEmpty(), "served by httpd");
    assertEquals(
        "public, max-age=31536000, immutable",
        asset.headers().firstValue("Cache-Control").orElseThrow());
    assertEquals("br", asset.headers().firstValue("Content-Encoding").orElseThrow());
    assertEquals(
        "Sat, 01 Jan 2000 00:00:00 GMT", asset.headers().firstValue("Last-Modified").orElseThrow());

    for (String operatorPage : List.of("/balancer-manager", "/server-status", "/metrics")) {
      assertEquals(403, get(operatorPage, null).statusCode(), operatorPage);
    }
    HttpResponse<String> missing = get("/api/v1/no-such-thing", null);
    assertEquals(404, missing.statusCode());
    assertEquals(
        "application/problem+json", missing.headers().firstValue("Content-Type").orElseThrow());
  }

  @Test
  @Order(3)
  void anEntityUpdatedThroughOneNodeIsReadFreshFromTheOthersSharedCache() throws Exception {
    // n2 reads the counter twice: the second read comes from its shared cache.
    readThrough("n2");
    JsonObject before = readThrough("n2").getJsonObject("homePageViews");
    assertTrue(before.getBoolean("fromSharedCache"), "n2 caches the entity: " + before);

    // n1 counts a view: a write in PostgreSQL and in n1's cache, sent to n2's cache.
    HttpResponse<String> page = get("/", "JSESSIONID=pinned.n1");
    assertEquals("n1", page.headers().firstValue("X-Adgrid-Node").orElseThrow());
    long counted = Long.parseLong(match(CLUSTER_VIEWS, page.body()));
    assertTrue(counted > before.getJsonNumber("views").longValue());

    // n2 answers with the new figure from its cache, without a query. Coordination is
    // asynchronous: allow it a moment, and say how long it took.
    long started = System.nanoTime();
    JsonObject after;
    do {
      after = readThrough("n2").getJsonObject("homePageViews");
    } while (after.getJsonNumber("views").longValue() != counted
        && System.nanoTime() - started < TimeUnit.SECONDS.toNanos(3));
    assertEquals(counted, after.getJsonNumber("views").longValue(), "n2 reads the new count");
    assertTrue(after.getBoolean("fromSharedCache"), "n2 served it from its cache: " + after);
    System.out.printf(
        "cache coordination: n2 saw n1's write after %d ms%n",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @Test
  @Order(4)
  void aSessionAndTheTrafficOfAKilledNodeContinueOnTheOtherNode() throws Exception {
    HttpClient browser =
        HttpClient.newBuilder()
            .cookieHandler(new CookieManager())
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    String home = null;
    for (int visit = 1; visit <= 3; visit++) {
      HttpResponse<String> page = get(browser, "/", null);
      assertEquals(200, page.statusCode());
      assertEquals(String.valueOf(visit), match(VISITS, page.body()));
      String node = page.headers().firstValue("X-Adgrid-Node").orElseThrow();
      if (home != null) {
        assertEquals(home, node, "the session sticks to its node");
      }
      home = node;
    }

    // Sessionless traffic keeps flowing while the session's node is killed.
    List<Call> calls;
    long killedAt;
    long deadAt;
    try (Load load = new Load(4)) {
      Thread.sleep(1500);
      ProcessHandle node = ProcessHandle.of(TestEnvironment.nodePid(home)).orElseThrow();
      killedAt = System.nanoTime();
      node.destroyForcibly();
      node.onExit().get(10, TimeUnit.SECONDS);
      deadAt = System.nanoTime();
      Thread.sleep(3000);
      calls = load.stop();
    }

    HttpResponse<String> page = get(browser, "/", null);
    assertEquals(200, page.statusCode());
    assertNotEquals(home, page.headers().firstValue("X-Adgrid-Node").orElseThrow());
    assertEquals("4", match(VISITS, page.body()), "the session kept counting on the other node");

    // A request that reached the node before it was gone may fail; no other request may.
    List<Call> failed = calls.stream().filter(c -> !c.ok()).toList();
    List<Call> afterDeath = calls.stream().filter(c -> c.startNanos() > deadAt).toList();
    System.out.printf(
        "failover: %d requests, %d failed (in flight while the node died), %d after its death%n",
        calls.size(), failed.size(), afterDeath.size());
    for (Call call : failed) {
      assertTrue(
          call.startNanos() <= deadAt && call.endNanos() >= killedAt,
          "only a request in flight while the node died may fail: " + call);
    }
    assertTrue(failed.size() <= 4, "at most one in-flight request per client: " + failed);
    assertTrue(afterDeath.size() > 20, "load went on after the kill");
    String survivor = home.equals("n1") ? "n2" : "n1";
    assertTrue(
        afterDeath.stream().allMatch(c -> c.ok() && survivor.equals(c.node())),
        "after the kill everything is served by " + survivor);
    homeOfKilledNode = home;
  }

  private static String homeOfKilledNode;

  @Test
  @Order(5)
  void theKilledNodeComesBackAndRejoinsTheGrid() throws Exception {
    String killed = homeOfKilledNode;
    assertTrue(killed != null, "a node was killed by the previous test");
    String output = TestEnvironment.adgrid(START, "up", "--nodes", "2");
    assertTrue(output.contains("starting " + killed), output);
    assertFalse(
        output.contains("starting " + (killed.equals("n1") ? "n2" : "n1")),
        "up starts only what is not running:\n" + output);

    // The balancer sends it traffic again once its health checks pass, and it sees the grid.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    JsonObject seenByReturned = null;
    while (seenByReturned == null && System.nanoTime() < deadline) {
      HttpResponse<String> response = get("/api/v1/cluster", null);
      if (response.statusCode() == 200
          && killed.equals(response.headers().firstValue("X-Adgrid-Node").orElse(""))) {
        seenByReturned = TestEnvironment.json(response);
      } else {
        Thread.sleep(200);
      }
    }
    assertTrue(seenByReturned != null, killed + " serves through the balancer again");
    assertEquals(List.of("n1", "n2"), memberNames(seenByReturned));
    assertEquals(List.of("n1", "n2"), memberNames(readThrough(killed.equals("n1") ? "n2" : "n1")));
  }

  @Test
  @Order(6)
  void oneRequestIdLeadsFromHttpdsAccessLogToTheNodesLog() throws Exception {
    HttpResponse<String> answer = get("/api/v1/cluster", null);
    String id = answer.headers().firstValue("X-Request-Id").orElseThrow();
    String node = answer.headers().firstValue("X-Adgrid-Node").orElseThrow();
    assertTrue(id.length() >= 20 && !id.startsWith("node-"), "httpd's id: " + id);
    Path access = TestEnvironment.runHome().resolve("httpd/logs/access.log");
    assertTrue(
        eventually(() -> lines(access).anyMatch(l -> l.contains("route=" + node + " req=" + id))),
        "httpd's access log names the node and the id " + id);

    // A line the node logs while serving a request starts with that request's id: here the
    // warning a node writes when httpd's clock (X-Request-Start) is ahead of its own.
    String mine = "test-" + UUID.randomUUID();
    long ahead = (System.currentTimeMillis() + 60_000) * 1000;
    HttpResponse<String> direct =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + nodePort("n1") + "/t/i/x"))
                .header("X-Request-Id", mine)
                .header("X-Request-Start", "t=" + ahead)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(mine, direct.headers().firstValue("X-Request-Id").orElseThrow());
    Path log = TestEnvironment.runHome().resolve("nodes/n1/node.log");
    assertTrue(
        eventually(
            () ->
                lines(log)
                    .anyMatch(
                        l ->
                            l.contains(" node=n1 level=WARNING logger=")
                                && l.contains(" req=" + mine + " httpd's clock is"))),
        "n1's log has the warning with the request's id " + mine);

    // An id that is not one (markup, too long) is replaced by one the node makes.
    HttpResponse<String> junk =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + nodePort("n1") + "/api/v1/cluster"))
                .header("X-Request-Id", "<script>" + "x".repeat(80))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertTrue(
        junk.headers().firstValue("X-Request-Id").orElseThrow().matches("node-[0-9a-z]+"),
        junk.headers().toString());
  }

  private static int nodePort(String node) {
    return Integer.parseInt(TestEnvironment.env("ADGRID_NODE_HTTP_BASE"))
        + Integer.parseInt(node.substring(1))
        - 1;
  }

  private static java.util.stream.Stream<String> lines(Path file) {
    try {
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).lines();
    } catch (IOException e) {
      return java.util.stream.Stream.empty();
    }
  }

  private static boolean eventually(java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(200);
    }
    return true;
  }

  // ------------------------------------------------------------------------------ helpers

  /** One request of the background load. */
  record Call(long startNanos, long endNanos, int status, String node, String error) {
    boolean ok() {
      return status == 200 && error == null;
    }
  }

  /** Clients that request the API without a session, as fast as they get answers. */
  static final class Load implements AutoCloseable {
    private final ExecutorService clients;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();

    Load(int clientCount) {
      clients = Executors.newFixedThreadPool(clientCount);
      for (int i = 0; i < clientCount; i++) {
        clients.execute(this::run);
      }
    }

    private void run() {
      while (running.get()) {
        long start = System.nanoTime();
        try {
          HttpResponse<String> response = get("/api/v1/cluster", null);
          calls.add(
              new Call(
                  start,
                  System.nanoTime(),
                  response.statusCode(),
                  response.headers().firstValue("X-Adgrid-Node").orElse(null),
                  null));
        } catch (IOException | RuntimeException e) {
          calls.add(new Call(start, System.nanoTime(), 0, null, e.toString()));
        } catch (InterruptedException e) {
          return;
        }
      }
    }

    List<Call> stop() throws InterruptedException {
      running.set(false);
      clients.shutdown();
      assertTrue(clients.awaitTermination(30, TimeUnit.SECONDS), "load clients stopped");
      return new ArrayList<>(calls);
    }

    @Override
    public void close() {
      running.set(false);
      clients.shutdownNow();
    }
  }

  private static JsonObject readThrough(String node) throws Exception {
    HttpResponse<String> response = get("/api/v1/cluster", "JSESSIONID=pinned." + node);
    assertEquals(200, response.statusCode(), response.body());
    assertEquals(node, response.headers().firstValue("X-Adgrid-Node").orElseThrow());
    return TestEnvironment.json(response);
  }

  private static HttpResponse<String> get(String path, String cookie)
      throws IOException, InterruptedException {
    return get(http, path, cookie);
  }

  private static HttpResponse<String> get(HttpClient client, String path, String cookie)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(TestEnvironment.balancer().resolve(path))
            .timeout(Duration.ofSeconds(20));
    if (cookie != null) {
      request.header("Cookie", cookie);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> memberNames(JsonObject cluster) {
    return cluster.getJsonArray("members").stream()
        .map(member -> member.asJsonObject().getString("name"))
        .sorted()
        .collect(Collectors.toList());
  }

  private static String match(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertTrue(matcher.find(), pattern + " not found in:\n" + text);
    return matcher.group(1);
  }
}
