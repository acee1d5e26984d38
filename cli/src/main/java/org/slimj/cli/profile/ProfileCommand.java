package org.slimj.cli.profile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slimj.bench.latency.LatencyProfiler;
import org.slimj.bench.latency.MedianTimer;
import org.slimj.bench.latency.TimingClock;
import org.slimj.bench.latency.NetworkRunner;
import org.slimj.bench.latency.Platform;
import org.slimj.cli.BackendOptions;
import org.slimj.cli.ModelOptions;
import org.slimj.cli.DistributedOptions;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.dist.TextGather;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.search.latency.LatencyTable;
import org.slimj.search.latency.LatencyTableFile;
import org.slimj.search.latency.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./slimj profile}: measures a latency table of a model on this platform (backend, threads,
 * batch) and writes it as JSON; {@code ./slimj profile validate} checks a table against
 * whole-network measurements.
 */
@Command(
    name = "profile",
    mixinStandardHelpOptions = true,
    description = {
      "Measure a latency table (ms per image, per layer signature on a grid of (cin, cout) points, bilinear",
      "between them) of a model on this backend, thread count and batch; write it with its provenance.",
      "Grid points per axis are linearly spaced from the smallest of 10 channel groups to the maximum."
    },
    subcommands = {ProfileValidateCommand.class})
public final class ProfileCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "Model:%n")
  ModelOptions modelOptions;

  @Mixin BackendOptions backendOptions;

  @Mixin TimingOptions timing;

  /**
   * {@code --workers/--rank}: every member profiles its own machine at once, and rank 0 writes all
   * the tables (one platform per member).
   */
  @Mixin DistributedOptions distributed;

  @Option(names = "--batch", paramLabel = "N", description = "Images per call (default: ${DEFAULT-VALUE}).")
  int batch = 1;

  @Option(names = "--grid", paramLabel = "G", description = "Grid points per channel axis (default: ${DEFAULT-VALUE}).")
  int grid = 4;

  @Option(names = "--calibration-configs", paramLabel = "K",
      description = "Whole-network runs to which the scale and fixed term are fitted (default: ${DEFAULT-VALUE}).")
  int calibrationConfigs = 8;

  @Option(names = "--platform", paramLabel = "NAME",
      description = "Platform name in the table (default: <backend>-<threads>t-b<batch>).")
  String platform;

  @Option(names = "--seed", description = "Seed of weights, inputs and calibration configurations (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--clock", paramLabel = "C",
      description = "wall (latency proper) or thread-cpu (CPU time of the calling thread; 1-thread backends only,"
          + " for machines shared with other work) (default: ${DEFAULT-VALUE}).")
  String clock = "wall";

  @Option(names = "--out", paramLabel = "FILE", description = "Latency table to write (with --workers: rank 0"
      + " writes one per member, FILE with -rank<R> before its extension).")
  Path out;

  @Override
  public Integer call() throws IOException {
    if (modelOptions == null || out == null) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "profile: --model and --out are required (or a subcommand: validate)");
    }
    if (batch < 1 || grid < 2 || calibrationConfigs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "expected --batch >= 1, --grid >= 2, --calibration-configs >= 1; found " + batch + ", " + grid + ", "
              + calibrationConfigs);
    }
    ModelSpec ms = modelOptions.spec(BnKind.SHARED, new double[] {modelOptions.maxWidth()});
    TimingClock c = TimingClock.parse(clock);
    Kernels k = backendOptions.choose().kernels();
    c.requireUsableWith(k.threads());
    MedianTimer timer = timing.timer(c);
    PrintWriter pw = spec.commandLine().getOut();
    long start = System.nanoTime();
    NetworkRunner runner = new NetworkRunner(k, ms, batch, seed);
    String method = timer.describe() + "; whole-network warm-up " + timing.warmupSeconds + " s; grid " + grid
        + " points per axis, linear from the smallest of 10 channel groups to the maximum, bilinear between; scale and"
        + " fixed term fitted to " + calibrationConfigs + " whole-network runs; model " + ms;
    // without --workers the resource is null (try-with-resources skips it); on failure no barrier is waited for
    try (Collective collective = distributed.enabled() ? distributed.join(pw) : null) {
      String name = platform;
      if (collective != null) {
        String base = platform != null ? platform : k.name() + "-" + k.threads() + "t-b" + batch;
        name = base + "-rank" + collective.rank();
      }
      Provenance prov = Platform.here(name, k.name(), k.threads(), batch, c, method);
      LatencyTable table = new LatencyProfiler(k, batch, grid, timer, timing.warmupSeconds)
          .profile(runner, prov, calibrationConfigs, seed, line -> {
            pw.println(line);
            pw.flush();
          });
      if (collective == null) {
        LatencyTableFile.write(out, table);
        pw.printf(Locale.ROOT, "wrote %s: %d entries, platform %s, %.1f s%n", out, table.entries().size(),
            table.name(), (System.nanoTime() - start) / 1e9);
        return 0;
      }
      List<String> tables = TextGather.all(collective, LatencyTableFile.toJson(table));
      if (collective.rank() == 0) {
        for (int r = 0; r < tables.size(); r++) {
          Path file = rankFile(out, r);
          LatencyTable t = LatencyTableFile.parse(tables.get(r), "rank " + r + "'s latency table");
          LatencyTableFile.write(file, t);
          pw.printf(Locale.ROOT, "wrote %s: %d entries, platform %s (rank %d)%n", file, t.entries().size(), t.name(),
              r);
        }
      } else {
        pw.printf(Locale.ROOT, "rank %d: profiled platform %s in %.1f s; rank 0 writes %s%n", collective.rank(),
            table.name(), (System.nanoTime() - start) / 1e9, rankFile(out, collective.rank()));
      }
      collective.barrier(); // no member leaves before rank 0 has written every table
      return 0;
    }
  }

  /** {@code dir/name.json} becomes {@code dir/name-rank<R>.json} (the suffix goes before the last extension). */
  static Path rankFile(Path out, int rank) {
    String f = out.getFileName().toString();
    int dot = f.lastIndexOf('.');
    String named = dot > 0 ? f.substring(0, dot) + "-rank" + rank + f.substring(dot) : f + "-rank" + rank;
    return out.resolveSibling(named);
  }
}
