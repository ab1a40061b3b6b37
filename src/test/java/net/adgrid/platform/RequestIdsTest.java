package net.adgrid.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.ListResourceBundle;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RequestIdsTest {

  private final List<String> lines = new ArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          if (isLoggable(record)) {
            lines.add(new SimpleFormatter().formatMessage(record));
          }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  @AfterEach
  void served() {
    RequestIds.served();
  }

  @Test
  void httpdsIdIsTakenOverAndJunkIsReplaced() {
    assertEquals("YzJ3@c2wAAAAAAAAAAAAAAAA-", RequestIds.of("YzJ3@c2wAAAAAAAAAAAAAAAA-"));
    for (String junk : new String[] {null, "", "<script>", "a b", "x".repeat(65)}) {
      assertTrue(RequestIds.of(junk).matches("node-[0-9a-z]+"), String.valueOf(junk));
    }
  }

  @Test
  void aLineLoggedWhileServingARequestStartsWithItsIdOnce() {
    handler.setFilter(new RequestIds.Stamping(null));
    handler.publish(new LogRecord(Level.INFO, "outside any request"));
    RequestIds.serving("abc");
    LogRecord record = new LogRecord(Level.WARNING, "{0} waited {1} ms");
    record.setParameters(new Object[] {"decision", 12});
    handler.publish(record);
    // A second handler that sees the same record does not stamp it again.
    handler.publish(record);
    assertEquals(
        List.of(
            "outside any request",
            "req=abc decision waited 12 ms",
            "req=abc decision waited 12 ms"),
        lines);
  }

  @Test
  void aBundlesMessageIsLookedUpBeforeTheIdIsPutInFront() {
    handler.setFilter(new RequestIds.Stamping(null));
    RequestIds.serving("abc");
    LogRecord record = new LogRecord(Level.SEVERE, "KEY-001");
    record.setResourceBundle(
        new ListResourceBundle() {
          @Override
          protected Object[][] getContents() {
            return new Object[][] {{"KEY-001", "Pool {0} is full"}};
          }
        });
    record.setParameters(new Object[] {"adgridPool"});
    handler.publish(record);
    assertEquals(List.of("req=abc Pool adgridPool is full"), lines);
  }

  @Test
  void aFilterThatWasThereStillDecides() {
    handler.setFilter(
        new RequestIds.Stamping(r -> r.getLevel().intValue() >= Level.WARNING.intValue()));
    RequestIds.serving("abc");
    handler.publish(new LogRecord(Level.INFO, "dropped"));
    handler.publish(new LogRecord(Level.WARNING, "kept"));
    assertEquals(List.of("req=abc kept"), lines);
  }
}
