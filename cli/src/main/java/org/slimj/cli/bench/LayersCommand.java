package org.slimj.cli.bench;

import com.google.gson.GsonBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slimj.bench.LayerPass;
import org.slimj.bench.ReferenceLayer;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./slimj bench layers}: times slimj's slimmable layers on the reference layer set of
 * ../shared/perf/LAYERS.md at full and 50% width (the 50% run slices the full weight), forward and
 * forward + backward, batch 64, and prints median time and GFLOP/s per layer.
 */
@Command(
    name = "layers",
    mixinStandardHelpOptions = true,
    description = "Time the reference layers (LAYERS.md) at full and 50%% width, forward and forward+backward.")
public final class LayersCommand implements Callable<Integer> {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--json", description = "Print JSON in the format of ../shared/perf/LAYERS.md.")
  boolean json;

  @Option(names = "--threads", paramLabel = "T", description = "Worker threads (default: processors available).")
  Integer threads;

  @Option(names = "--backend", paramLabel = "B",
      description = "auto, scalar, vector, native, or all (every backend that runs here). Default: ${DEFAULT-VALUE}.")
  String backend = "auto";

  @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch = 64;

  @Option(names = "--reps", description = "Timed repetitions per measurement (default: ${DEFAULT-VALUE}).")
  int reps = 7;

  @Option(names = "--min-rep-seconds", description = "Minimum length of one repetition (default: ${DEFAULT-VALUE}).")
  double minRepSeconds = 0.2;

  @Override
  public Integer call() {
    java.io.PrintWriter out = spec.commandLine().getOut();
    if (batch < 1 || reps < 1 || !(minRepSeconds > 0)) {
      throw new IllegalArgumentException(
          "expected --batch >= 1, --reps >= 1, --min-rep-seconds > 0; found " + batch + ", " + reps + ", " + minRepSeconds);
    }
    int t = threads != null ? threads : Backends.defaultThreads();
    List<String> names = new ArrayList<>(List.of(backend));
    if (backend.equalsIgnoreCase("all")) {
      names = new ArrayList<>(List.of("scalar"));
      if (Backends.vectorAvailable()) {
        names.add("vector");
      }
      if (Backends.nativeAvailable()) {
        names.add("native");
      }
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (String name : names) {
      Backends.Choice choice = Backends.choose(name, t);
      System.err.println("slimj: " + choice.reason());
      for (ReferenceLayer layer : ReferenceLayer.ALL) {
        for (double frac : new double[] {1.0, 0.5}) {
          for (boolean withBackward : new boolean[] {false, true}) {
            results.add(measure(choice.kernels(), layer, frac, withBackward));
            if (!json) {
              Map<String, Object> r = results.get(results.size() - 1);
              out.printf(java.util.Locale.ROOT, "%-22s %4.2f %-7s %-17s %9.3f ms %8.1f GFLOP/s%n", r.get("layer"), frac,
                  r.get("backend"), r.get("pass"), r.get("median_ms"), r.get("gflops"));
            }
          }
        }
      }
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("results", results);
      out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(doc));
    }
    return 0;
  }

  private Map<String, Object> measure(Kernels k, ReferenceLayer layer, double frac, boolean withBackward) {
    LayerPass pass = new LayerPass(k, layer, frac, batch, withBackward, 7);
    double ms = LayerTimer.medianMillis(pass::run, 2, reps, minRepSeconds);
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("layer", layer.name());
    r.put("frac", frac);
    r.put("backend", k.name());
    r.put("threads", k.threads());
    r.put("pass", withBackward ? "forward_backward" : "forward");
    r.put("median_ms", Math.round(ms * 1e4) / 1e4);
    r.put("gflops", Math.round(pass.flops() / (ms * 1e-3) / 1e9 * 100) / 100.0);
    return r;
  }
}
