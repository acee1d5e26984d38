package org.slimj.search.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerSpec;

/** The configuration-independent part of a layerwise cost, which budgeted searches take off the budget. */
class FixedCostTest {
  @Test
  void fixedCostIsWhatNoLayerTermCarriesAtEveryConfiguration() {
    ChannelSpace space = new ModelSpec("mobilenetv1", 0.5, 1, 28, 10, BnKind.UNIVERSAL, new double[] {0.5})
        .build(new SplittableRandom(1)).space();
    LayerwiseCost plain = new MacsCost();
    assertEquals(0.0, plain.fixedCost(space), 0.0);
    LayerwiseCost withFixed = new LayerwiseCost() {
      @Override
      public String name() {
        return "macs+fixed";
      }

      @Override
      public String unit() {
        return "MACs";
      }

      @Override
      public double layerCost(LayerSpec layer, int cin, int cout) {
        return layer.macsAt(cin, cout);
      }

      @Override
      public double cost(ChannelSpace s, ChannelConfig cfg) {
        return LayerwiseCost.super.cost(s, cfg) + 12345;
      }
    };
    assertEquals(12345, withFixed.fixedCost(space), 1e-6);
    ChannelConfig u = space.uniform(0.25);
    double layers = 0;
    for (LayerSpec l : space.layers()) {
      layers += withFixed.layerCost(l, l.cin(u), l.cout(u));
    }
    assertEquals(withFixed.cost(space, u), layers + withFixed.fixedCost(space), 1e-6);
  }
}
