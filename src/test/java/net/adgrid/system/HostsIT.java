package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.JsonObject;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cluster on separate network addresses, as on separate machines: PostgreSQL, two nodes and
 * httpd each in a network namespace of its own (src/test/sh/hosts makes them, with veth pairs on a
 * bridge, and removes them), started by scripts/adgrid as the README's "Several hosts" says. No
 * process can reach another through a loopback address: what works here assumes neither loopback
 * nor one host.
 */
class HostsIT {

  private static final String NET = "10.250.87";
  private static final URI BALANCER = URI.create("http://" + NET + ".30:8080");
  private static Path home;

  @BeforeAll
  static void hosts() throws Exception {
    TestEnvironment.requirePrepared();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")),
        "network namespaces need root: HostsIT runs where the tests run as root (CI does)");
    home = TestEnvironment.runHome().resolve("hosts");
    hostsScript("up", 8);
  }

  @AfterAll
  static void removeHosts() throws Exception {
    if (home != null) {
      hostsScript("down", 3);
    }
  }

  @Test
  void nodesOnTheirOwnAddressesFormOneGridBehindHttpdAndCountInTheirDatabase() throws Exception {
    // Both nodes serve through the balancer, each seeing the other in the grid.
    Set<String> servedBy = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> cluster = CountingIT.get(BALANCER.resolve("/api/v1/cluster"));
      assertEquals(200, cluster.statusCode(), cluster.body());
      JsonObject body = TestEnvironment.json(cluster);
      assertEquals(2, body.getInt("gridSize"), cluster.body());
      servedBy.add(body.getString("node"));
    }
    assertEquals(Set.of("n1", "n2"), servedBy);

    // An ad is decided and its impression counted, stored in the database on its own host with
    // the visitor's address as httpd saw it (the client's, here the bridge's), not httpd's.
    long zone;
    try (Connection db = database();
        ResultSet row =
            db.createStatement()
                .executeQuery(
                    "SELECT id FROM zone WHERE name = 'Top banner' ORDER BY id LIMIT 1")) {
      assertTrue(row.next(), "the demo network was seeded");
      zone = row.getLong(1);
    }
    HttpResponse<String> decision = CountingIT.decide(BALANCER, zone, UUID.randomUUID().toString());
    assertEquals(200, decision.statusCode(), decision.body());
    JsonObject ad = TestEnvironment.json(decision);
    HttpResponse<String> impression = CountingIT.get(URI.create(ad.getString("impressionUrl")));
    assertEquals(200, impression.statusCode(), impression.body());
    try (Connection db = database();
        PreparedStatement query =
            db.prepareStatement(
                "SELECT host(client_ip), reason FROM event WHERE event_id = ?::uuid")) {
      query.setString(1, ad.getString("decisionId"));
      try (ResultSet row = query.executeQuery()) {
        assertTrue(row.next(), "the acknowledged impression is stored");
        assertEquals(List.of(NET + ".1", "OK"), List.of(row.getString(1), row.getString(2)));
      }
    }
    // The impression URL names the balancer's address, not a node's or a loopback one.
    assertTrue(ad.getString("impressionUrl").startsWith(BALANCER.toString()), ad.toString());
  }

  private static Connection database() throws Exception {
    String password = Files.readString(home.resolve("db/password")).trim();
    return DriverManager.getConnection(
        "jdbc:postgresql://" + NET + ".20:5432/adgrid", "adgrid", password);
  }

  private static void hostsScript(String what, int minutes) throws Exception {
    Path log = TestEnvironment.repository().resolve("target/hosts-" + what + ".log");
    Process process =
        new ProcessBuilder(
                TestEnvironment.repository().resolve("src/test/sh/hosts").toString(),
                what,
                home.toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertTrue(process.waitFor(minutes, TimeUnit.MINUTES), "hosts " + what + " in time: " + log);
    assertEquals(0, process.exitValue(), "hosts " + what + ": " + Files.readString(log));
  }
}
