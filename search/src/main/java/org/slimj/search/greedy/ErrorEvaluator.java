package org.slimj.search.greedy;

import java.util.List;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * The error that greedy slimming minimises at each step: for AutoSlim the top-1 error of the
 * slimmable network at a configuration on a fixed held-out batch. A function so the search can be
 * tested without a network.
 */
@FunctionalInterface
public interface ErrorEvaluator {
  /** The error of {@code cfg}, lower is better; must be a number (not NaN). */
  double error(ChannelConfig cfg);

  /**
   * The errors of {@code cfgs}, in their order: one greedy step's candidates at once, so that an
   * evaluator can spread them over several workers ({@link FarmedEvaluator}). One by one by default.
   */
  /**
   * {@code errors} as {@link #errors} returned them for {@code cfgs}, checked: one number (not NaN)
   * per configuration, else an exception naming the configuration.
   */
  static double[] checked(double[] errors, List<ChannelConfig> cfgs) {
    if (errors.length != cfgs.size()) {
      throw new IllegalStateException("the evaluator returned " + errors.length + " errors for " + cfgs.size()
          + " configurations");
    }
    for (int i = 0; i < errors.length; i++) {
      if (Double.isNaN(errors[i])) {
        throw new IllegalStateException("the evaluator returned NaN for configuration " + cfgs.get(i));
      }
    }
    return errors;
  }

  default double[] errors(List<ChannelConfig> cfgs) {
    double[] out = new double[cfgs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = error(cfgs.get(i));
    }
    return out;
  }
}
