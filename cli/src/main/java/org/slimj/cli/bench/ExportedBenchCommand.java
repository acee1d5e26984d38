package org.slimj.cli.bench;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.slimj.cli.BackendOptions;
import org.slimj.engine.infer.ExportedPredictor;
import org.slimj.engine.infer.Predictor;
import org.slimj.engine.infer.SlimPredictor;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./slimj bench exported}: times one predict call of an exported network (batch norm
 * folded, bias and activation fused) against the slimmable network of its checkpoint at the same
 * configuration, in one run, both through the {@link Predictor} API on the same random images:
 * repetitions alternate between the two (so both see the same machine load) and the speed-up is
 * the median of the per-repetition ratios. Universal BN uses the statistics tracked during training
 * (values do not matter for timing).
 */
@Command(
    name = "exported",
    mixinStandardHelpOptions = true,
    description = "Time an exported network against its slimmable checkpoint at the same configuration.")
public final class ExportedBenchCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin BackendOptions backendOptions;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "The exported network.")
  Path model;

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "The checkpoint it came from.")
  Path checkpoint;

  @Option(names = "--batch", description = "Images per call (default: ${DEFAULT-VALUE}).")
  int batch = 1;

  @Option(names = "--warmup", description = "Untimed calls of each first (default: ${DEFAULT-VALUE}).")
  int warmup = 20;

  @Option(names = "--reps", description = "Timed repetitions of each, alternating (default: ${DEFAULT-VALUE}).")
  int reps = 9;

  @Option(names = "--min-rep-seconds", description = "Minimum length of one repetition (default: ${DEFAULT-VALUE}).")
  double minRepSeconds = 0.25;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (batch < 1 || warmup < 0 || reps < 1 || !(minRepSeconds >= 0)) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "expected --batch >= 1, --warmup >= 0, --reps >= 1, --min-rep-seconds >= 0");
    }
    Kernels k = backendOptions.choose().kernels();
    ExportedPredictor exported = Predictor.exported(model, k);
    Checkpoint.Loaded l = Checkpoint.load(checkpoint);
    SlimPredictor slim = new SlimPredictor(l.model(), l.spec().inChannels(), l.spec().inputSize(), k, null,
        SlimPredictor.Calibration.TRAINING_STATISTICS);
    if (exported.defaultConfig() == null) {
      throw new IllegalArgumentException(model + ": the exported network records no source configuration");
    }
    ChannelConfig cfg = slim.prepare(exported.defaultConfig());
    int[] s = exported.inputShape();
    Tensor x = Tensor.zeros(batch, s[0], s[1], s[2]);
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < x.size(); i++) {
      x.set(i, (float) rng.nextGaussian());
    }
    for (int i = 0; i < warmup; i++) {
      slim.predict(x, cfg);
      exported.predict(x);
    }
    double[] a = new double[reps];
    double[] b = new double[reps];
    double[] ratio = new double[reps];
    for (int r = 0; r < reps; r++) {
      a[r] = LayerTimer.medianMillis(() -> slim.predict(x, cfg), 1, 1, minRepSeconds);
      b[r] = LayerTimer.medianMillis(() -> exported.predict(x), 1, 1, minRepSeconds);
      ratio[r] = a[r] / b[r];
    }
    double slimBest = median(a);
    double exportedMs = median(b);
    double speedup = median(ratio);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("config", cfg.toArray());
      doc.put("batch", batch);
      doc.put("backend", k.name());
      doc.put("threads", k.threads());
      doc.put("slimmable_median_ms", round(slimBest));
      doc.put("exported_median_ms", round(exportedMs));
      doc.put("speedup", round(speedup));
      out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(doc));
    } else {
      out.printf(Locale.ROOT, "batch %d at %s, backend %s, %d thread(s)%n", batch, cfg, k.name(), k.threads());
      out.printf(Locale.ROOT, "slimmable %.4f ms, exported %.4f ms per call: exported is %.2fx as fast%n", slimBest,
          exportedMs, speedup);
    }
    return 0;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    java.util.Arrays.sort(s);
    return s.length % 2 == 1 ? s[s.length / 2] : 0.5 * (s[s.length / 2 - 1] + s[s.length / 2]);
  }

  private static double round(double v) {
    return Math.round(v * 1e4) / 1e4;
  }
}
