package org.slimj.cli.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;
import org.slimj.cli.LoopbackWorkers;
import org.slimj.search.latency.LatencyTable;
import org.slimj.search.latency.LatencyTableFile;

/**
 * {@code profile --workers ... --rank R} (issue 12): every member profiles its own machine and rank 0
 * writes one table per member, each the member's own (its platform name, its entries), readable as
 * any table. Two members over Hazelcast in this JVM, tiny timings.
 */
class FarmedProfileCommandTest {
  private static final String[] ARGS = {"profile", "--model", "smallcnn", "--max-width", "0.5", "--input", "12",
    "--warmup-ms", "0.2", "--iteration-ms", "0.2", "--iterations", "1", "--warmup-seconds", "0.05", "--backend",
    "scalar", "--threads", "1", "--grid", "2", "--calibration-configs", "2", "--platform", "lab"};

  @Test
  void rankZeroWritesEveryMembersTable(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("tables").resolve("t.json");
    Files.createDirectories(out.getParent());
    List<CliRun> runs = LoopbackWorkers.run(2, "slimj-profile-test", 180, r -> java.util.stream.Stream.concat(
        java.util.Arrays.stream(ARGS), java.util.stream.Stream.of("--out", out.toString(), "--heartbeat-timeout", "5",
            "--join-timeout", "60")).toArray(String[]::new));
    assertEquals(0, runs.get(0).code(), runs.get(0).err() + runs.get(0).out());
    assertEquals(0, runs.get(1).code(), runs.get(1).err() + runs.get(1).out());
    assertTrue(runs.get(1).out().contains("rank 0 writes"), runs.get(1).out());
    assertFalse(Files.exists(out), "with --workers the tables are named per rank");
    for (int r = 0; r < 2; r++) {
      LatencyTable t = LatencyTableFile.read(out.resolveSibling("t-rank" + r + ".json"));
      assertEquals("latency:lab-rank" + r, t.name(), "rank " + r + "'s table carries its own platform name");
      assertTrue(t.entries().size() > 0);
    }
    CliRun info = run("info", "--model", "smallcnn", "--max-width", "0.5", "--input", "12", "--latency-table",
        out.resolveSibling("t-rank1.json").toString(), "--json");
    assertEquals(0, info.code(), info.err());
  }

  @Test
  void rankFileNamesTheRankBeforeTheExtension() {
    assertEquals(Path.of("a/t-rank2.json"), ProfileCommand.rankFile(Path.of("a/t.json"), 2));
    assertEquals(Path.of("table-rank0"), ProfileCommand.rankFile(Path.of("table"), 0));
  }
}
