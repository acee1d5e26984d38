package org.slimj.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slimj.cli.demo.DemoPipeline;
import org.slimj.cli.demo.DemoSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The main job: train a slimmable network briefly, profile this machine's platforms, search per-layer
 * channel counts for them (greedy and dynamic programming), evaluate, and write a report.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
        "The main job, end to end: trains a slimmable MobileNet v1 (AutoSlim/OWS nonuniform supernet) on Fashion-MNIST"
            + " (the full set when installed, else the embedded sample), measures latency tables for several platforms"
            + " of this machine, searches channel configurations with AutoSlim greedy slimming and OWS dynamic"
            + " programming under MACs and latency budgets, evaluates them against uniform widths, and writes"
            + " DIR/report.md with SVG plots and every result as JSON.",
        "Each step is an ordinary slimj command; the report lists them so any step can be rerun alone."})
public final class DemoCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: ${DEFAULT-VALUE}).")
  Path out = Path.of("runs", "demo");

  @Option(names = "--data", paramLabel = "DIR|sample",
      description = "Fashion-MNIST directory or 'sample' (default: the full set when installed, else the sample).")
  String data;

  @Option(names = "--seed", description = "Seed of training and searches (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--epochs", description = "Training epochs (default: enough to see about 40,000 images, 2 to 15).")
  Integer epochs;

  @Option(names = "--quick", description = "A minute-long smoke run: little training, coarse profiles (for tests).")
  boolean quick;

  @Option(names = "--backend", paramLabel = "B",
      description = "Kernel backend of training, searches and evaluations: auto, scalar, vector or native (the platform"
          + " profiles use their own).")
  String backend;

  @Option(names = "--threads", paramLabel = "T",
      description = "Worker threads of training, searches and evaluations (the platform profiles use their own).")
  Integer threads;

  @Option(names = "--no-progress", description = "No progress bars (one line per epoch; also the default when standard"
      + " error is not a terminal).")
  boolean noProgress;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (epochs != null && epochs < 1) {
      throw new IllegalArgumentException("--epochs: expected at least 1, found " + epochs);
    }
    DemoSettings s = quick ? DemoSettings.quick(out, data, seed) : DemoSettings.full(out, data, seed, epochs);
    if (threads != null && threads < 1) {
      throw new IllegalArgumentException("--threads: expected at least 1, found " + threads);
    }
    java.util.List<String> compute = new java.util.ArrayList<>();
    if (backend != null) {
      compute.addAll(java.util.List.of("--backend", backend));
    }
    if (threads != null) {
      compute.addAll(java.util.List.of("--threads", Integer.toString(threads)));
    }
    Path report = new DemoPipeline(s, err, compute, noProgress).run();
    o.println("report: " + report);
    return 0;
  }
}
