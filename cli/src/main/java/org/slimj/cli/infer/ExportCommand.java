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
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.slimj.cli.BackendOptions;
import org.slimj.cli.ConfigFiles;
import org.slimj.engine.export.ExportFiles;
import org.slimj.engine.export.Exporter;
import org.slimj.engine.infer.ExportedNetwork;
import org.slimj.engine.infer.ExportedPredictor;
import org.slimj.engine.infer.SlimPredictor;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.Slot;
import org.slimj.engine.tensor.Tensor;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj export}: a checkpoint at one configuration as a standalone network, weights
 * sliced and batch norm folded into the convolutions, written to {@code DIR/model.safetensors}
 * and {@code DIR/model.json}; then checked against the slimmable network on random images.
 */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Export a checkpoint at one configuration as a standalone network (weights sliced, batch norm folded):",
      "DIR/model.safetensors and DIR/model.json."
    })
public final class ExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BackendOptions backend;

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A checkpoint written by train.")
  Path checkpoint;

  static final class Which {
    @Option(names = "--config", paramLabel = "FILE",
        description = "JSON configuration: an array, {\"config\": [...]}, or one result of a search (FILE#LABEL).")
    String config;

    @Option(names = "--width", paramLabel = "W", description = "Uniform width (switchable BN: an entry of the width list).")
    Double width;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Which which;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory for the exported files.")
  Path out;

  @Option(names = "--data", paramLabel = "DIR|sample",
      description = "Data for BN calibration (default: as the checkpoint was trained).")
  String data;

  @Option(names = "--calibrate-batches", paramLabel = "K",
      description = "Training batches for universal-BN calibration; 0 uses the statistics tracked during training"
          + " (default: 16).")
  Integer calibrateBatches;

  @Option(names = "--batch", description = "Calibration batch size (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    if (batch < 1 || (calibrateBatches != null && calibrateBatches < 0)) {
      throw new IllegalArgumentException("expected --batch >= 1 and --calibrate-batches >= 0");
    }
    Kernels kernels = backend.choose().kernels();
    Checkpoint.Loaded l = Checkpoint.load(checkpoint);
    ModelSpec ms = l.spec();
    SlimModel model = l.model();
    SlimPredictor slim = SlimInputs.predictor(l, checkpoint, kernels, data, calibrateBatches, batch);
    ChannelConfig cfg = slim.prepare(which.config != null ? ConfigFiles.read(Path.of(which.config), l.spec())
        : slim.configAt(which.width));

    Map<String, Object> source = new LinkedHashMap<>();
    source.put("checkpoint", checkpoint.toAbsolutePath().toString());
    source.put("model", ms.toString());
    source.put("architecture", ms.architecture());
    org.slimj.engine.train.TrainingMode trained = org.slimj.cli.train.RunRecord.of(l, checkpoint).mode();
    source.put("mode", trained == null ? "" : trained.cliName());
    source.put("bn_statistics", SlimInputs.statistics(ms, calibrateBatches, batch));
    source.put("data_option", SlimInputs.dataOption(data, l, checkpoint));
    if (which.width != null) {
      source.put("width", Double.toString(which.width));
    }
    List<Object> slots = new ArrayList<>();
    for (Slot s : model.space().slots()) {
      slots.add(s.name());
    }
    source.put("slots", slots);
    Exporter.ExportedModel m = Exporter.export(model, cfg, ms.inChannels(), ms.inputSize(), slim.normalization(),
        source);
    ExportFiles.write(out, m);

    ExportedNetwork net = ExportedNetwork.load(out);
    ExportedPredictor exported = new ExportedPredictor(net, kernels);
    Tensor x = Tensor.zeros(4, ms.inChannels(), ms.inputSize(), ms.inputSize());
    SplittableRandom rng = new SplittableRandom(1);
    for (int i = 0; i < x.size(); i++) {
      x.set(i, (float) rng.nextGaussian());
    }
    float[] a = slim.predict(x, cfg).logits();
    float[] b = exported.predict(x).logits();
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < a.length; i++) {
      diff = Math.max(diff, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(a[i]));
    }
    if (diff > 1e-3 * Math.max(1, scale)) {
      throw new IllegalStateException("the exported network in " + out + " differs from the slimmable one: max |logit "
          + "difference| " + diff + " (largest logit " + scale + ")");
    }
    long params = m.tensors().values().stream().mapToLong(Tensor::size).sum();
    PrintWriter o = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("out", out.toString());
      doc.put("config", cfg.toArray());
      doc.put("layers", m.spec().layers().size());
      doc.put("tensors", m.tensors().size());
      doc.put("values", params);
      doc.put("macs", model.space().macs(cfg));
      doc.put("bn_statistics", source.get("bn_statistics"));
      doc.put("check_max_abs_diff", diff);
      doc.put("check_max_abs_logit", scale);
      o.println(new GsonBuilder().disableHtmlEscaping().create().toJson(doc));
    } else {
      o.printf(Locale.ROOT, "exported %s at %s to %s%n", ms.architecture(), cfg, out);
      o.printf(Locale.ROOT, "%d layers, %d tensors, %d values, %.3f M MACs per image; %s%n", m.spec().layers().size(),
          m.tensors().size(), params, model.space().macs(cfg) / 1e6, source.get("bn_statistics"));
      o.printf(Locale.ROOT, "check on 4 random images: max |logit difference| %.3g (largest logit %.3g)%n", diff,
          scale);
    }
    return 0;
  }
}
