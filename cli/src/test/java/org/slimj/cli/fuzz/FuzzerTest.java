package org.slimj.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fuzzer itself: it reports and saves what a loader does wrong, and replays by seed. */
class FuzzerTest {
  /** A loader with the bugs the fuzzer must catch: an unchecked index, a vague message, a broken invariant. */
  private static FuzzTarget buggy() {
    return new FuzzTarget("buggy", "in.txt", List.of("[1, 2, 3]".getBytes()), (m, in) -> m.mutate(in, true),
        (file, dir) -> {
          String s = Files.readString(file);
          if (s.isEmpty()) {
            throw new IOException("empty"); // does not name the file
          }
          if (s.contains("-1")) {
            throw new AssertionError("a negative value loaded");
          }
          if (s.length() < 9) {
            s.charAt(20); // StringIndexOutOfBoundsException
          }
          throw new IllegalArgumentException(file + ": rejected");
        }, List.of(IOException.class, IllegalArgumentException.class));
  }

  @Test
  void findingsAreReportedWithSeedAndRoundAndSaved(@TempDir Path dir) throws Exception {
    Fuzzer.Report r = Fuzzer.run(buggy(), 7, 1.0, dir.resolve("work"), dir.resolve("found"));
    assertTrue(r.rounds() > 50, r.toString());
    assertTrue(r.findings().stream().anyMatch(f -> f.contains("StringIndexOutOfBounds")), r.findings().toString());
    assertTrue(r.findings().stream().anyMatch(f -> f.contains("a negative value loaded")), r.findings().toString());
    assertTrue(r.findings().stream().allMatch(f -> f.startsWith("buggy seed 7 round ")), r.findings().toString());
    try (var s = Files.list(dir.resolve("found"))) {
      assertEquals(r.findings().size(), s.count(), "one saved input per finding");
    }
    assertEquals(r.rounds(), r.loaded() + r.rejected() + r.findings().size());
  }

  @Test
  void theSameSeedMutatesTheSameWay() {
    byte[] in = "{\"a\": [1, 2.5, 3], \"b\": \"x\"}".getBytes();
    Mutator a = new Mutator(42);
    Mutator b = new Mutator(42);
    for (int i = 0; i < 200; i++) {
      assertEquals(new String(a.mutate(in, true)), new String(b.mutate(in, true)), "seed 42, mutation " + i);
    }
  }
}
