package net.adgrid.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.annotation.WebFilter;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Taking a node out of the balancer without failing a request, for a rolling restart: while a file
 * {@code draining} exists in the node's working directory ({@code scripts/adgrid roll} makes it),
 * the node reports itself not ready, so httpd's health checks stop sending it requests (after two
 * failed checks, about 4 s) and its sticky sessions go on on the other nodes (the sessions are in
 * the grid); the node still answers everything it is sent meanwhile. The requests in progress are
 * counted ({@code adgrid_requests_in_flight}), so that the node is stopped only once none is left.
 */
@ApplicationScoped
@Readiness
public class Draining implements HealthCheck {

  static final Path FLAG = Path.of("draining");

  /** Requests of this application in progress on this node. */
  static final AtomicInteger IN_FLIGHT = new AtomicInteger();

  public static int inFlight() {
    return IN_FLIGHT.get();
  }

  @Override
  public HealthCheckResponse call() {
    boolean draining = Files.exists(FLAG);
    return HealthCheckResponse.named("draining")
        .status(!draining)
        .withData("inFlight", IN_FLIGHT.get())
        .build();
  }

  private static final jakarta.servlet.AsyncListener DONE =
      new jakarta.servlet.AsyncListener() {
        @Override
        public void onComplete(jakarta.servlet.AsyncEvent event) {
          IN_FLIGHT.decrementAndGet();
        }

        @Override
        public void onTimeout(jakarta.servlet.AsyncEvent event) {}

        @Override
        public void onError(jakarta.servlet.AsyncEvent event) {}

        @Override
        public void onStartAsync(jakarta.servlet.AsyncEvent event) {}
      };

  private static final String ANSWERED_LATER = Draining.class.getName() + ".answeredLater";

  /**
   * For a request answered asynchronously (a tracking URL waits for its batch's commit): it stays
   * counted until it is complete. Call right after {@code startAsync()}, before the work is handed
   * on, so that its completion cannot come first.
   */
  public static void answeredLater(HttpServletRequest request, jakarta.servlet.AsyncContext async) {
    request.setAttribute(ANSWERED_LATER, Boolean.TRUE);
    async.addListener(DONE);
  }

  /** Counts every request of the application until it is answered (asynchronous ones too). */
  @WebFilter(urlPatterns = "/*", asyncSupported = true)
  public static class Counting extends HttpFilter {
    @Override
    protected void doFilter(
        HttpServletRequest request, HttpServletResponse response, FilterChain chain)
        throws IOException, ServletException {
      String path = request.getRequestURI();
      if (path.startsWith("/health") || path.startsWith("/metrics")) {
        // Payara serves these inside this application: the reading must not count itself.
        chain.doFilter(request, response);
        return;
      }
      IN_FLIGHT.incrementAndGet();
      try {
        chain.doFilter(request, response);
      } finally {
        if (request.getAttribute(ANSWERED_LATER) == null) {
          IN_FLIGHT.decrementAndGet();
        }
      }
    }
  }
}
