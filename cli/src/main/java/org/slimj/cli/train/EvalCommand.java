package org.slimj.cli.train;

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
import org.slimj.datasets.Augment;
import org.slimj.datasets.Batcher;
import org.slimj.datasets.ImageDataset;
import org.slimj.datasets.Normalization;
import org.slimj.datasets.TrainTest;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.train.Calibrator;
import org.slimj.engine.train.Evaluator;
import org.slimj.engine.train.TrainingMode;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj eval}: test accuracy, loss, MACs and parameters of a checkpoint at several widths
 * or at a configuration, calibrating batch norm on training batches where the model needs it.
 */
@Command(
    name = "eval",
    mixinStandardHelpOptions = true,
    description = "Evaluate a checkpoint on the test set at several widths or one configuration.")
public final class EvalCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BackendOptions backend;

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A checkpoint written by train.")
  Path checkpoint;

  static final class Which {
    @Option(names = "--widths", paramLabel = "LIST", description = "Uniform widths (default: the model's width list).")
    String widths;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file with one channel count per slot (a search result takes FILE#LABEL or FILE#INDEX).")
    Path config;

    @Option(names = "--results", paramLabel = "FILE",
        description = "A search-result JSON (./slimj search ... --out FILE): evaluates every configuration in it.")
    Path results;
  }

  @ArgGroup(exclusive = true)
  Which which;

  @Option(names = "--data", paramLabel = "DIR|sample",
      description = "Data (default: as the checkpoint was trained: its --data, else the full set when installed, else the sample).")
  String data;

  @Option(names = "--calibrate-batches", paramLabel = "K",
      description = "Training batches for BN calibration per configuration; 0 uses the statistics tracked during training"
          + " (default: 16 for universal BN, 0 otherwise).")
  Integer calibrateBatches;

  @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--split", paramLabel = "test|val",
      description = "Evaluate on the test set or on the validation split held out of training (default: ${DEFAULT-VALUE}).")
  String split = "test";

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    if (batch < 1 || (calibrateBatches != null && calibrateBatches < 0)) {
      throw new IllegalArgumentException("expected --batch >= 1 and --calibrate-batches >= 0");
    }
    Checkpoint.Loaded l = Checkpoint.load(checkpoint);
    SlimModel model = l.model();
    RunRecord run = RunRecord.of(l, checkpoint);
    TrainingMode mode = run.requireMode();
    RunRecord.RunData rd = run.data(data);
    TrainTest tt = rd.data();
    Normalization norm = rd.normalization();
    long dataSeed = run.dataSeed();
    ImageDataset train = rd.train();
    int k = calibrateBatches != null ? calibrateBatches : (mode.needsCalibration() ? 16 : 0);
    Kernels kernels = backend.choose().kernels();

    ImageDataset evalSet = switch (split) {
      case "test" -> tt.test();
      case "val" -> {
        if (rd.validation() == null) {
          throw new IllegalArgumentException("--split val: the checkpoint was trained without a validation hold-out");
        }
        yield rd.validation();
      }
      default -> throw new IllegalArgumentException("--split: expected test or val, found '" + split + "'");
    };
    List<Target> targets = new ArrayList<>();
    if (which != null && which.config != null) {
      ChannelConfig c = ConfigFiles.read(which.config, l.spec());
      model.space().validate(c);
      targets.add(new Target(Double.NaN, "config", c));
    } else if (which != null && which.results != null) {
      for (ConfigFiles.Labeled c : ConfigFiles.readResults(which.results, l.spec())) {
        try {
          model.space().validate(c.config());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(which.results + ": result '" + c.label() + "': " + e.getMessage(), e);
        }
        targets.add(new Target(Double.NaN, c.label(), c.config()));
      }
    } else if (which == null && mode == TrainingMode.SINGLE && run.single() != null) {
      // a network trained alone: its own configuration, not the model's width list
      ChannelConfig cfg = run.single();
      model.space().validate(cfg);
      targets.add(new Target(Double.NaN, "trained configuration", cfg));
    } else {
      double[] ws = which != null && which.widths != null ? WidthOptions.parseList(which.widths, "--widths") : model.widthList();
      WidthOptions.atMost(ws, java.util.Arrays.stream(model.widthList()).max().orElse(1.0), "--widths");
      for (double w : ws) {
        targets.add(new Target(w, String.format(Locale.ROOT, "width %.2f", w), model.configAt(w)));
      }
    }
    if (!json) {
      o.println("checkpoint: " + checkpoint + " (" + l.spec() + ", mode " + mode.cliName() + ")");
      o.println("data: " + tt.description() + "; " + split + " set " + evalSet.count() + " images; calibration "
          + (k > 0 ? k + " training batches of " + batch : "none (statistics tracked during training)"));
    }
    List<Map<String, Object>> results = new ArrayList<>();
    for (Target t : targets) {
      ChannelConfig cfg = t.config();
      Batcher evalBatcher = Batcher.evaluation(evalSet, batch, norm);
      if (k > 0) {
        Batcher cal = Batcher.training(train, batch, Augment.NONE, norm, dataSeed ^ 0xCA11L, true);
        Calibrator.calibrate(model, kernels, cfg, BatcherSource.once(cal, k));
      } else {
        Batcher probe = Batcher.evaluation(evalSet, Math.min(batch, 8), norm);
        Calibrator.useTrainingStatistics(model, kernels, cfg, BatcherSource.once(probe, 1).iterator().next());
      }
      Evaluator.Result r = Evaluator.evaluate(model, kernels, cfg, BatcherSource.once(evalBatcher, Integer.MAX_VALUE));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("label", t.label());
      row.put("width", Double.isNaN(t.width()) ? null : t.width());
      row.put("config", cfg.toArray());
      row.put("accuracy", r.accuracy());
      row.put("loss", r.loss());
      row.put("macs", model.space().macs(cfg));
      row.put("params", model.space().params(cfg));
      results.add(row);
      if (!json) {
        o.printf(Locale.ROOT, "%-12s accuracy %6.2f%%  loss %.4f  MACs %8.2f M  params %.3f M%n",
            t.label(), 100 * r.accuracy(), r.loss(),
            model.space().macs(cfg) / 1e6, model.space().params(cfg) / 1e6);
      }
    }
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("split", split);
      doc.put("results", results);
      o.println(new GsonBuilder().serializeNulls().create().toJson(doc));
    }
    return 0;
  }

  private record Target(double width, String label, ChannelConfig config) {}
}
