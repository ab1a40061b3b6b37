package net.adgrid.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.adgrid.system.TestEnvironment;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One node and the persistence layer: the WAR that the build produced, in a managed Payara Micro
 * with the cluster's own post-boot configuration and JDBC driver, on the test PostgreSQL. Seen from
 * outside, as a client and as PostgreSQL see it: the migrations ran once, concurrent writers lose
 * no update, the shared cache holds what the database holds, and the API answers errors as
 * problem+json.
 */
@ExtendWith(ArquillianExtension.class)
class PersistenceIT {

  private static final String SCHEMA_HISTORY =
      "SELECT count(*), bool_and(success) FROM flyway_schema_history WHERE version = '1'";

  @Deployment(testable = false)
  static WebArchive deployment() {
    TestEnvironment.requirePrepared();
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("adgrid.war")));
  }

  @ArquillianResource URL base;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void nodeIsReady() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    HttpResponse<String> ready = get("/health/ready");
    while (ready.statusCode() != 200 && System.nanoTime() < deadline) {
      Thread.sleep(200);
      ready = get("/health/ready");
    }
    assertEquals(200, ready.statusCode(), "the node reports the schema current: " + ready.body());
  }

  @Test
  void theMigrationsRanOnce() throws Exception {
    try (Connection db = TestEnvironment.database();
        Statement sql = db.createStatement();
        ResultSet history = sql.executeQuery(SCHEMA_HISTORY)) {
      history.next();
      assertEquals(1, history.getInt(1));
      assertTrue(history.getBoolean(2));
    }
  }

  @Test
  void concurrentViewsAreAllCountedAndTheSharedCacheAgreesWithTheDatabase() throws Exception {
    long before = databaseViews();
    int visitors = 8;
    int viewsEach = 15;
    ExecutorService pool = Executors.newFixedThreadPool(visitors);
    try {
      List<Callable<Void>> work = new ArrayList<>();
      for (int v = 0; v < visitors; v++) {
        work.add(
            () -> {
              for (int i = 0; i < viewsEach; i++) {
                HttpResponse<String> page = get("/");
                assertEquals(200, page.statusCode());
                assertFalse(page.body().contains("unavailable"), "the view was counted");
              }
              return null;
            });
      }
      for (Future<Void> done : pool.invokeAll(work, 2, TimeUnit.MINUTES)) {
        done.get();
      }
    } finally {
      pool.shutdownNow();
    }
    long expected = before + (long) visitors * viewsEach;
    assertEquals(expected, databaseViews(), "no view lost, none counted twice");

    JsonObject views = cluster().getJsonObject("homePageViews");
    assertEquals(expected, views.getJsonNumber("views").longValue(), "the cache agrees: " + views);
    assertTrue(views.getBoolean("fromSharedCache"), "and it answered from the cache: " + views);
  }

  @Test
  void theApiNamesTheNodeMakesNoSessionAndAnswersErrorsAsProblemJson() throws Exception {
    HttpResponse<String> cluster = get("/api/v1/cluster");
    assertEquals(200, cluster.statusCode(), cluster.body());
    assertEquals("arquillian", cluster.headers().firstValue("X-Adgrid-Node").orElseThrow());
    assertEquals("arquillian", TestEnvironment.json(cluster).getString("node"));
    assertTrue(cluster.headers().firstValue("Set-Cookie").isEmpty(), "the API makes no session");

    HttpResponse<String> missing =
        http.send(
            HttpRequest.newBuilder(address("/api/v1/cluster/nope"))
                .POST(HttpRequest.BodyPublishers.ofString("{"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
    assertEquals(
        "application/problem+json", missing.headers().firstValue("Content-Type").orElseThrow());
    assertEquals(404, TestEnvironment.json(missing).getInt("status"));
    assertFalse(missing.body().contains("Exception"), missing.body());

    HttpResponse<String> wrongMethod =
        http.send(
            HttpRequest.newBuilder(address("/api/v1/cluster")).DELETE().build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(405, wrongMethod.statusCode());
    assertEquals(
        "application/problem+json", wrongMethod.headers().firstValue("Content-Type").orElseThrow());
  }

  private JsonObject cluster() throws Exception {
    HttpResponse<String> response = get("/api/v1/cluster");
    assertEquals(200, response.statusCode(), response.body());
    return TestEnvironment.json(response);
  }

  private long databaseViews() throws Exception {
    try (Connection db = TestEnvironment.database();
        Statement sql = db.createStatement();
        ResultSet row = sql.executeQuery("SELECT views FROM page_views WHERE page = 'home'")) {
      assertTrue(row.next());
      return row.getLong(1);
    }
  }

  private URI address(String path) throws Exception {
    return base.toURI().resolve(path);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(address(path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
