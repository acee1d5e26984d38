package org.slimj.search.cost;

import org.slimj.engine.space.LayerSpec;

/** Parameters of the active slices: weights, biases and BN gamma and beta. */
public final class ParamsCost implements LayerwiseCost {
  @Override
  public String name() {
    return "params";
  }

  @Override
  public String unit() {
    return "parameters";
  }

  @Override
  public double layerCost(LayerSpec layer, int cin, int cout) {
    return layer.paramsAt(cin, cout);
  }
}
