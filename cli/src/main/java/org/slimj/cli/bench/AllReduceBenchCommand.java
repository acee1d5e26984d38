package org.slimj.cli.bench;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.slimj.cli.DistributedOptions;
import org.slimj.engine.dist.Collective;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./slimj bench allreduce --workers ... --rank R}: times the Hazelcast all-reduce of a float
 * array among the workers (run it on every worker, as {@code train --workers}); each repetition
 * starts after a barrier, and each rank prints the median, min and max of its own times.
 */
@Command(
    name = "allreduce",
    mixinStandardHelpOptions = true,
    description = "Time the all-reduce of data-parallel training among --workers (run on every worker with its --rank).")
public final class AllReduceBenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DistributedOptions distributed;

  @Option(names = "--mb", paramLabel = "MB", description = "Array size in MB of floats (default: ${DEFAULT-VALUE}).")
  double megabytes = 10;

  @Option(names = "--warmup", description = "Untimed all-reduces first (default: ${DEFAULT-VALUE}).")
  int warmup = 3;

  @Option(names = "--reps", description = "Timed all-reduces (default: ${DEFAULT-VALUE}).")
  int reps = 10;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Override
  public Integer call() {
    if (!(megabytes > 0) || megabytes > 1024 || warmup < 0 || reps < 1) {
      throw new IllegalArgumentException("bench allreduce: expected 0 < --mb <= 1024, --warmup >= 0 and --reps >= 1,"
          + " found " + megabytes + ", " + warmup + ", " + reps);
    }
    PrintWriter out = spec.commandLine().getOut();
    int floats = (int) Math.max(1, Math.round(megabytes * 1e6 / 4));
    float[] data = new float[floats];
    double[] ms = new double[reps];
    int size;
    int rank;
    try (Collective c = distributed.join(json ? spec.commandLine().getErr() : out)) {
      size = c.size();
      rank = c.rank();
      SplittableRandom rng = new SplittableRandom(rank);
      for (int i = -warmup; i < reps; i++) {
        for (int j = 0; j < floats; j++) {
          data[j] = (float) rng.nextGaussian();
        }
        c.barrier();
        long t0 = System.nanoTime();
        c.allReduceSum(data);
        if (i >= 0) {
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      c.barrier();
    }
    double[] sorted = ms.clone();
    Arrays.sort(sorted);
    double median = reps % 2 == 1 ? sorted[reps / 2] : (sorted[reps / 2 - 1] + sorted[reps / 2]) / 2;
    if (json) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("workers", size);
      row.put("rank", rank);
      row.put("megabytes", floats * 4 / 1e6);
      row.put("reps", reps);
      row.put("median_ms", median);
      row.put("min_ms", sorted[0]);
      row.put("max_ms", sorted[reps - 1]);
      out.println(new GsonBuilder().create().toJson(row));
    } else {
      out.printf(Locale.ROOT, "all-reduce of %.2f MB among %d worker(s), rank %d: median %.1f ms, min %.1f, max %.1f"
          + " (%d repetitions)%n", floats * 4 / 1e6, size, rank, median, sorted[0], sorted[reps - 1], reps);
    }
    out.flush();
    return 0;
  }
}
