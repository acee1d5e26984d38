package org.slimj.cli.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slimj.cli.BackendOptions;
import org.slimj.cli.train.BatcherSource;
import org.slimj.cli.DistributedOptions;
import org.slimj.datasets.Augment;
import org.slimj.datasets.Batcher;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.train.Batch;
import org.slimj.search.cost.CostModel;
import org.slimj.search.cost.CostSpecs;
import org.slimj.search.cost.MacsCost;
import org.slimj.search.cost.ParamsCost;
import org.slimj.search.greedy.BatchStatisticsEvaluator;
import org.slimj.search.greedy.CachingEvaluator;
import org.slimj.search.greedy.CalibratedEvaluator;
import org.slimj.search.greedy.ErrorEvaluator;
import org.slimj.search.greedy.FarmedEvaluator;
import org.slimj.search.greedy.GreedySlimming;
import org.slimj.search.greedy.GreedyTrajectory;
import org.slimj.search.io.FoundConfig;
import org.slimj.search.io.SearchResultFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj search greedy}: AutoSlim's greedy slimming (arXiv 1903.11728, §3.3) of a trained
 * supernet on held-out validation images, writing the common search-result JSON with the whole
 * greedy path.
 */
@Command(
    name = "greedy",
    mixinStandardHelpOptions = true,
    description = "AutoSlim greedy slimming: from the max configuration, repeatedly remove one channel group from the"
        + " slot whose removal loses least validation accuracy, recording a configuration as each target is crossed.")
public final class GreedyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BackendOptions backend;

  /** {@code --workers/--rank}: each step's candidates spread over workers (every worker runs this command). */
  @Mixin DistributedOptions distributed;

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A supernet checkpoint written by train.")
  Path checkpoint;

  @Option(names = "--cost", paramLabel = "SPEC", description = "Cost the targets constrain: macs, params, ... (default: ${DEFAULT-VALUE}).")
  String cost = "macs";

  @Option(names = "--also-cost", paramLabel = "SPEC",
      description = "A further cost (repeatable, e.g. latency:TABLE of another platform) whose --targets (fractions) are"
          + " met along the same greedy path: the path depends on the errors alone, --cost only breaks ties.")
  List<String> alsoCosts = new ArrayList<>();

  @Option(names = "--targets", paramLabel = "LIST",
      description = "Targets as fractions of the max configuration's cost (default: ${DEFAULT-VALUE}).")
  String targets = "0.75,0.5,0.25";

  @Option(names = "--targets-absolute", paramLabel = "LIST", description = "Targets in the cost's unit (replaces --targets).")
  String targetsAbsolute;

  @Option(names = "--groups", paramLabel = "G", description = "Channel groups per slot (default: the checkpoint's, else 10).")
  Integer groups;

  @Option(names = "--min-group", paramLabel = "M",
      description = "Smallest group a slot may keep (default: the smallest group a nonuniform supernet was trained on, else 1).")
  Integer minGroup;

  @Option(names = "--batch", paramLabel = "N", description = "Validation images in the one search batch (default: ${DEFAULT-VALUE}).")
  int batch = 1000;

  @Option(names = "--evaluator", paramLabel = "E",
      description = "batch: BN statistics of the search batch itself (AutoSlim); calibrated: calibrate BN on training"
          + " batches, then evaluate (default: ${DEFAULT-VALUE}).")
  String evaluator = "batch";

  @Option(names = "--calibrate-batches", paramLabel = "K",
      description = "calibrated: training batches of 128 for BN calibration per configuration (default: ${DEFAULT-VALUE}).")
  int calibrateBatches = 16;

  @Option(names = "--data", paramLabel = "DIR|sample", description = "Data (default: as the checkpoint was trained).")
  String data;

  @Option(names = "--val", paramLabel = "N",
      description = "Validation images held out of training; must equal the checkpoint's (default: the checkpoint's).")
  Integer val;

  @Option(names = "--seed", paramLabel = "S", description = "Seed choosing the search batch among the validation images (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Result JSON to write.")
  Path out;

  @Option(names = "--json", description = "Print the result JSON.")
  boolean json;

  @Option(names = "--no-progress", description = "No progress lines on standard error.")
  boolean noProgress;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (batch < 2 || calibrateBatches < 1) {
      throw new IllegalArgumentException("expected --batch >= 2 and --calibrate-batches >= 1, found " + batch + ", "
          + calibrateBatches);
    }
    if (targetsAbsolute != null && spec.commandLine().getParseResult().hasMatchedOption("--targets")) {
      throw new IllegalArgumentException("give either --targets (fractions of the max cost) or --targets-absolute, not both");
    }
    boolean calibrated = switch (evaluator.trim().toLowerCase(Locale.ROOT)) {
      case "batch" -> false;
      case "calibrated" -> true;
      default -> throw new IllegalArgumentException("--evaluator: expected batch or calibrated, found '" + evaluator + "'");
    };
    CostModel costModel = CostSpecs.parse(cost);
    CheckpointData d = CheckpointData.load(checkpoint, data);
    if (val != null && val != d.validation().count()) {
      throw new IllegalArgumentException("--val " + val + ": the checkpoint held out " + d.validation().count()
          + " validation images; another split would put training images in the search batch");
    }
    SlimModel model = d.model();
    ChannelSpace space = model.space();
    org.slimj.cli.train.RunRecord run = org.slimj.cli.train.RunRecord.of(d.loaded(), d.checkpoint());
    int g = groups != null ? groups : run.groups() > 0 ? run.groups() : 10;
    int mg = minGroup != null ? minGroup : run.trainedMinGroup(g);
    double maxCost = costModel.cost(space, space.max());
    List<GreedySlimming.Target> ts = targets(costModel, maxCost);

    Backends.Choice choice = backend.choose();
    Batch searchBatch = d.validationBatch(batch, seed);
    ErrorEvaluator base;
    String scoreName;
    if (calibrated) {
      Batcher cal = Batcher.training(d.train(), 128, Augment.NONE, d.normalization(), seed ^ 0xCA11L, true);
      base = new CalibratedEvaluator(model, choice.kernels(), BatcherSource.once(cal, calibrateBatches), List.of(searchBatch));
      scoreName = "val_top1_error_calibrated";
    } else {
      base = new BatchStatisticsEvaluator(model, choice.kernels(), searchBatch);
      scoreName = "val_top1_error_batch_bn";
    }
    // without --workers the resource is null (try-with-resources skips it); on failure no barrier is waited for
    try (Collective collective = distributed.enabled() ? distributed.join(err) : null) {
      FarmedEvaluator farm = collective == null ? null : new FarmedEvaluator(base, collective);
      CachingEvaluator eval = new CachingEvaluator(farm == null ? base : farm);
      if (!alsoCosts.isEmpty() && targetsAbsolute != null) {
        throw new IllegalArgumentException("--also-cost takes relative --targets, not --targets-absolute");
      }
      List<GreedySlimming.AlsoTargets> also = new ArrayList<>();
      for (String a : alsoCosts) {
        CostModel m = CostSpecs.parse(a);
        also.add(new GreedySlimming.AlsoTargets(m, targets(m, m.cost(space, space.max()))));
      }
      GreedySlimming search = new GreedySlimming(space, costModel, ts, g, mg, List.of(new MacsCost(), new ParamsCost()),
          scoreName, also);
      if (!noProgress) {
        err.printf(Locale.ROOT, "greedy: %s; %d slots, %d groups (min %d); %s max %.6g %s; search batch %d images%n",
            d.description(), space.slots().size(), g, mg, costModel.name(), maxCost, costModel.unit(), searchBatch.size());
        err.flush();
      }
      long t0 = System.nanoTime();
      GreedySlimming.Result r = search.run(eval, (s, maxSteps) -> {
        if (noProgress) {
          return;
        }
        String what = s.slot() < 0 ? "max configuration"
            : String.format(Locale.ROOT, "%s -> %d", space.slots().get(s.slot()).name(), s.config().get(s.slot()));
        err.printf(Locale.ROOT, "step %d/%d: %s, %s %.6g (%.1f%%), error %.2f%%, %d candidates, %.1f s%n", s.step(),
            maxSteps, what, costModel.name(), s.cost(), 100 * s.cost() / maxCost, 100 * s.error(), s.candidates(),
            (System.nanoTime() - t0) / 1e9);
        err.flush();
      });
      double seconds = (System.nanoTime() - t0) / 1e9;

      Map<String, Object> settings = new LinkedHashMap<>();
      settings.put("checkpoint", checkpoint.toString());
      settings.put("training_mode", d.mode().cliName());
      settings.put("cost", costModel.name());
      settings.put("cost_unit", costModel.unit());
      settings.put("max_cost", maxCost);
      settings.put("targets", ts.stream().map(GreedySlimming.Target::budget).toList());
      settings.put("targets_relative", targetsAbsolute == null);
      settings.put("also_costs", also.stream().map(a -> a.cost().name()).toList());
      settings.put("groups", g);
      settings.put("min_group", mg);
      settings.put("evaluator", calibrated ? "calibrated" : "batch");
      if (calibrated) {
        settings.put("calibrate_batches", calibrateBatches);
      }
      settings.put("search_batch", searchBatch.size());
      settings.put("seed", seed);
      settings.put("data", d.description());
      settings.put("backend", choice.reason());
      settings.put("evaluations", eval.evaluations());
      settings.put("seconds", seconds);
      settings.put("workers", collective == null ? 1 : collective.size());
      settings.put("tie_break", "lowest error, then lowest cost after the step, then lowest slot index");
      Map<String, Object> doc = SearchResultFile.document("autoslim-greedy", d.loaded().spec().toMetadata(), settings,
          space, r.found());
      doc.put("unreached", r.unreached().stream().map(GreedySlimming.Target::label).toList());
      doc.put("trajectory", GreedyTrajectory.rows(space, r.trajectory()));
      if (collective != null && collective.rank() != 0) {
        o.printf(Locale.ROOT, "rank %d: greedy slimming done (%d of %d evaluations here); rank 0 writes %s%n",
            collective.rank(), farm.evaluatedHere(), eval.evaluations(), out);
        collective.barrier();
        return 0;
      }
      SearchResultFile.write(out, doc);

      if (json) {
        o.println(SearchResultFile.toJson(doc));
      } else {
        o.printf(Locale.ROOT, "greedy slimming of %s: %d steps, %d evaluations, %.1f s%n", checkpoint,
            r.trajectory().size() - 1, eval.evaluations(), seconds);
        for (FoundConfig f : r.found()) {
          o.printf(Locale.ROOT, "%-16s %-28s %s %.6g (%.1f%% of max)  MACs %.3f M  params %.4f M  val error %.2f%%%n",
              f.label(), Arrays.toString(f.config().toArray()), costModel.name(), f.costs().get(costModel.name()),
              100 * f.costs().get(costModel.name()) / maxCost, f.costs().get("macs") / 1e6, f.costs().get("params") / 1e6,
              100 * f.score());
        }
        for (GreedySlimming.Target t : r.unreached()) {
          o.println(t.label() + ": not reached (every slot is at its minimum group)");
        }
        o.println("result: " + out);
      }
      if (collective != null) {
        collective.barrier(); // no member leaves before rank 0 has written the result
      }
      return 0;
    }
  }

  /** The targets, sorted in descending order, labelled relative ({@code macs<=0.5x}) or absolute. */
  private List<GreedySlimming.Target> targets(CostModel costModel, double maxCost) {
    boolean absolute = targetsAbsolute != null;
    String list = absolute ? targetsAbsolute : targets;
    String option = absolute ? "--targets-absolute" : "--targets";
    List<double[]> values = new ArrayList<>();
    for (String part : list.split(",")) {
      String p = part.trim();
      double v;
      try {
        v = Double.parseDouble(p);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + ": expected numbers separated by commas, found '" + p + "'", e);
      }
      if (!(v > 0) || Double.isInfinite(v)) {
        throw new IllegalArgumentException(option + ": expected positive targets, found " + p);
      }
      values.add(new double[] {v});
    }
    values.sort((a, b) -> Double.compare(b[0], a[0]));
    List<GreedySlimming.Target> out = new ArrayList<>();
    for (double[] v : values) {
      out.add(absolute ? GreedySlimming.Target.atMost(costModel.name(), v[0])
          : new GreedySlimming.Target(String.format(Locale.ROOT, "%s<=%sx", costModel.name(), trim(v[0])), v[0] * maxCost));
    }
    return out;
  }

  private static String trim(double v) {
    String s = Double.toString(v);
    return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
  }

  private static int parseIntOr(String s, int fallback) {
    return s == null || s.isBlank() ? fallback : Integer.parseInt(s.trim());
  }
}
