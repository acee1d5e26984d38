package org.slimj.search.cost;

import java.util.List;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;

/**
 * Peak live activation memory of batch-1 inference, in float32 bytes: the largest sum of feature
 * maps that must exist at the same time when the layers run in order (the working-memory measure of
 * e.g. MCUNet, Lin et al. NeurIPS 2020, without operator reordering). Model of execution:
 *
 * <ul>
 *   <li>layer i reads its input map and writes its output map; batch norm and activation work in
 *       place, so while layer i runs, its input and its output are live;
 *   <li>a residual block keeps its input (the input of layer {@link LayerSpec#residualFrom()}) alive
 *       until the layer that ends the block has written its output; the add then happens in place,
 *       except when the shortcut's shape differs from the output's (ResNet's zero-padded, strided
 *       shortcut), which materialises the padded shortcut first, so output, block input and padded
 *       shortcut are live together;
 *   <li>global average pooling before a layer with {@link LayerSpec#pooledSize()} > 0 reads the
 *       full map and writes the pooled vector, both live.
 * </ul>
 *
 * Weights are not counted (see {@link MemoryFootprintCost} for weights plus feature maps).
 */
public final class PeakActivationMemory implements CostModel {
  @Override
  public String name() {
    return "peak-memory";
  }

  @Override
  public String unit() {
    return "bytes";
  }

  @Override
  public double cost(ChannelSpace space, ChannelConfig cfg) {
    return MemoryFootprintCost.BYTES_PER_FLOAT * (double) peakFloats(space, cfg);
  }

  /** The peak, in floats per image. */
  public static long peakFloats(ChannelSpace space, ChannelConfig cfg) {
    space.validate(cfg);
    List<LayerSpec> layers = space.layers();
    int n = layers.size();
    // kept[i]: floats of block inputs held alive by open residual blocks while layer i runs, other than layer i's input.
    long peak = 0;
    for (int i = 0; i < n; i++) {
      LayerSpec l = layers.get(i);
      int cin = l.cin(cfg);
      int cout = l.cout(cfg);
      long in = l.inputFloats(cin);
      long out = l.outputFloats(cout);
      long kept = 0;
      for (int r = i; r < n; r++) {
        LayerSpec e = layers.get(r);
        int from = e.residualFrom();
        if (from >= 0 && from < i) {
          kept += layers.get(from).inputFloats(layers.get(from).cin(cfg));
        }
      }
      if (l.kind() == LayerKind.LINEAR && l.pooledSize() > 0) {
        long map = (long) cin * l.pooledSize() * l.pooledSize();
        peak = Math.max(peak, map + in + kept);
      }
      peak = Math.max(peak, in + out + kept);
      if (l.residual()) {
        LayerSpec from = layers.get(l.residualFrom());
        int fc = from.cin(cfg);
        long shortcut = from.inputFloats(fc);
        boolean sameShape = fc == cout && from.inputSize() == l.outputSize();
        long keptOthers = kept - (l.residualFrom() < i ? shortcut : 0);
        long atAdd = out + shortcut + (sameShape ? 0 : out) + keptOthers;
        peak = Math.max(peak, atAdd);
      }
    }
    return peak;
  }
}
