package org.slimj.cli.bench;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slimj.bench.SandwichStep;
import org.slimj.bench.WidthList;
import org.slimj.cli.BackendOptions;
import org.slimj.engine.kernels.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./slimj bench train}: times one slimmable training step over a fixed list of widths on a
 * random batch (see {@link SandwichStep}) and prints images per second and milliseconds per step,
 * the median over repetitions after warm-up (in-process timing; JMH's SandwichStepBench is the
 * careful version). The JSON is LAYERS.md's {@code {"images_per_s": ..., "ms_per_step": ...}}.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = {
      "Time one slimmable training step (sandwich over fixed widths, one SGD step) on a random batch.",
      "Mode us: the widths run in the order given, the first on the labels, the others by inplace distillation.",
      "Mode sbn: switchable BN, every width on the labels, largest first."
    })
public final class TrainBenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BackendOptions backendOptions;

  @Option(names = "--model", paramLabel = "M", description = "Architecture (default: ${DEFAULT-VALUE}).")
  String model = "mobilenetv2";

  @Option(names = "--mode", paramLabel = "MODE", description = "us or sbn (default: ${DEFAULT-VALUE}).")
  String mode = "us";

  @Option(names = "--batch", description = "Images per step (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(names = "--input", paramLabel = "S", description = "Image height = width (default: ${DEFAULT-VALUE}).")
  int input = 32;

  @Option(names = "--in-channels", paramLabel = "C", description = "Image channels (default: ${DEFAULT-VALUE}).")
  int inChannels = 3;

  @Option(names = "--classes", paramLabel = "K", description = "Classes (default: ${DEFAULT-VALUE}).")
  int classes = 10;

  @Option(names = "--widths", paramLabel = "W,W,...", description = "Widths of one step, in order (default: ${DEFAULT-VALUE}).")
  String widths = "1.0,0.25,0.75,0.5";

  @Option(names = "--warmup", description = "Untimed steps first (default: ${DEFAULT-VALUE}).")
  int warmup = 2;

  @Option(names = "--reps", description = "Timed steps; the median is reported (default: ${DEFAULT-VALUE}).")
  int reps = 5;

  @Option(names = "--seed", description = "Seed of the weights and the batch (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--json", description = "Print {\"images_per_s\": ..., \"ms_per_step\": ...}.")
  boolean json;

  @Override
  public Integer call() {
    if (batch < 1 || input < 1 || inChannels < 1 || classes < 2 || warmup < 0 || reps < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "expected --batch >= 1, --input >= 1, --in-channels >= 1, --classes >= 2, --warmup >= 0, --reps >= 1;"
              + " found " + batch + ", " + input + ", " + inChannels + ", " + classes + ", " + warmup + ", " + reps);
    }
    double[] w;
    try {
      w = WidthList.parse(widths, "--widths");
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    SandwichStep.Settings settings;
    try {
      settings = new SandwichStep.Settings(model, mode, batch, input, inChannels, classes, w, seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Kernels k = backendOptions.choose().kernels();
    SandwichStep step;
    try {
      step = new SandwichStep(k, settings);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    double ms = LayerTimer.medianMillis(step::run, warmup, reps, 0);
    double imagesPerSecond = batch / (ms * 1e-3);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("images_per_s", Math.round(imagesPerSecond * 100) / 100.0);
      doc.put("ms_per_step", Math.round(ms * 100) / 100.0);
      out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(doc));
    } else {
      out.printf(Locale.ROOT, "%s, mode %s, batch %d of %dx%dx%d, widths %s, backend %s, %d thread(s)%n",
          model, mode, batch, inChannels, input, input, WidthList.format(w), k.name(), k.threads());
      out.printf(Locale.ROOT, "ms per step   %10.2f (median of %d)%n", ms, reps);
      out.printf(Locale.ROOT, "images per s  %10.2f%n", imagesPerSecond);
    }
    return 0;
  }
}
