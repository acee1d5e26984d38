package org.slimj.cli.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.slimj.cli.BackendOptions;
import org.slimj.cli.train.BatcherSource;
import org.slimj.cli.train.RunSettings;
import org.slimj.datasets.Batcher;
import org.slimj.datasets.FashionMnist;
import org.slimj.datasets.TrainTest;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.train.Evaluator;
import org.slimj.search.cost.CostModel;
import org.slimj.search.cost.CostSpecs;
import org.slimj.search.cost.MacsCost;
import org.slimj.search.cost.ParamsCost;
import org.slimj.search.io.FoundConfig;
import org.slimj.search.io.SearchResultFile;
import org.slimj.search.joslim.AcquisitionOptimizer;
import org.slimj.search.joslim.CostRatio;
import org.slimj.search.joslim.GpFitter;
import org.slimj.search.joslim.JoslimFront;
import org.slimj.search.joslim.JoslimHistory;
import org.slimj.search.joslim.ParetoFront;
import org.slimj.search.joslim.WidthEncoding;
import org.slimj.search.joslim.WidthProposer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj search joslim-front}: the Pareto front of a Joslim run. The candidates are the
 * visited configurations in the first {@code --layers} non-dominated layers of (stored held-out
 * loss, cost) plus the smallest and full ones; each is BN-calibrated on training batches and scored on the validation split held out of
 * training (never the test set, unless {@code --report-test} asks to report it too).
 */
@Command(
    name = "joslim-front",
    mixinStandardHelpOptions = true,
    description = "Pareto front of the configurations a 'train --mode joslim' run visited, scored on the validation split.")
public final class JoslimFrontCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BackendOptions backend;

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE", description = "A checkpoint of a joslim run.")
  Path checkpoint;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the search-result JSON.")
  Path out;

  @Option(names = "--data", paramLabel = "DIR|sample", description = "Data (default: as the checkpoint was trained).")
  String data;

  @Option(names = "--calibrate-batches", paramLabel = "K", description = "Training batches for BN calibration per configuration (default: ${DEFAULT-VALUE}).")
  int calibrateBatches = 16;

  @Option(names = "--batch", description = "Batch size (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--layers", paramLabel = "L",
      description = "Successive non-dominated layers of (stored loss, cost) taken as candidates (default: ${DEFAULT-VALUE}).")
  int layers = 3;

  @Option(names = "--report-test", description = "Also report each member's test accuracy (not used to choose anything).")
  boolean reportTest;

  @Option(names = "--json", description = "Print the result JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    if (batch < 1 || calibrateBatches < 1 || layers < 1) {
      throw new IllegalArgumentException("expected --batch >= 1, --calibrate-batches >= 1 and --layers >= 1, found "
          + batch + ", " + calibrateBatches + ", " + layers);
    }
    String src = checkpoint.toString();
    Checkpoint.Loaded l = Checkpoint.load(checkpoint);
    Map<String, String> meta = l.metadata();
    org.slimj.cli.train.RunRecord run = org.slimj.cli.train.RunRecord.of(l, checkpoint);
    if (run.mode() != org.slimj.engine.train.TrainingMode.JOSLIM) {
      throw new IllegalArgumentException(src + ": expected a checkpoint of 'train --mode joslim', found mode "
          + (run.mode() == null ? "none" : run.mode().cliName()));
    }
    if (Double.isNaN(run.joslimLower()) || run.joslimCost().isEmpty()) {
      throw new IllegalArgumentException(src + ": checkpoint metadata has no train.joslim_lower or train.joslim_cost");
    }
    SlimModel model = l.model();
    JoslimHistory history = JoslimHistory.fromJson(RunSettings.get(meta, JoslimHistory.METADATA_KEY, src), src);
    double lower = run.joslimLower();
    CostModel cost = CostSpecs.parse(run.joslimCost());
    WidthProposer proposer = new WidthProposer(new WidthEncoding(model.space(), lower), new CostRatio(cost, model.space()),
        0, GpFitter.DEFAULT, AcquisitionOptimizer.DEFAULT);
    List<JoslimFront.Candidate> cands = JoslimFront.candidates(history, proposer, layers);

    CheckpointData d = CheckpointData.of(checkpoint, l, data);
    // the test set only for --report-test (never used to choose); CheckpointData does not offer it
    TrainTest tt = reportTest ? FashionMnist.resolve(Optional.ofNullable(data != null ? data
        : run.dataOption().isEmpty() ? null : run.dataOption())).load() : null;
    Kernels k = backend.choose().kernels();

    double[] acc = new double[cands.size()];
    double[] valLoss = new double[cands.size()];
    double[] testAcc = new double[cands.size()];
    for (int i = 0; i < cands.size(); i++) {
      JoslimFront.Candidate c = cands.get(i);
      Evaluator.Result r = d.evaluateOnValidation(k, c.config(), calibrateBatches, batch);
      acc[i] = r.accuracy();
      valLoss[i] = r.loss();
      testAcc[i] = reportTest ? Evaluator.evaluate(model, k, c.config(),
          BatcherSource.once(Batcher.evaluation(tt.test(), batch, d.normalization()), Integer.MAX_VALUE)).accuracy() : Double.NaN;
    }
    double[] negAcc = new double[acc.length];
    double[] costs = new double[acc.length];
    for (int i = 0; i < acc.length; i++) {
      negAcc[i] = -acc[i];
      costs[i] = cands.get(i).costRatio();
    }
    List<Integer> onFront = ParetoFront.nonDominated(negAcc, costs);

    List<FoundConfig> found = new ArrayList<>();
    for (int i = 0; i < cands.size(); i++) {
      JoslimFront.Candidate c = cands.get(i);
      Map<String, Double> cs = new LinkedHashMap<>();
      cs.put("macs", new MacsCost().cost(model.space(), c.config()));
      cs.put("params", new ParamsCost().cost(model.space(), c.config()));
      cs.put(cost.name(), cost.cost(model.space(), c.config()));
      cs.put(cost.name() + "_ratio", c.costRatio());
      Map<String, Object> how = new LinkedHashMap<>();
      how.put("source", c.source());
      how.put("proposed_at_step", c.step() < 0 ? null : c.step());
      how.put("alpha", c.alpha());
      how.put("stored_loss", Double.isNaN(c.storedLoss()) ? null : c.storedLoss());
      how.put("val_loss", valLoss[i]);
      how.put("on_accuracy_front", onFront.contains(i));
      if (reportTest) {
        how.put("test_top1", testAcc[i]);
      }
      found.add(new FoundConfig(String.format(Locale.ROOT, "%s_ratio=%.4f", cost.name(), c.costRatio()), c.config(), cs,
          acc[i], "val_top1", how));
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("checkpoint", src);
    settings.put("visits", history.size());
    settings.put("trained_steps", history.nextStep());
    settings.put("layers", layers);
    settings.put("lower_width", lower);
    settings.put("cost", cost.name());
    settings.put("calibrate_batches", calibrateBatches);
    settings.put("batch", batch);
    settings.put("validation_images", d.validation().count());
    Map<String, String> modelMeta = l.spec().toMetadata();
    Map<String, Object> doc = SearchResultFile.document("joslim", modelMeta, settings, model.space(), found);
    SearchResultFile.write(out, doc);
    if (json) {
      o.println(SearchResultFile.toJson(doc));
    } else {
      o.printf(Locale.ROOT, "checkpoint: %s (%s), %d visited configurations, %d candidates; data: %s%n", src, l.spec(),
          history.size(), cands.size(), d.description());
      o.printf(Locale.ROOT, "%-8s %10s %8s %9s %9s %5s  %s%n", "source", "MACs(M)", cost.name() + "%", "val_top1",
          reportTest ? "test_top1" : "", "front", "config");
      for (int i = 0; i < found.size(); i++) {
        FoundConfig f = found.get(i);
        o.printf(Locale.ROOT, "%-8s %10.3f %8.1f %8.2f%% %9s %5s  %s%n", cands.get(i).source(), f.costs().get("macs") / 1e6,
            100 * cands.get(i).costRatio(), 100 * acc[i],
            reportTest ? String.format(Locale.ROOT, "%.2f%%", 100 * testAcc[i]) : "", onFront.contains(i) ? "*" : "",
            java.util.Arrays.toString(f.config().toArray()));
      }
      o.println("written: " + out);
    }
    return 0;
  }


}
