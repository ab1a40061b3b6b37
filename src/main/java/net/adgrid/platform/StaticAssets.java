package net.adgrid.platform;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * The addresses of the static assets, by their content-hashed names ({@code
 * #{assets.url('adgrid.css')}} gives {@code /static/adgrid.3f2a9c1b7e.css}). The build makes the
 * hashed copies and their map ({@code WEB-INF/assets.properties}, src/build/Assets.java); httpd
 * serves them with a year of immutable caching, so a new release's assets have new names and an old
 * page keeps its own.
 */
@Named("assets")
@ApplicationScoped
public class StaticAssets {

  static final String MAP = "/WEB-INF/assets.properties";

  @Inject ServletContext context;

  private Map<String, String> hashed = Map.of();

  @PostConstruct
  void load() {
    try (InputStream in = context.getResourceAsStream(MAP)) {
      if (in != null) {
        hashed = read(in);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, String> read(InputStream in) throws IOException {
    Properties properties = new Properties();
    properties.load(in);
    return Map.copyOf((Map<String, String>) (Map<?, ?>) properties);
  }

  /** The address of the asset named {@code name}: its hashed name, or its plain one (not built). */
  public String url(String name) {
    return context.getContextPath() + "/static/" + hashed.getOrDefault(name, name);
  }
}
