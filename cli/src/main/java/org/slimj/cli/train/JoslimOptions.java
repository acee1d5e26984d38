package org.slimj.cli.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slimj.datasets.Batcher;
import org.slimj.engine.models.SlimModel;
import org.slimj.search.cost.CostSpecs;
import org.slimj.search.joslim.AcquisitionOptimizer;
import org.slimj.search.joslim.CostRatio;
import org.slimj.search.joslim.GpFitter;
import org.slimj.search.joslim.JoslimHistory;
import org.slimj.search.joslim.JoslimStrategy;
import org.slimj.search.joslim.WidthEncoding;
import org.slimj.search.joslim.WidthProposer;
import picocli.CommandLine.Option;

/** Options of {@code train --mode joslim} and the construction of its strategy (search module). */
public final class JoslimOptions {
  /** Joslim's lower width multiplier when {@code --width-range} is not given. */
  public static final double DEFAULT_LOWER = 0.42;

  @Option(names = "--tau", paramLabel = "N", description = "joslim: steps between proposal rounds (default: ${DEFAULT-VALUE}).")
  int tau = 10;

  @Option(names = "--proposals", paramLabel = "M", description = "joslim: width vectors proposed per round (default: ${DEFAULT-VALUE}).")
  int proposals = 2;

  @Option(names = "--warmup-proposals", paramLabel = "P",
      description = "joslim: uniform-width proposals before the full width and the surrogates (default: ${DEFAULT-VALUE}).")
  int warmupProposals = 20;

  @Option(names = "--heldout-batch", paramLabel = "N",
      description = "joslim: images in the held-out batch that re-scores the visited widths (default: --batch).")
  Integer heldoutBatch;

  /** The width range of a joslim run: {@code --width-range} when given (its maximum must be 1), else [0.42, 1]. */
  static double[] range(String widthRange) {
    if (widthRange == null) {
      return new double[] {DEFAULT_LOWER, 1.0};
    }
    double[] r = WidthOptions.parseRange(widthRange);
    if (r[1] != 1.0 || !(r[0] < 1.0)) {
      throw new IllegalArgumentException("joslim: --width-range must be LOWER:1.0 with LOWER < 1 (the box [LOWER, 1]^D),"
          + " found " + widthRange);
    }
    return r;
  }

  /** Settings kept in checkpoint metadata (and compared on resume); {@code cost} is train's {@code --cost}. */
  Map<String, String> metadata(double lower, String cost) {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("train.joslim_tau", Integer.toString(tau));
    m.put("train.joslim_proposals", Integer.toString(proposals));
    m.put("train.joslim_warmup_proposals", Integer.toString(warmupProposals));
    m.put("train.joslim_lower", Double.toString(lower));
    m.put("train.joslim_cost", CostSpecs.parse(cost).name());
    m.put("train.joslim_heldout_batch", heldoutBatch == null ? "" : Integer.toString(heldoutBatch));
    return m;
  }

  /**
   * Joslim's strategy for {@code model} with a new history (a resumed run restores its history
   * through {@link JoslimStrategy#restore}); held-out batches come from the validation split, round r taking full batch r mod
   * (full batches): a partial last batch is never used (its batch statistics are too noisy).
   */
  JoslimStrategy strategy(SlimModel model, double lower, String cost, float labelSmoothing, DataOptions.Splits data,
      int batch) {
    JoslimStrategy.Settings s = new JoslimStrategy.Settings(tau, proposals, warmupProposals, lower, labelSmoothing);
    WidthProposer proposer = new WidthProposer(new WidthEncoding(model.space(), lower),
        new CostRatio(CostSpecs.parse(cost), model.space()), warmupProposals, GpFitter.DEFAULT, AcquisitionOptimizer.DEFAULT);
    JoslimHistory history = new JoslimHistory();
    int n = heldoutBatch != null ? heldoutBatch : batch;
    if (n < 2) {
      throw new IllegalArgumentException("joslim: expected --heldout-batch >= 2, found " + n);
    }
    Batcher val = Batcher.evaluation(data.validation(), n, data.normalization());
    int batches = data.validation().count() / n;
    if (batches < 1) {
      throw new IllegalArgumentException("joslim: the validation split (" + data.validation().count() + " images) has no"
          + " full held-out batch of " + n + " images (--val, --heldout-batch)");
    }
    BatcherSource src = new BatcherSource(val);
    JoslimStrategy.HeldOutBatches heldOut = round -> {
      int want = (int) (round % batches);
      val.startEpoch(0);
      for (int i = 0; i <= want; i++) {
        if (!val.next()) {
          throw new IllegalStateException("joslim: validation batch " + want + " of " + batches + " is missing");
        }
      }
      return src.current();
    };
    return new JoslimStrategy(proposer, s, heldOut, history);
  }
}
