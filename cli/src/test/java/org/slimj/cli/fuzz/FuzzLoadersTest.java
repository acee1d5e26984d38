package org.slimj.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The seeded mutation fuzzer over every file loader (checkpoints, IDX images and labels, latency
 * tables, configurations, model.json), for a bounded time: {@code slimj.fuzz.seconds} in all
 * (default 20, split evenly), seed {@code slimj.fuzz.seed} (default 13). {@code scripts/fuzz.sh}
 * runs it longer with a new seed. Every finding names its seed and round and is saved under
 * {@code target/fuzz-findings}.
 */
class FuzzLoadersTest {
  @Test
  void everyLoaderAnswersEveryMutatedInputCleanly(@TempDir Path dir) throws Exception {
    double seconds = Double.parseDouble(System.getProperty("slimj.fuzz.seconds", "20"));
    long seed = Long.parseLong(System.getProperty("slimj.fuzz.seed", "13"));
    Path findingsDir = Path.of("target", "fuzz-findings").toAbsolutePath();
    List<FuzzTarget> targets = Targets.all(dir.resolve("seeds"));
    List<String> findings = new ArrayList<>();
    for (FuzzTarget t : targets) {
      Fuzzer.Report r = Fuzzer.run(t, seed, seconds / targets.size(), dir.resolve("work"), findingsDir);
      System.out.println("fuzz seed " + seed + ": " + r);
      findings.addAll(r.findings());
    }
    assertTrue(findings.isEmpty(), "fuzz seed " + seed + ": " + findings.size() + " finding(s):\n"
        + String.join("\n", findings.subList(0, Math.min(20, findings.size()))));
  }
}
