package org.slimj.cli.hostile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.slimj.cli.CliRun;

/** What a hostile input must give: a non-zero exit and one clear line on standard error. */
final class Rejection {
  private Rejection() {}

  /**
   * Checks that {@code r} failed with exactly one line on standard error, no stack trace, and that
   * the line contains every one of {@code fragments} (the file, what was expected, what was found).
   */
  static void assertRejected(CliRun r, String what, String... fragments) {
    String context = what + "\nstdout: " + r.out() + "\nstderr: " + r.err();
    assertNotEquals(0, r.code(), "expected a non-zero exit: " + context);
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertTrue(lines.size() == 1, "expected one line on stderr, found " + lines.size() + ": " + context);
    String line = lines.get(0);
    assertFalse(line.contains("\tat ") || line.contains("Exception") || line.contains("Error:"),
        "no stack trace or exception class: " + context);
    for (String f : fragments) {
      assertTrue(line.contains(f), "expected the line to contain '" + f + "': " + context);
    }
  }
}
