package org.slimj.cli.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.train.GroupSampler;
import org.slimj.engine.train.OwsCredits;
import org.slimj.engine.train.OwsStrategy;
import org.slimj.engine.train.TrainingMode;
import org.slimj.engine.train.TrainingStrategy;
import org.slimj.search.cost.CostModel;
import org.slimj.search.cost.CostSpecs;
import org.slimj.search.cost.LayerwiseCost;
import org.slimj.search.multiplatform.Platform;
import org.slimj.search.multiplatform.Platforms;
import org.slimj.search.ows.AdaptiveSampler;
import org.slimj.search.ows.AowsTemperature;
import picocli.CommandLine.Option;

/**
 * Options of the adaptive training modes: {@code aows} (one cost budget) and {@code multiplatform}
 * (several platforms, each a cost and budget with a share, combined by a sampler of
 * ALGORITHMS.md §6). Both build an {@link OwsStrategy} whose random configurations come from an
 * {@link AdaptiveSampler} after a warm-up of uniform sampling.
 */
final class AdaptiveOptions {
  @Option(names = "--cost", paramLabel = "COST", description = "aows: cost of the budget; joslim: cost the surrogates trade against loss; macs, params, memory or latency:TABLE"
      + " (default: ${DEFAULT-VALUE}).")
  String cost = "macs";

  @Option(names = "--budget", paramLabel = "FRACTION", description = "aows: budget as a fraction of the largest"
      + " configuration's cost.")
  Double budget;

  @Option(names = "--budget-absolute", paramLabel = "V", description = "aows: budget in the cost's unit (replaces --budget).")
  Double budgetAbsolute;

  @Option(names = "--platform", paramLabel = "NAME=COST@BUDGET[:SHARE]", description = "multiplatform: a platform;"
      + " BUDGET in the cost's unit or a percentage (e.g. 50%%) of the largest configuration's cost. Repeat.")
  List<String> platforms = new ArrayList<>();

  @Option(names = "--sampler", description = "multiplatform: mixture (platform by share, then its distribution), equal"
      + " (platforms equally), gibbs (one distribution, share-weighted energies) or uniform (default: ${DEFAULT-VALUE}).")
  String sampler = "mixture";

  @Option(names = "--crp-alpha", paramLabel = "A", description = "multiplatform: shares from a Chinese restaurant process"
      + " of concentration A (when --platform gives none).")
  Double crpAlpha;

  @Option(names = "--crp-seed", paramLabel = "S", description = "Seed of the Chinese restaurant process (default: ${DEFAULT-VALUE}).")
  long crpSeed = 1;

  @Option(names = "--aows-warmup", paramLabel = "E", description = "aows, multiplatform: epochs of uniform sampling before"
      + " the adaptive sampling (default: a quarter of --epochs, as AOWS's 5 of 20).")
  Integer warmup;

  @Option(names = "--aows-draw", description = "aows, multiplatform: marginals (each slot from its marginal, as AOWS) or"
      + " joint (exact draws of whole configurations) (default: ${DEFAULT-VALUE}).")
  String draw = "marginals";

  /** Whether {@code m} is built here rather than by {@link TrainingMode#strategy}. */
  static boolean applies(TrainingMode m) {
    return m == TrainingMode.AOWS || m == TrainingMode.MULTIPLATFORM;
  }

  /** The strategy of mode {@code m}. */
  TrainingStrategy strategy(SlimModel model, TrainingMode m, TrainingMode.Settings s, int epochs) {
    ChannelSpace space = model.space();
    int minGroup = OwsStrategy.minGroup(s.minWidth() / s.maxWidth(), s.groups());
    OwsCredits credits = new OwsCredits(space.slots().size(), s.groups(), TrainingMode.OWS_CREDIT_WINDOW);
    int w = warmup != null ? warmup : epochs / 4;
    if (w < 0 || w >= epochs) {
      throw new IllegalArgumentException("--aows-warmup: expected 0 <= E < --epochs " + epochs + ", found " + w);
    }
    AdaptiveSampler.Draw d = switch (draw.trim().toLowerCase(Locale.ROOT)) {
      case "marginals" -> AdaptiveSampler.Draw.MARGINALS;
      case "joint" -> AdaptiveSampler.Draw.JOINT;
      default -> throw new IllegalArgumentException("--aows-draw: expected marginals or joint, found '" + draw + "'");
    };
    AowsTemperature schedule = new AowsTemperature(epochs, w);
    GroupSampler gs;
    if (m == TrainingMode.AOWS) {
      LayerwiseCost c = layerwise(cost);
      double full = c.cost(space, space.max());
      double b = budgetAbsolute != null ? budgetAbsolute : budget != null ? budget * full : Double.NaN;
      if (Double.isNaN(b) || (budgetAbsolute == null && !(budget > 0 && budget <= 1))) {
        throw new IllegalArgumentException("aows needs --budget F (0 < F <= 1, a fraction of the largest configuration's"
            + " " + c.name() + ") or --budget-absolute V");
      }
      gs = new AdaptiveSampler(space, s.groups(), minGroup, credits,
          List.of(new AdaptiveSampler.Target(c.name(), c, b, 1)), AdaptiveSampler.Mix.SINGLE, schedule, d);
    } else {
      List<Platform> ps = Platforms.parse(platforms, space, AdaptiveOptions::layerwise, crpAlpha, crpSeed);
      String sm = sampler.trim().toLowerCase(Locale.ROOT);
      if (sm.equals("uniform")) {
        gs = GroupSampler.uniform(space.slots().size(), minGroup, s.groups());
      } else {
        AdaptiveSampler.Mix mix = switch (sm) {
          case "mixture" -> AdaptiveSampler.Mix.MIXTURE;
          case "equal" -> AdaptiveSampler.Mix.EQUAL;
          case "gibbs" -> AdaptiveSampler.Mix.GIBBS;
          default -> throw new IllegalArgumentException("--sampler: expected mixture, equal, gibbs or uniform, found '"
              + sampler + "'");
        };
        gs = new AdaptiveSampler(space, s.groups(), minGroup, credits, ps.stream().map(Platform::target).toList(), mix,
            schedule, d);
      }
    }
    return new OwsStrategy(s.groups(), minGroup, s.samples(), s.labelSmoothing(), s.inplaceDistillation(),
        s.creditSubBatch(), credits, gs);
  }

  /** The settings that must match on resume, as one metadata value ({@code ""} for other modes). */
  String describe(TrainingMode m) {
    if (m == TrainingMode.AOWS) {
      return String.format(Locale.ROOT, "cost=%s budget=%s budget_absolute=%s warmup=%s draw=%s", cost, budget,
          budgetAbsolute, warmup, draw);
    }
    if (m == TrainingMode.MULTIPLATFORM) {
      return String.format(Locale.ROOT, "platforms=%s sampler=%s crp_alpha=%s crp_seed=%d warmup=%s draw=%s", platforms,
          sampler, crpAlpha, crpSeed, warmup, draw);
    }
    return "";
  }

  static LayerwiseCost layerwise(String spec) {
    CostModel c = CostSpecs.parse(spec);
    if (!(c instanceof LayerwiseCost lc)) {
      throw new IllegalArgumentException("cost " + c.name() + " is not a sum of per-layer terms; adaptive sampling needs"
          + " one (macs, params or a latency table)");
    }
    return lc;
  }
}
