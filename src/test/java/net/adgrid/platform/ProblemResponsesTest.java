package net.adgrid.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;

class ProblemResponsesTest {

  @Test
  void clientErrorsKeepTheirStatusAndSayWhatWasWrong() {
    Problem notFound = ProblemResponses.forClientError(404, "Not Found");
    assertEquals(404, notFound.status());
    assertEquals("Not Found", notFound.title());
    assertEquals("about:blank", notFound.type());
    assertEquals("There is no resource at this address.", notFound.detail());

    Problem notAllowed = ProblemResponses.forClientError(405, "Method Not Allowed");
    assertEquals(405, notAllowed.status());
    assertEquals("This resource does not support that method.", notAllowed.detail());

    Problem other = ProblemResponses.forClientError(409, "Conflict");
    assertEquals("Conflict", other.detail());
  }

  @Test
  void unexpectedErrorsNameAnIncidentAndHideTheirInternals() {
    Logger log = Logger.getLogger(ProblemResponses.class.getName());
    StringBuilder logged = new StringBuilder();
    Handler capture =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            logged.append(record.getMessage()).append(record.getThrown());
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    log.addHandler(capture);
    boolean toConsole = log.getUseParentHandlers();
    log.setUseParentHandlers(false);
    try {
      Problem problem =
          ProblemResponses.forUnexpected(new IllegalStateException("secret table name"));
      assertEquals(500, problem.status());
      assertFalse(problem.detail().contains("secret"), problem.detail());
      String incident = problem.detail().replaceAll(".*incident ([0-9a-f-]{36}).*", "$1");
      assertEquals(36, incident.length(), problem.detail());
      assertTrue(logged.toString().contains(incident), "the log names the incident");
      assertTrue(logged.toString().contains("secret table name"), "the log keeps the cause");
    } finally {
      log.setUseParentHandlers(toConsole);
      log.removeHandler(capture);
    }
  }
}
