package org.slimj.search.greedy;

import java.util.List;
import java.util.Objects;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * Spreads each greedy step's candidates over the workers of a {@link Collective} (issue 12: farmed-out
 * search): worker r evaluates candidates {@code r, r + W, r + 2W, ...} with its own copy of the
 * network and evaluator, and one all-reduce gives every worker every error. Each error travels as its
 * 64 bits in three floats holding 22-bit whole numbers, which a sum with the other workers' zeros
 * leaves exact, so every worker sees the very doubles one machine would compute and takes the same
 * greedy path; the result equals the single-machine search's, given the same backend and threads.
 * Every worker must call with the same list (it does, running the same deterministic search).
 */
public final class FarmedEvaluator implements ErrorEvaluator {
  private static final int PARTS = 3;
  private static final int BITS = 22;
  private static final long MASK = (1L << BITS) - 1;

  private final ErrorEvaluator local;
  private final Collective collective;
  private int evaluatedHere;

  /** Evaluates this worker's share with {@code local}, exchanging the errors over {@code collective}. */
  public FarmedEvaluator(ErrorEvaluator local, Collective collective) {
    this.local = Objects.requireNonNull(local, "evaluator");
    this.collective = Objects.requireNonNull(collective, "collective");
  }

  @Override
  public double error(ChannelConfig cfg) {
    return errors(List.of(cfg))[0];
  }

  @Override
  public double[] errors(List<ChannelConfig> cfgs) {
    int n = cfgs.size();
    if (n > (Integer.MAX_VALUE - 8) / PARTS) {
      throw new IllegalArgumentException("farmed evaluation: expected at most " + (Integer.MAX_VALUE - 8) / PARTS
          + " configurations in one call, found " + n);
    }
    float[] packed = new float[n * PARTS];
    for (int i = collective.rank(); i < n; i += collective.size()) {
      double e = local.error(cfgs.get(i));
      if (Double.isNaN(e)) {
        throw new IllegalStateException("rank " + collective.rank() + ": the evaluator returned NaN for configuration "
            + cfgs.get(i));
      }
      evaluatedHere++;
      long bits = Double.doubleToRawLongBits(e);
      for (int p = 0; p < PARTS; p++) {
        packed[i * PARTS + p] = (float) ((bits >>> (p * BITS)) & MASK);
      }
    }
    collective.allReduceSum(packed);
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      long bits = 0;
      for (int p = 0; p < PARTS; p++) {
        bits |= ((long) packed[i * PARTS + p]) << (p * BITS);
      }
      out[i] = Double.longBitsToDouble(bits);
    }
    return out;
  }

  /** Configurations this worker evaluated itself. */
  public int evaluatedHere() {
    return evaluatedHere;
  }
}
