package org.slimj.search.joslim;

import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.cost.CostModel;

/** A cost as a fraction of the full configuration's (Joslim works with the FLOPs ratio). */
public final class CostRatio {
  private final CostModel model;
  private final ChannelSpace space;
  private final double full;

  /** The ratio of {@code model}'s cost to its cost at {@code space.max()}, which must be positive. */
  public CostRatio(CostModel model, ChannelSpace space) {
    this.model = model;
    this.space = space;
    this.full = model.cost(space, space.max());
    if (!(full > 0) || Double.isInfinite(full)) {
      throw new IllegalArgumentException("cost " + model.name() + ": expected a positive cost of the full configuration,"
          + " found " + full);
    }
  }

  /** The cost model. */
  public CostModel model() {
    return model;
  }

  /** The cost of {@code cfg} divided by the full configuration's. */
  public double of(ChannelConfig cfg) {
    return model.cost(space, cfg) / full;
  }
}
