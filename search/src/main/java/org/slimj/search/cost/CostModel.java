package org.slimj.search.cost;

import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;

/**
 * A cost of a channel configuration that searches constrain: multiply-adds, parameters, memory or
 * latency on one platform. Costs are per image unless the model says otherwise.
 */
public interface CostModel {
  /** Short machine-readable name used as a JSON key, e.g. {@code macs} or {@code latency:vector-2t}. */
  String name();

  /** Unit of {@link #cost}, e.g. {@code MACs}, {@code bytes}, {@code ms}. */
  String unit();

  /** The cost of configuration {@code cfg} of {@code space}. */
  double cost(ChannelSpace space, ChannelConfig cfg);
}
