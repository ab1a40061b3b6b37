package net.adgrid.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Named;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * Who is serving: the node's name (given by {@code scripts/adgrid} as {@code -Dadgrid.node}, the
 * same value as the balancer route) and the build it runs.
 */
@Named("node")
@ApplicationScoped
public class NodeIdentity {

  static final String NODE_PROPERTY = "adgrid.node";
  static final String STANDALONE = "standalone";

  private final String name;
  private final String version;
  private final String buildTime;

  public NodeIdentity() {
    this(System.getProperty(NODE_PROPERTY), loadBuildInfo());
  }

  NodeIdentity(String configuredName, Properties build) {
    this.name = resolveName(configuredName);
    this.version = build.getProperty("version", "unknown");
    this.buildTime = build.getProperty("time", "unknown");
  }

  /** A node name must be safe in a header, a log line and a balancer route. */
  static String resolveName(String configured) {
    if (configured == null || configured.isBlank()) {
      return STANDALONE;
    }
    String trimmed = configured.trim();
    if (!trimmed.matches("[A-Za-z0-9][A-Za-z0-9_-]{0,31}")) {
      throw new IllegalArgumentException(
          "node name must be 1-32 letters, digits, '-' or '_': " + trimmed);
    }
    return trimmed;
  }

  private static Properties loadBuildInfo() {
    Properties properties = new Properties();
    try (InputStream in =
        NodeIdentity.class.getClassLoader().getResourceAsStream("adgrid-build.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  public String name() {
    return name;
  }

  public String version() {
    return version;
  }

  public String buildTime() {
    return buildTime;
  }
}
