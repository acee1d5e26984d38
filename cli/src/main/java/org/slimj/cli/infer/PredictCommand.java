package org.slimj.cli.infer;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slimj.cli.BackendOptions;
import org.slimj.cli.ConfigFiles;
import org.slimj.datasets.Batcher;
import org.slimj.datasets.ImageDataset;
import org.slimj.datasets.Normalization;
import org.slimj.datasets.TrainTest;
import org.slimj.engine.infer.ExportedPredictor;
import org.slimj.engine.infer.Prediction;
import org.slimj.engine.infer.Predictor;
import org.slimj.engine.infer.SlimPredictor;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj predict}: top-k classes of the first test images from an exported network or
 * from a checkpoint at a configuration or width, through the {@link Predictor} API.
 */
@Command(
    name = "predict",
    mixinStandardHelpOptions = true,
    description = "Predict the first test images with an exported network (--model) or a checkpoint (--checkpoint).")
public final class PredictCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BackendOptions backend;

  static final class Network {
    @Option(names = "--model", paramLabel = "DIR", description = "An exported network (written by export).")
    Path model;

    @Option(names = "--checkpoint", paramLabel = "FILE", description = "A checkpoint written by train.")
    Path checkpoint;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Network network;

  static final class Which {
    @Option(names = "--config", paramLabel = "FILE",
        description = "Configuration (checkpoint only): an array, {\"config\": [...]}, or a search result (FILE#LABEL).")
    String config;

    @Option(names = "--width", paramLabel = "W", description = "Uniform width (checkpoint only).")
    Double width;
  }

  @ArgGroup(exclusive = true)
  Which which;

  @Option(names = "--data", paramLabel = "DIR|sample",
      description = "Data (default: as the checkpoint or the exported network's checkpoint was trained).")
  String data;

  @Option(names = "--count", paramLabel = "N", description = "Test images to predict (default: ${DEFAULT-VALUE}).")
  int count = 10;

  @Option(names = "--top", paramLabel = "K", description = "Classes per image (default: ${DEFAULT-VALUE}).")
  int top = 3;

  @Option(names = "--batch", description = "Images per call and per calibration batch, as export's --batch"
      + " (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--calibrate-batches", paramLabel = "K",
      description = "Checkpoint with universal BN: training batches for calibration, 0 for the statistics tracked"
          + " during training (default: 16).")
  Integer calibrateBatches;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (count < 1 || top < 1 || batch < 1 || (calibrateBatches != null && calibrateBatches < 0)) {
      throw new IllegalArgumentException("expected --count >= 1, --top >= 1, --batch >= 1, --calibrate-batches >= 0");
    }
    Kernels kernels = backend.choose().kernels();
    Predictor p;
    ChannelConfig cfg;
    String dataOption;
    if (network.model != null) {
      if (which != null) {
        throw new IllegalArgumentException("--config and --width apply to --checkpoint; an exported network runs at"
            + " the configuration it was exported at");
      }
      ExportedPredictor e = Predictor.exported(network.model, kernels);
      p = e;
      cfg = null;
      Object opt = e.network().spec().source().get("data_option");
      dataOption = data != null ? data : opt instanceof String s ? s : "";
    } else {
      Checkpoint.Loaded l = Checkpoint.load(network.checkpoint);
      SlimPredictor s = SlimInputs.predictor(l, network.checkpoint, kernels, data, calibrateBatches, batch);
      p = s;
      cfg = which == null ? s.defaultConfig()
          : which.config != null ? ConfigFiles.read(Path.of(which.config), l.spec()) : s.configAt(which.width);
      cfg = s.prepare(cfg);
      dataOption = SlimInputs.dataOption(data, l, network.checkpoint);
    }
    if (top > p.classes()) {
      throw new IllegalArgumentException("--top: expected at most " + p.classes() + " classes, found " + top);
    }
    TrainTest tt = SlimInputs.data(dataOption);
    ImageDataset test = tt.test();
    float[][] norm = p.normalization();
    Normalization n = norm == null ? Normalization.identity(test.channels()) : Normalization.of(norm[0], norm[1]);
    Batcher b = Batcher.evaluation(test, Math.min(batch, count), n);
    b.startEpoch(0);
    List<Map<String, Object>> rows = new ArrayList<>();
    int correct = 0;
    long nanos = 0;
    PrintWriter o = spec.commandLine().getOut();
    if (!json) {
      o.println("data: " + tt.description() + (norm == null ? "; no normalization recorded, images used as is" : ""));
      o.printf(Locale.ROOT, "%6s  %-14s  %s%n", "image", "label", "top " + top + " (probability)");
    }
    while (rows.size() < count && b.next()) {
      int m = Math.min(b.size(), count - rows.size());
      Tensor x = Tensor.view(b.images(), 0, m, test.channels(), test.height(), test.width());
      long t0 = System.nanoTime();
      Prediction pr = cfg == null ? p.predict(x) : p.predict(x, cfg);
      nanos += System.nanoTime() - t0;
      for (int i = 0; i < m; i++) {
        int index = b.index(i);
        int label = b.labels()[i];
        int[] best = pr.topK(i, top);
        float[] prob = pr.probabilities(i);
        correct += best[0] == label ? 1 : 0;
        List<Map<String, Object>> tops = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int c : best) {
          Map<String, Object> t = new LinkedHashMap<>();
          t.put("class", c);
          t.put("name", name(test, c));
          t.put("probability", prob[c]);
          tops.add(t);
          line.append(String.format(Locale.ROOT, "%s (%.3f)  ", name(test, c), prob[c]));
        }
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("index", index);
        row.put("label", label);
        row.put("top", tops);
        rows.add(row);
        if (!json) {
          o.printf(Locale.ROOT, "%6d  %-14s  %s%n", index, name(test, label), line.toString().trim());
        }
      }
    }
    double accuracy = (double) correct / rows.size();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("config", cfg == null ? p.defaultConfig() == null ? null : p.defaultConfig().toArray() : cfg.toArray());
      doc.put("count", rows.size());
      doc.put("accuracy", accuracy);
      doc.put("predict_ms", nanos / 1e6);
      doc.put("results", rows);
      o.println(new GsonBuilder().disableHtmlEscaping().serializeNulls().create().toJson(doc));
    } else {
      o.printf(Locale.ROOT, "top-1 accuracy %.2f%% over %d images; %.3f ms in predict calls%n", 100 * accuracy,
          rows.size(), nanos / 1e6);
    }
    return 0;
  }

  private static String name(ImageDataset d, int c) {
    List<String> names = d.classNames();
    return c < names.size() ? names.get(c) : Integer.toString(c);
  }
}
