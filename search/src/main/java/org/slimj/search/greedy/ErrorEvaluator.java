package org.slimj.search.greedy;

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
}
