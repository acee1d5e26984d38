package org.slimj.search.cost;

import org.slimj.engine.space.LayerSpec;

/** Multiply-adds per image in the papers' convention (convolutions and linear layers; BN excluded). */
public final class MacsCost implements LayerwiseCost {
  @Override
  public String name() {
    return "macs";
  }

  @Override
  public String unit() {
    return "MACs";
  }

  @Override
  public double layerCost(LayerSpec layer, int cin, int cout) {
    return layer.macsAt(cin, cout);
  }
}
