package org.slimj.cli.bench;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slimj.bench.WidthInference;
import org.slimj.bench.WidthList;
import org.slimj.cli.BackendOptions;
import org.slimj.engine.kernels.Kernels;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./slimj bench infer}: times inference (evaluation mode, no tape) of one slimmable network
 * at each width, median milliseconds per call. Batch norm uses statistics calibrated once per width
 * on random images before timing (see {@link WidthInference}); the timing excludes calibration.
 * The JSON is LAYERS.md's {@code {"results": [{"width": ..., "median_ms": ...}, ...]}}.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Time inference of one network at several widths (batch norm calibrated once per width on random",
      "images before timing)."
    })
public final class InferBenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BackendOptions backendOptions;

  @Option(names = "--model", paramLabel = "M", description = "Architecture (default: ${DEFAULT-VALUE}).")
  String model = "mobilenetv2";

  @Option(names = "--batch", description = "Images per call (default: ${DEFAULT-VALUE}).")
  int batch = 1;

  @Option(names = "--input", paramLabel = "S", description = "Image height = width (default: ${DEFAULT-VALUE}).")
  int input = 32;

  @Option(names = "--in-channels", paramLabel = "C", description = "Image channels (default: ${DEFAULT-VALUE}).")
  int inChannels = 3;

  @Option(names = "--classes", paramLabel = "K", description = "Classes (default: ${DEFAULT-VALUE}).")
  int classes = 10;

  @Option(names = "--widths", paramLabel = "W,W,...", description = "Widths to time (default: ${DEFAULT-VALUE}).")
  String widths = "0.35,0.5,0.75,1.0";

  @Option(names = "--warmup", description = "Untimed calls per width first (default: ${DEFAULT-VALUE}).")
  int warmup = 5;

  @Option(names = "--reps", description = "Timed repetitions per width (default: ${DEFAULT-VALUE}).")
  int reps = 7;

  @Option(names = "--min-rep-seconds", description = "Minimum length of one repetition (default: ${DEFAULT-VALUE}).")
  double minRepSeconds = 0.25;

  @Option(names = "--seed", description = "Seed of the weights and the inputs (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--json", description = "Print {\"results\": [{\"width\": ..., \"median_ms\": ...}, ...]}.")
  boolean json;

  @Override
  public Integer call() {
    if (batch < 1 || input < 1 || inChannels < 1 || classes < 2 || warmup < 0 || reps < 1 || !(minRepSeconds >= 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "expected --batch >= 1, --input >= 1, --in-channels >= 1, --classes >= 2, --warmup >= 0, --reps >= 1,"
              + " --min-rep-seconds >= 0; found " + batch + ", " + input + ", " + inChannels + ", " + classes + ", "
              + warmup + ", " + reps + ", " + minRepSeconds);
    }
    double[] w;
    try {
      w = WidthList.parse(widths, "--widths");
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    Kernels k = backendOptions.choose().kernels();
    WidthInference inference;
    try {
      inference = new WidthInference(k, model, input, inChannels, classes, batch, w, seed);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (!json) {
      out.printf(Locale.ROOT, "%s inference, batch %d of %dx%dx%d, backend %s, %d thread(s), BN calibrated on random"
          + " images%n", model, batch, inChannels, input, input, k.name(), k.threads());
      out.printf(Locale.ROOT, "%7s %12s %12s%n", "width", "median ms", "images/s");
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      int index = i;
      double ms = LayerTimer.medianMillis(() -> inference.run(index), warmup, reps, minRepSeconds);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("width", w[i]);
      r.put("median_ms", Math.round(ms * 1e4) / 1e4);
      results.add(r);
      if (!json) {
        out.printf(Locale.ROOT, "%7.3f %12.4f %12.1f%n", w[i], ms, batch / (ms * 1e-3));
      }
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("results", results);
      out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(doc));
    }
    return 0;
  }
}
