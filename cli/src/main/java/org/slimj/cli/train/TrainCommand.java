package org.slimj.cli.train;

import com.google.gson.Gson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slimj.cli.BackendOptions;
import org.slimj.cli.DistributedOptions;
import org.slimj.cli.ConfigFiles;
import org.slimj.cli.ModelOptions;
import org.slimj.datasets.Batcher;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.OwsStrategy;
import org.slimj.engine.train.StepResult;
import org.slimj.engine.train.TrainingMode;
import org.slimj.engine.train.TrainingRun;
import org.slimj.engine.train.TrainingStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./slimj train}: trains a slimmable network with one of the methods, with checkpoints and resume. */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    description = "Train a slimmable network: sbn (switchable BN, width list), us (sandwich rule + inplace"
        + " distillation, universal BN), nonuniform (AutoSlim supernet), naive (shared BN), single (one configuration),"
        + " ows / aows (nonuniform plus OWS loss credits; aows samples near a cost budget), multiplatform,"
        + " joslim (per-layer widths chosen during training by GP surrogates).")
public final class TrainCommand implements Callable<Integer> {
  /** Modes whose configurations below the largest learn from its soft targets unless --no-distill. */
  private static final java.util.Set<TrainingMode> DISTILLING_MODES = java.util.EnumSet.of(TrainingMode.US,
      TrainingMode.NONUNIFORM, TrainingMode.OWS, TrainingMode.AOWS, TrainingMode.MULTIPLATFORM);

  @Spec CommandSpec spec;

  @Mixin BackendOptions backend;

  @Mixin ModelOptions modelOptions;

  @Mixin DataOptions dataOptions;

  @Mixin AdaptiveOptions adaptive;

  @Mixin JoslimOptions joslimOptions;

  @Mixin DistributedOptions distributed;

  @Option(names = "--mode", required = true, paramLabel = "M",
      description = "sbn, us, nonuniform, naive, single, ows, aows, multiplatform or joslim.")
  String mode;

  @Option(names = "--widths", paramLabel = "LIST",
      description = "Width list (default: 0.25,0.5,0.75,1.0 times --max-width; mobilenetv2: 0.35,0.5,0.75,1.0 as in"
          + " the slimmable papers).")
  String widths;

  @Option(names = "--width-range", paramLabel = "MIN:MAX", description = "Width range of us and nonuniform (default: the width list's min and max).")
  String widthRange;

  @Option(names = "--samples", description = "Widths per step for us and nonuniform: max, min and N-2 random (default: ${DEFAULT-VALUE}).")
  int samples = 4;

  @Option(names = "--groups", description = "Channel groups per layer for nonuniform (default: ${DEFAULT-VALUE}).")
  int groups = 10;

  @Option(names = "--width", paramLabel = "W", description = "single: train the uniform width W.")
  Double singleWidth;

  @Option(names = "--config", paramLabel = "FILE", description = "single: train the configuration in FILE (JSON; a search result takes FILE#LABEL or FILE#INDEX).")
  Path singleConfig;

  @Option(names = "--no-distill", description = "us, nonuniform, ows, aows, multiplatform: configurations below the max"
      + " learn from labels, not from the max's soft targets.")
  boolean noDistill;

  @Option(names = "--credit-sub-batch", paramLabel = "N", description = "ows, aows, multiplatform: images per sub-batch"
      + " of a random pass, each with its own configuration and loss credit (default: ${DEFAULT-VALUE}).")
  int creditSubBatch = TrainingMode.DEFAULT_CREDIT_SUB_BATCH;

  @Option(names = "--no-sandwich", description = "us: draw every width at random (no max/min), all on labels (ablation).")
  boolean noSandwich;

  @Option(names = "--epochs", description = "Epochs (default: ${DEFAULT-VALUE}).")
  int epochs = 1;

  @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--lr", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
  double lr = 0.05;

  @Option(names = "--schedule", description = "cosine, linear or constant (default: ${DEFAULT-VALUE}).")
  String schedule = "cosine";

  @Option(names = "--warmup", paramLabel = "FRACTION", description = "Linear warm-up as a fraction of all steps (default: ${DEFAULT-VALUE}).")
  double warmup = 0.05;

  @Option(names = "--momentum", description = "SGD momentum (default: ${DEFAULT-VALUE}).")
  double momentum = 0.9;

  @Option(names = "--no-nesterov", description = "Plain momentum instead of Nesterov.")
  boolean noNesterov;

  @Option(names = "--weight-decay", description = "L2 weight decay (default: ${DEFAULT-VALUE}).")
  double weightDecay = 1e-4;

  @Option(names = "--decay-all", description = "Also decay BN, bias and depthwise weights (the papers exclude them).")
  boolean decayAll;

  @Option(names = "--label-smoothing", description = "Label smoothing of labelled losses (default: ${DEFAULT-VALUE}).")
  float labelSmoothing = 0f;

  @Option(names = "--calibrate-batches", description = "Training batches for BN calibration before each validation (default: ${DEFAULT-VALUE}).")
  int calibrateBatches = 8;

  @Option(names = "--seed", description = "Seed of initialisation, order and sampling (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--out", paramLabel = "DIR", description = "Output directory (default: runs/<model>-<mode>).")
  Path out;

  @Option(names = "--resume", description = "Continue from DIR/checkpoint.safetensors.")
  boolean resume;

  @Option(names = "--no-progress", description = "No progress bar (one line per epoch; also the default when"
      + " standard error is not a terminal).")
  boolean noProgress;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    TrainingMode m = TrainingMode.parse(mode);
    if (epochs < 1 || batch < 1 || !(lr > 0 && lr < Double.POSITIVE_INFINITY) || !(warmup >= 0 && warmup <= 1) || samples < 2 || groups < 1 || calibrateBatches < 1
        || creditSubBatch < 1) {
      throw new IllegalArgumentException("expected --epochs >= 1, --batch >= 1, --lr > 0, 0 <= --warmup <= 1,"
          + " --samples >= 2, --groups >= 1, --calibrate-batches >= 1, --credit-sub-batch >= 1");
    }
    if (noDistill && !DISTILLING_MODES.contains(m)) {
      throw new IllegalArgumentException("--no-distill: mode " + m.cliName() + " has no inplace distillation to turn off"
          + " (it applies to us, nonuniform, ows, aows and multiplatform)");
    }
    double[] widthList = widths != null ? WidthOptions.parseList(widths, "--widths")
        : WidthOptions.defaultList(modelOptions.architecture(), modelOptions.maxWidth());
    double[] range = m == TrainingMode.JOSLIM ? JoslimOptions.range(widthRange)
        : widthRange != null ? WidthOptions.parseRange(widthRange)
        : new double[] {java.util.Arrays.stream(widthList).min().orElseThrow(), java.util.Arrays.stream(widthList).max().orElseThrow()};
    WidthOptions.atMost(widthList, modelOptions.maxWidth(), "--widths");
    if (m != TrainingMode.JOSLIM) {
      WidthOptions.atMost(range, modelOptions.maxWidth(), "--width-range");
    }
    if (singleWidth != null) {
      WidthOptions.atMost(new double[] {singleWidth}, modelOptions.maxWidth(), "--width");
    }
    ModelSpec mspec = modelOptions.spec(m.bn(), widthList);
    Path dir = out != null ? out : Path.of("runs", mspec.architecture() + "-" + m.cliName());
    Path ckpt = dir.resolve("checkpoint.safetensors");
    DataOptions.Splits data = dataOptions.load();
    o.println("data: " + data.description());
    if (data.train().channels() != mspec.inChannels() || data.train().height() != mspec.inputSize()) {
      throw new IllegalArgumentException("the data has " + data.train().channels() + "x" + data.train().height() + "x"
          + data.train().width() + " images; the model expects --in-channels " + mspec.inChannels() + " --input "
          + mspec.inputSize());
    }
    Kernels k = backend.choose().kernels();

    SlimModel model;
    Map<String, String> savedMeta = null;
    if (resume) {
      if (!Files.exists(ckpt)) {
        throw new IllegalArgumentException("--resume: no checkpoint at " + ckpt);
      }
      Checkpoint.Loaded l = Checkpoint.load(ckpt);
      if (!l.spec().equals(mspec)) {
        throw new IllegalArgumentException("--resume: " + ckpt + " holds " + l.spec() + ", but the options describe " + mspec);
      }
      model = l.model();
      savedMeta = l.metadata();
    } else {
      if (Files.exists(ckpt)) {
        throw new IllegalArgumentException(ckpt + " exists: continue it with --resume, or choose another --out");
      }
      model = mspec.build(new SplittableRandom(seed));
    }
    ChannelConfig single = null;
    if (m == TrainingMode.SINGLE) {
      single = singleConfig != null ? ConfigFiles.read(singleConfig, mspec) : model.uniform(singleWidth != null ? singleWidth : 1.0);
    }
    TrainingMode.Settings ts = new TrainingMode.Settings(range[0], range[1], samples, groups, labelSmoothing, !noDistill,
        !noSandwich, single, creditSubBatch);
    TrainingStrategy strategy = m == TrainingMode.JOSLIM
        ? joslimOptions.strategy(model, range[0], adaptive.cost, labelSmoothing, data, batch)
        : AdaptiveOptions.applies(m) ? adaptive.strategy(model, m, ts, epochs) : m.strategy(model, ts);

    List<Parameter> params = model.parameters();
    if (decayAll) {
      params = params.stream().map(p -> new Parameter(p.name(), p.tensor(), true)).toList();
    }
    Sgd sgd = new Sgd(params, momentum, !noNesterov, weightDecay);
    Batcher trainBatcher = Batcher.training(data.train(), batch, dataOptions.augment(), data.normalization(), seed, true);
    int perEpoch = trainBatcher.batchesPerEpoch();
    if (perEpoch < 1) {
      throw new IllegalArgumentException("--batch " + batch + " is larger than the " + data.train().count() + " training images");
    }
    if ((long) perEpoch * epochs > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("--epochs " + epochs + ": expected at most " + Integer.MAX_VALUE / perEpoch
          + " epochs of " + perEpoch + " steps (the step count must fit in 31 bits), found " + epochs);
    }
    int total = perEpoch * epochs;
    LrSchedule sched = new LrSchedule(lr, (int) Math.round(warmup * total), total, LrSchedule.Shape.parse(schedule));

    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(RunRecord.VERSION_KEY, Integer.toString(RunRecord.VERSION));
    meta.put("train.mode", m.cliName());
    meta.put("train.seed", Long.toString(seed));
    meta.put("train.batch", Integer.toString(batch));
    meta.put("train.lr", Double.toString(lr));
    meta.put("train.schedule", schedule);
    meta.put("train.warmup", Double.toString(warmup));
    meta.put("train.momentum", Double.toString(momentum));
    meta.put("train.nesterov", Boolean.toString(!noNesterov));
    meta.put("train.weight_decay", Double.toString(weightDecay));
    meta.put("train.decay_all", Boolean.toString(decayAll));
    meta.put("train.label_smoothing", Float.toString(labelSmoothing));
    meta.put("train.width_range", RunSettings.doubles(range));
    meta.put("train.samples", Integer.toString(samples));
    meta.put("train.groups", Integer.toString(groups));
    meta.put("train.distill", Boolean.toString(!noDistill));
    meta.put("train.sandwich", Boolean.toString(!noSandwich));
    meta.put("train.credit_sub_batch", Integer.toString(creditSubBatch));
    meta.put("train.single", single == null ? "" : java.util.Arrays.toString(single.toArray()));
    if (AdaptiveOptions.applies(m)) {
      meta.put("train.adaptive", adaptive.describe(m));
    }
    if (m == TrainingMode.JOSLIM) {
      meta.putAll(joslimOptions.metadata(range[0], adaptive.cost));
    }
    meta.put("data.option", dataOptions.dataOption() == null ? "" : dataOptions.dataOption());
    meta.put("data.description", data.description());
    meta.put("data.limit_train", dataOptions.limitTrain == null ? "" : Integer.toString(dataOptions.limitTrain));
    meta.put("data.val", Integer.toString(data.validation().count()));
    meta.put("data.seed", Long.toString(dataOptions.dataSeed));
    meta.put("data.crop_padding", Integer.toString(dataOptions.cropPadding));
    meta.put("data.flip", Boolean.toString(dataOptions.flip));
    meta.put("data.mean", RunSettings.floats(meanOf(data)));
    meta.put("data.std", RunSettings.floats(stdOf(data)));

    int fromEpoch = 0;
    long fromStep = 0;
    if (savedMeta != null) {
      String diff = RunSettings.differences(savedMeta, meta);
      if (!diff.isEmpty()) {
        throw new IllegalArgumentException("--resume: the options differ from the checkpoint's:" + diff);
      }
      long savedTotal = RunSettings.integer(savedMeta, "train.epochs", ckpt.toString(), 1, Integer.MAX_VALUE);
      if (savedTotal != epochs) {
        throw new IllegalArgumentException("--resume: the checkpoint's run has --epochs " + savedTotal + " (the schedule"
            + " depends on it), found " + epochs);
      }
      fromEpoch = (int) RunSettings.integer(savedMeta, "train.next_epoch", ckpt.toString(), 1, epochs);
      fromStep = RunSettings.integer(savedMeta, "train.step", ckpt.toString(), 0, total);
      if (fromStep != (long) fromEpoch * perEpoch) {
        throw new IllegalArgumentException(ckpt + ": checkpoint metadata train.step: expected " + (long) fromEpoch * perEpoch
            + " (train.next_epoch " + fromEpoch + " x " + perEpoch + " steps per epoch), found " + fromStep);
      }
      Checkpoint.loadOptimizer(ckpt, sgd);
      try {
        strategy.restore(savedMeta);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--resume: " + ckpt + ": " + e.getMessage(), e);
      }
      o.printf(Locale.ROOT, "resuming %s at epoch %d (step %d)%n", ckpt, fromEpoch + 1, fromStep);
      if (fromEpoch >= epochs) {
        MetricsLog.resume(dir.resolve("metrics.jsonl"), savedMeta, fromEpoch, ckpt.toString());
        o.println("the run is already complete");
        return 0;
      }
    }
    meta.put("train.epochs", Integer.toString(epochs));

    Files.createDirectories(dir);
    ValidationProbe probe = new ValidationProbe(model, k, m, ts, data, batch, calibrateBatches, seed);
    o.printf(Locale.ROOT, "model: %s, %.2f M params at max; MACs %s%n", mspec, model.space().params(model.space().max()) / 1e6,
        probe.describeCosts());
    o.printf(Locale.ROOT, "training: mode %s, %d epochs x %d steps, batch %d, lr %.4g %s (warm-up %d steps), seed %d%n",
        m.cliName(), epochs, perEpoch, batch, lr, schedule, sched.warmupSteps(), seed);
    o.flush();

    Path metrics = dir.resolve("metrics.jsonl");
    org.slimj.engine.io.AtomicFiles.removeStale(ckpt);
    MetricsLog log = savedMeta == null ? MetricsLog.start(metrics)
        : MetricsLog.resume(metrics, savedMeta, fromEpoch, ckpt.toString());
    Gson gson = new Gson();
    final int firstEpoch = fromEpoch;
    TrainingRun run = new TrainingRun(model, k, strategy, sgd, sched, seed);
    EpochStats stats = new EpochStats();
    ProgressBar[] bar = new ProgressBar[1];
    distributed.run(run, m, batch, new BatcherSource(trainBatcher), fromEpoch, epochs, fromStep, new TrainingRun.Listener() {
      @Override
      public void step(int epoch, long step, double stepLr, Batch b, StepResult r) {
        if (stats.images == 0) {
          stats.start(epoch);
          if (!noProgress && org.slimj.cli.Terminal.interactive()) {
            bar[0] = new ProgressBarBuilder().setTaskName(String.format(Locale.ROOT, "epoch %d/%d", epoch + 1, epochs))
                .setInitialMax(perEpoch).setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                .setMaxRenderedLength(120).continuousUpdate().build();
          }
        }
        stats.add(b.size(), r);
        if (bar[0] != null) {
          bar[0].step();
          bar[0].setExtraMessage(String.format(Locale.ROOT, "loss %.3f acc %.1f%% %.0f img/s", stats.meanLoss(),
              100 * stats.accuracy(), stats.imagesPerSecond()));
        }
      }

      @Override
      public void epochEnd(int epoch, long nextStep) {
        if (bar[0] != null) {
          bar[0].close();
          bar[0] = null;
        }
        double seconds = stats.seconds();
        Map<String, Double> val = probe.validate();
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("epoch", epoch + 1);
        row.put("step", nextStep);
        row.put("lr", sched.at((int) Math.max(0, nextStep - 1)));
        row.put("train_loss_max", stats.meanLoss());
        row.put("train_accuracy_max", stats.accuracy());
        row.put("images_per_s", stats.images / seconds);
        row.put("seconds", seconds);
        row.put("val_accuracy", val);
        String sampling = strategy instanceof OwsStrategy ows ? ows.sampler().describe() : "";
        if (!sampling.isEmpty()) {
          row.put("sampling", sampling);
          o.println("sampling: " + sampling);
        }
        Map<String, String> cm = new LinkedHashMap<>(meta);
        cm.put("train.next_epoch", Integer.toString(epoch + 1));
        cm.put("train.step", Long.toString(nextStep));
        cm.putAll(strategy.state());
        log.add(gson.toJson(row));
        cm.put(MetricsLog.KEY, log.metadataValue());
        try {
          Checkpoint.save(ckpt, mspec, model, sgd, cm);
          log.write();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        o.printf(Locale.ROOT, "epoch %d/%d: train loss %.4f, train acc %.2f%% (max width), %.1f img/s, %.1f s; validation %s%n",
            epoch + 1, epochs, stats.meanLoss(), 100 * stats.accuracy(), stats.images / seconds, seconds, formatVal(val));
        o.flush();
        stats.reset();
      }
    }, o);
    if (distributed.writes()) {
      o.println("checkpoint: " + ckpt + (firstEpoch > 0 ? " (resumed)" : ""));
      o.println("metrics: " + metrics);
    } else {
      o.println("rank " + distributed.spec().rank() + ": done; rank 0 wrote the checkpoint and metrics");
    }
    return 0;
  }

  private static String formatVal(Map<String, Double> v) {
    List<String> parts = new ArrayList<>();
    v.forEach((name, acc) -> parts.add(String.format(Locale.ROOT, "%s %.2f%%", name, 100 * acc)));
    return String.join(", ", parts);
  }

  private static float[] meanOf(DataOptions.Splits d) {
    float[] m = new float[d.normalization().channels()];
    for (int c = 0; c < m.length; c++) {
      m[c] = d.normalization().mean(c);
    }
    return m;
  }

  private static float[] stdOf(DataOptions.Splits d) {
    float[] s = new float[d.normalization().channels()];
    for (int c = 0; c < s.length; c++) {
      s[c] = d.normalization().std(c);
    }
    return s;
  }

  /** Running sums over one epoch. */
  private static final class EpochStats {
    long images;
    double lossSum;
    long correct;
    long t0;

    void start(int epoch) {
      t0 = System.nanoTime();
    }

    void add(int n, StepResult r) {
      images += n;
      lossSum += (double) r.losses()[0] * n;
      correct += r.firstCorrect();
    }

    double meanLoss() {
      return images == 0 ? 0 : lossSum / images;
    }

    double accuracy() {
      return images == 0 ? 0 : (double) correct / images;
    }

    double seconds() {
      return Math.max(1e-9, (System.nanoTime() - t0) / 1e9);
    }

    double imagesPerSecond() {
      return images / seconds();
    }

    void reset() {
      images = 0;
      lossSum = 0;
      correct = 0;
    }
  }
}
