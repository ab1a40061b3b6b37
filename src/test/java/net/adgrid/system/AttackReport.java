package net.adgrid.system;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

/**
 * The attack and fuzz suites' summary, one counted row per attack: what was tried, how much of it
 * was stopped as it must be, how much got through. Each suite adds its rows as it ends (before its
 * assertions, so a failure shows in the table too) to target/attack-report.md, which {@code
 * scripts/adgrid test} empties before the suite and prints after it.
 */
final class AttackReport {

  private AttackReport() {}

  static Path file() {
    return TestEnvironment.repository().resolve("target/attack-report.md");
  }

  /**
   * One row.
   *
   * @param attack what was tried
   * @param tried how many attempts
   * @param gotThrough how many of them were not stopped as they must be (0 for a pass)
   * @param stoppedBy what stopped them
   */
  static synchronized void add(String attack, long tried, long gotThrough, String stoppedBy) {
    try {
      Path file = file();
      Files.createDirectories(file.getParent());
      if (!Files.exists(file)) {
        Files.writeString(
            file,
            "| attack | tried | stopped | got through | stopped by |\n"
                + "|---|---:|---:|---:|---|\n");
      }
      Files.writeString(
          file,
          String.format(
              Locale.ROOT,
              "| %s | %d | %d | %d | %s |%n",
              attack,
              tried,
              tried - gotThrough,
              gotThrough,
              stoppedBy),
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
