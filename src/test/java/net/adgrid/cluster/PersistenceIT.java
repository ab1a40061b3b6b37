package net.adgrid.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import net.adgrid.cluster.control.PageViewCounter;
import net.adgrid.cluster.entity.PageViews;
import net.adgrid.platform.SchemaMigrations;
import net.adgrid.system.TestEnvironment;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The persistence layer in a real Payara Micro on the test PostgreSQL: the WAR that the build
 * produced, with the cluster's own post-boot configuration. Migrations run on deployment, the
 * shared cache is in use, and concurrent writers lose no update.
 */
@ExtendWith(ArquillianExtension.class)
class PersistenceIT {

  @Deployment
  static WebArchive deployment() {
    TestEnvironment.requirePrepared();
    return ShrinkWrap.createFromZipFile(
        WebArchive.class, new File(System.getProperty("adgrid.war")));
  }

  @Inject SchemaMigrations schema;
  @Inject PageViewCounter pageViews;

  @Resource(lookup = "jdbc/adgrid")
  DataSource dataSource;

  @BeforeEach
  void schemaIsCurrent() throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!schema.isCurrent() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertTrue(schema.isCurrent(), "the migrations ran: " + schema.call().getData());
  }

  @Test
  void theMigrationsCreatedTheSchemaOnce() throws Exception {
    try (Connection db = dataSource.getConnection();
        Statement sql = db.createStatement();
        ResultSet history =
            sql.executeQuery(
                "SELECT count(*), bool_and(success) FROM flyway_schema_history WHERE version = '1'")) {
      history.next();
      assertEquals(1, history.getInt(1));
      assertTrue(history.getBoolean(2));
    }
  }

  @Test
  void concurrentViewsAreAllCountedAndTheCacheAgreesWithTheDatabase() throws Exception {
    long before = databaseViews();
    int writers = 8;
    int viewsEach = 25;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      List<Callable<Void>> work = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        work.add(
            () -> {
              for (int i = 0; i < viewsEach; i++) {
                pageViews.countView(PageViews.HOME);
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
    long expected = before + (long) writers * viewsEach;
    assertEquals(expected, databaseViews(), "no view lost, none counted twice");

    PageViewCounter.Reading reading = pageViews.read(PageViews.HOME);
    assertTrue(reading.fromSharedCache(), "the entity is held in the shared cache");
    assertEquals(expected, reading.views(), "and the cache holds what the database holds");
  }

  @Test
  void aPageWithoutACounterIsRefusedRatherThanCreatedOnTheFly() {
    Exception refused = assertThrows(Exception.class, () -> pageViews.countView("no-such-page"));
    assertTrue(
        String.valueOf(refused).contains("no page view counter")
            || String.valueOf(refused.getCause()).contains("no page view counter"),
        String.valueOf(refused));
  }

  @Test
  @RunAsClient
  void theApiAnswersWithTheNodeAndProblemJsonForUnknownAddresses(@ArquillianResource URL base)
      throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI root = base.toURI();
    HttpResponse<String> cluster =
        client.send(
            HttpRequest.newBuilder(root.resolve("/api/v1/cluster")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, cluster.statusCode(), cluster.body());
    assertEquals("arquillian", cluster.headers().firstValue("X-Adgrid-Node").orElseThrow());
    assertTrue(cluster.body().contains("\"node\":\"arquillian\""), cluster.body());
    assertTrue(cluster.headers().firstValue("Set-Cookie").isEmpty(), "the API makes no session");

    HttpResponse<String> missing =
        client.send(
            HttpRequest.newBuilder(root.resolve("/api/v1/cluster/nope"))
                .POST(HttpRequest.BodyPublishers.ofString("{"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(404, missing.statusCode());
    assertEquals(
        "application/problem+json", missing.headers().firstValue("Content-Type").orElseThrow());
    assertTrue(!missing.body().contains("Exception"), missing.body());
  }

  private long databaseViews() throws Exception {
    try (Connection db = dataSource.getConnection();
        Statement sql = db.createStatement();
        ResultSet row = sql.executeQuery("SELECT views FROM page_views WHERE page = 'home'")) {
      assertTrue(row.next());
      return row.getLong(1);
    }
  }
}
