package org.slimj.cli.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.cli.CliRun.run;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.cli.CliRun;
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
    String workers;
    try (ServerSocket a = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        ServerSocket b = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      workers = "127.0.0.1:" + a.getLocalPort() + ",127.0.0.1:" + b.getLocalPort();
    }
    Path out = dir.resolve("tables").resolve("t.json");
    Files.createDirectories(out.getParent());
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Future<CliRun>> runs = new ArrayList<>();
    try {
      for (int r = 0; r < 2; r++) {
        String[] args = java.util.stream.Stream.concat(java.util.Arrays.stream(ARGS), java.util.stream.Stream.of(
            "--out", out.toString(), "--workers", workers, "--rank", Integer.toString(r), "--cluster-name",
            "slimj-profile-test", "--heartbeat-timeout", "5", "--join-timeout", "60")).toArray(String[]::new);
        runs.add(pool.submit(() -> run(args)));
      }
      CliRun r0 = runs.get(0).get(180, TimeUnit.SECONDS);
      CliRun r1 = runs.get(1).get(180, TimeUnit.SECONDS);
      assertEquals(0, r0.code(), r0.err() + r0.out());
      assertEquals(0, r1.code(), r1.err() + r1.out());
      assertTrue(r1.out().contains("rank 0 writes"), r1.out());
    } finally {
      pool.shutdownNow();
    }
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
