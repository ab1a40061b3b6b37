package net.adgrid.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * What the integration and system tests share: the environment that {@code scripts/adgrid test}
 * prepared (its own PostgreSQL, ports and run directory) and a way to run the real {@code
 * scripts/adgrid} against it, as an operator would.
 */
public final class TestEnvironment {

  private TestEnvironment() {}

  /** Fails at once, with the way out, when the tests were not started by the test command. */
  public static void requirePrepared() {
    assertEquals(
        "1",
        System.getenv("ADGRID_TEST"),
        "integration tests need the PostgreSQL and ports that `scripts/adgrid test` sets up: run"
            + " them with `scripts/adgrid test` (extra Maven arguments are passed on, e.g."
            + " -Dit.test=ClusterIT)");
  }

  /** Variables that stand in for the test command's while {@link #against} runs. */
  private static volatile java.util.Map<String, String> standIns = java.util.Map.of();

  /**
   * Runs {@code work} with these variables in place of the test command's, so that the helpers
   * (balancer, database, {@link Network}, {@link Browser}, {@link Chaos.Load}) drive another
   * cluster: HostsIT's, on its own addresses. The tests run one at a time.
   */
  public static void against(java.util.Map<String, String> cluster, Work work) throws Exception {
    standIns = java.util.Map.copyOf(cluster);
    try {
      work.run();
    } finally {
      standIns = java.util.Map.of();
    }
  }

  /** What {@link #against} runs. */
  @FunctionalInterface
  public interface Work {
    void run() throws Exception;
  }

  public static String env(String name) {
    String value = standIns.getOrDefault(name, System.getenv(name));
    assertTrue(value != null && !value.isBlank(), name + " is not set");
    return value;
  }

  public static Path repository() {
    return Path.of(System.getProperty("adgrid.basedir", ".")).toAbsolutePath();
  }

  public static Path runHome() {
    return Path.of(env("ADGRID_HOME"));
  }

  public static URI balancer() {
    return URI.create("http://" + env("ADGRID_HTTP_HOST") + ":" + env("ADGRID_HTTP_PORT"));
  }

  public static Connection database() throws SQLException {
    return database(env("ADGRID_DB_NAME"));
  }

  /** A connection to another database of the tests' PostgreSQL (postgres, to drop ours). */
  public static Connection database(String name) throws SQLException {
    String url =
        "jdbc:postgresql://" + env("ADGRID_DB_HOST") + ":" + env("ADGRID_DB_PORT") + "/" + name;
    return DriverManager.getConnection(url, env("ADGRID_DB_USER"), env("ADGRID_DB_PASSWORD"));
  }

  /**
   * Runs {@code scripts/adgrid} with the test environment, appends its output to
   * target/adgrid-script.log, and returns that output; fails the test if it fails.
   */
  public static String adgrid(Duration timeout, String... arguments)
      throws IOException, InterruptedException {
    return adgridWith(java.util.Map.of(), timeout, arguments);
  }

  /** {@link #adgrid} with more environment variables (ADGRID_WAR, say). */
  public static String adgridWith(
      java.util.Map<String, String> environment, Duration timeout, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(repository().resolve("scripts/adgrid").toString());
    command.addAll(List.of(arguments));
    Path output = Files.createTempFile("adgrid-script", ".log");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(repository().toFile())
            .redirectErrorStream(true)
            .redirectOutput(output.toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    boolean finished = process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      process.destroyForcibly();
    }
    String text = Files.readString(output);
    Files.delete(output);
    Path log = repository().resolve("target/adgrid-script.log");
    Files.writeString(
        log,
        "$ " + String.join(" ", command) + "\n" + text,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    assertTrue(finished, "scripts/adgrid " + String.join(" ", arguments) + " timed out:\n" + text);
    assertEquals(
        0,
        process.exitValue(),
        "scripts/adgrid " + String.join(" ", arguments) + " failed:\n" + text);
    return text;
  }

  /** The pid of a running node, as the script recorded it. */
  public static long nodePid(String node) throws IOException {
    return Long.parseLong(Files.readString(runHome().resolve("nodes/" + node + "/pid")).trim());
  }

  private static final java.net.http.HttpClient API =
      java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** An API call through the balancer, with an API key (or none), a JSON body and If-Match. */
  public static HttpResponse<String> api(
      String method, String path, String key, String json, String ifMatch)
      throws IOException, InterruptedException {
    java.net.http.HttpRequest.Builder request =
        java.net.http.HttpRequest.newBuilder(balancer().resolve(path))
            .timeout(Duration.ofSeconds(30))
            .method(
                method,
                json == null
                    ? java.net.http.HttpRequest.BodyPublishers.noBody()
                    : java.net.http.HttpRequest.BodyPublishers.ofString(json));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    if (json != null) {
      request.header("Content-Type", "application/json");
    }
    if (ifMatch != null) {
      request.header("If-Match", ifMatch);
    }
    return API.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A response body as a JSON object. */
  public static JsonObject json(HttpResponse<String> response) {
    try (var reader = Json.createReader(new StringReader(response.body()))) {
      return reader.readObject();
    }
  }
}
