package org.slimj.search.joslim;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Joslim's {@code next_arch} (Chin et al., ECML-PKDD 2021, §4 and the reference code): the first
 * {@code warmupProposals} proposals are uniform widths {@code u·1}, {@code u ~ U(lower, 1)}; the
 * next is the full width {@code 1}; after that a random scalarization: a target cost ratio drawn
 * uniformly from {@code linspace(F_min, 1, 50)}, then bisection on the Tchebyshev weight λ (start
 * 0.5, at most 10 steps) over minimizers of {@link TchebyshevUcb} until the proposal's true cost
 * ratio is within {@code tolerance} of the target. If no step gets that close, the proposal closest
 * to the target is kept (the reference code keeps the last).
 */
public final class WidthProposer {
  /** Candidate targets in {@code linspace(F_min, 1, TARGET_GRID)}. */
  public static final int TARGET_GRID = 50;

  /** Bisection steps on λ. */
  public static final int BISECTION_STEPS = 10;

  /** Joslim's tolerance |cost − target| ≤ 0.02. */
  public static final double TOLERANCE = 0.02;

  private final WidthEncoding encoding;
  private final CostRatio cost;
  private final int warmupProposals;
  private final GpFitter fitter;
  private final AcquisitionOptimizer optimizer;

  /**
   * A proposed width vector.
   *
   * @param alpha multipliers
   * @param origin {@code warmup}, {@code full} or {@code gp}
   * @param target target cost ratio (NaN unless {@code gp})
   * @param lambda Tchebyshev weight on the cost (NaN unless {@code gp})
   */
  public record Proposal(double[] alpha, String origin, double target, double lambda) {}

  /** The two fitted surrogates, on unit-cube inputs. */
  public record Surrogates(GaussianProcess loss, GaussianProcess cost) {}

  /** A proposer over {@code encoding}'s box, costs by {@code cost}. */
  public WidthProposer(WidthEncoding encoding, CostRatio cost, int warmupProposals, GpFitter fitter,
      AcquisitionOptimizer optimizer) {
    if (warmupProposals < 0) {
      throw new IllegalArgumentException("Joslim: expected warm-up proposals >= 0, found " + warmupProposals);
    }
    this.encoding = encoding;
    this.cost = cost;
    this.warmupProposals = warmupProposals;
    this.fitter = fitter;
    this.optimizer = optimizer;
  }

  /** The encoding. */
  public WidthEncoding encoding() {
    return encoding;
  }

  /** Cost ratio of {@code alpha}'s channel counts. */
  public double costOf(double[] alpha) {
    return cost.of(encoding.decode(alpha));
  }

  /** Whether proposal number {@code index} (0-based, over the run) is chosen by the surrogates. */
  public boolean needsSurrogates(int index) {
    return index > warmupProposals;
  }

  /**
   * Proposal number {@code index}: warm-up, full, or the scalarization toward a random target with
   * {@code surrogates}; when those are null (fewer than two scored visits yet, possible only with a
   * very short warm-up) it falls back to a warm-up proposal.
   */
  public Proposal next(int index, Surrogates surrogates, RandomGenerator rng) {
    if (index < warmupProposals) {
      double u = encoding.lower() + (1 - encoding.lower()) * rng.nextDouble();
      return new Proposal(encoding.uniform(u), "warmup", Double.NaN, Double.NaN);
    }
    if (index == warmupProposals) {
      return new Proposal(encoding.uniform(1.0), "full", Double.NaN, Double.NaN);
    }
    if (surrogates == null) {
      return next(0, null, rng);
    }
    double fMin = costOf(encoding.minimum());
    int k = rng.nextInt(TARGET_GRID);
    double target = fMin + (1 - fMin) * k / (TARGET_GRID - 1);
    return towardTarget(TchebyshevUcb.of(surrogates.loss(), surrogates.cost()), target, rng);
  }

  /** Fits both surrogates to the scored visits of {@code history}; null with fewer than two scored visits. */
  public Surrogates fit(JoslimHistory history, RandomGenerator rng) {
    List<double[]> xs = new ArrayList<>();
    List<Double> losses = new ArrayList<>();
    List<Double> costs = new ArrayList<>();
    for (Visit v : history.visits()) {
      if (Double.isFinite(v.loss())) {
        xs.add(encoding.toUnit(v.alpha()));
        losses.add(v.loss());
        costs.add(v.cost());
      }
    }
    if (xs.size() < 2) {
      return null;
    }
    double[][] x = xs.toArray(new double[0][]);
    double[] yl = losses.stream().mapToDouble(Double::doubleValue).toArray();
    double[] yc = costs.stream().mapToDouble(Double::doubleValue).toArray();
    GaussianProcess gl = fitter.fit(x, yl, KernelStructure.ARD, rng);
    GaussianProcess gc = fitter.fit(x, yc, KernelStructure.ADDITIVE, rng);
    return new Surrogates(gl, gc);
  }

  /** Bisection on λ toward cost ratio {@code target}; returns the proposal closest to it. */
  public Proposal towardTarget(TchebyshevUcb acquisition, double target, RandomGenerator rng) {
    double lo = 0;
    double hi = 1;
    double lambda = 0.5;
    Proposal best = null;
    double bestGap = Double.POSITIVE_INFINITY;
    for (int i = 0; i < BISECTION_STEPS; i++) {
      final double l = lambda;
      double[] u = optimizer.minimize(p -> acquisition.value(p, l), encoding.dimensions(), rng);
      double[] alpha = encoding.fromUnit(u);
      double c = costOf(alpha);
      double gap = Math.abs(c - target);
      if (gap < bestGap) {
        bestGap = gap;
        best = new Proposal(alpha, "gp", target, lambda);
      }
      if (gap <= TOLERANCE) {
        break;
      }
      if (c > target) {
        lo = lambda;
      } else {
        hi = lambda;
      }
      lambda = (lo + hi) / 2;
    }
    return best;
  }
}
