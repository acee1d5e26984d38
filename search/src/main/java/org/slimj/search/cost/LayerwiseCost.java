package org.slimj.search.cost;

import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerSpec;

/**
 * A cost that is a sum of per-layer terms, each depending only on the layer's input and output
 * channel counts (AOWS's pairwise latency model, Berman et al. CVPR 2020 §3.1). Exact dynamic
 * programming over the channel space needs this form.
 */
public interface LayerwiseCost extends CostModel {
  /**
   * The term of {@code layer} at {@code cin} input and {@code cout} output channels (for a depthwise
   * layer {@code cout == cin}).
   */
  double layerCost(LayerSpec layer, int cin, int cout);

  /**
   * The part of {@link #cost} that no layer term carries and no configuration changes (e.g. a latency
   * table's fixed term): the largest configuration's cost minus the sum of its layer terms. Searches
   * over layer terms take it off a budget first.
   */
  default double fixedCost(ChannelSpace space) {
    ChannelConfig max = space.max();
    double layers = 0;
    for (LayerSpec l : space.layers()) {
      layers += layerCost(l, l.cin(max), l.cout(max));
    }
    return cost(space, max) - layers;
  }

  @Override
  default double cost(ChannelSpace space, ChannelConfig cfg) {
    space.validate(cfg);
    double s = 0;
    for (LayerSpec l : space.layers()) {
      s += layerCost(l, l.cin(cfg), l.cout(cfg));
    }
    return s;
  }
}
