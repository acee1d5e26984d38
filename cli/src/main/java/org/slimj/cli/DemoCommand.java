package org.slimj.cli;

import java.util.concurrent.Callable;
import org.slimj.engine.example.TinyExample;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The main job. For now: the first end-to-end run — a small universally slimmable CNN trained with
 * the sandwich rule on a seeded synthetic task, calibrated and evaluated at four widths.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Train a small slimmable CNN end to end (sandwich rule + inplace distillation) and"
        + " report its accuracy at several widths.")
public final class DemoCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Mixin BackendOptions backend;

  @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--steps", description = "Training steps (default: ${DEFAULT-VALUE}).")
  int steps = 300;

  @Override
  public Integer call() {
    java.io.PrintWriter out = spec.commandLine().getOut();
    if (steps < 1) {
      throw new IllegalArgumentException("--steps: expected at least 1, found " + steps);
    }
    var choice = backend.choose();
    TinyExample.Settings d = TinyExample.Settings.defaults(seed);
    var s = new TinyExample.Settings(seed, steps, d.batch(), d.lr(), d.images(), d.minWidth());
    out.printf(java.util.Locale.ROOT, "Training a slimmable SmallCnn on %d synthetic 12x12 images (4 classes), seed %d,"
        + " widths [%.2f, 1.0], sandwich rule with 4 widths per step%n", s.images(), seed, s.minWidth());
    TinyExample.Result r = TinyExample.run(s, choice.kernels(), out::println);
    out.println();
    out.println("width  channels        train accuracy  train loss  held-out accuracy");
    for (TinyExample.WidthResult w : r.widths()) {
      out.printf(java.util.Locale.ROOT, "%5.2f  %-14s  %14.2f%%  %10.4f  %16.2f%%%n", w.width(), w.config(), 100 * w.accuracy(), w.loss(),
          100 * w.heldOutAccuracy());
    }
    out.printf(java.util.Locale.ROOT, "%nwall time %.1f s on backend %s with %d thread(s)%n", r.seconds(),
        choice.kernels().name(), choice.kernels().threads());
    return 0;
  }
}
