package net.adgrid.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.BeforeDestroyed;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import java.util.regex.Pattern;

/**
 * The id of the request a thread is serving, in every log line written while it serves it.
 *
 * <p>httpd gives each request an id (mod_unique_id, sent as {@code X-Request-Id}) and writes it
 * with the node that served it in its access log; the node takes it over, sends it back in the
 * response, and every line logged while serving the request starts with {@code req=<id>}, whoever
 * logs it (the application, JAX-RS, JSF, the JDBC pool). One id leads from httpd's access log to
 * the node's log. A request that did not come through httpd gets an id made here. An unexpected
 * error's problem+json names the request id as its incident, so what a user reports is found in the
 * logs at once.
 */
@ApplicationScoped
public class RequestIds {

  public static final String HEADER = "X-Request-Id";

  /** What httpd's ids are made of (base64 with '@' and '-'), at a sane length. */
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9@_.:+/=-]{1,64}");

  private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

  /** The id of the request {@code header} names, or a new one when it names none (or junk). */
  static String of(String header) {
    if (header != null && WELL_FORMED.matcher(header).matches()) {
      return header;
    }
    return "node-" + Long.toString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE, 36);
  }

  /** The request this thread is serving, or null (a background job, the writer). */
  public static String current() {
    return CURRENT.get();
  }

  static void serving(String id) {
    CURRENT.set(id);
  }

  static void served() {
    CURRENT.remove();
  }

  private final Map<Handler, Filter> replaced = new HashMap<>();

  /** Puts the request id into the lines of the node's log handlers (the root logger's). */
  synchronized void start(@Observes @Initialized(ApplicationScoped.class) Object started) {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      Filter present = handler.getFilter();
      replaced.put(handler, present);
      handler.setFilter(new Stamping(present));
    }
  }

  /** Gives the handlers back as they were: no class of this application stays referenced. */
  synchronized void stop(@Observes @BeforeDestroyed(ApplicationScoped.class) Object stopping) {
    replaced.forEach(Handler::setFilter);
    replaced.clear();
  }

  /**
   * Prefixes a record logged while serving a request with {@code req=<id>}. The handler calls it on
   * the logging thread, before it formats the record. The message is formatted here (resource
   * bundle and parameters), so that the prefix cannot hide a bundle's key.
   */
  static final class Stamping implements Filter {
    private static final String MARK = "req=";
    private static final SimpleFormatter MESSAGES = new SimpleFormatter();
    private final Filter before;

    Stamping(Filter before) {
      this.before = before;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
      if (before != null && !before.isLoggable(record)) {
        return false;
      }
      String id = CURRENT.get();
      String message = record.getMessage();
      if (id != null && (message == null || !message.startsWith(MARK))) {
        String text = MESSAGES.formatMessage(record);
        record.setMessage(MARK + id + " " + text);
        record.setParameters(null);
        record.setResourceBundle(null);
        record.setResourceBundleName(null);
      }
      return true;
    }
  }
}
