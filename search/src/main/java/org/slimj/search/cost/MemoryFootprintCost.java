package org.slimj.search.cost;

import org.slimj.engine.space.LayerSpec;

/**
 * Memory footprint in the sense of AutoSlim (Yu &amp; Huang, arXiv 1903.11728, §1 and §4: "weights
 * plus feature maps"), in float32 bytes per image. Each layer contributes its active parameters (the
 * weight slice, bias and BN gamma and beta, as {@link ParamsCost}) plus its output feature map
 * ({@code cout × Hout × Wout}; batch norm, activation and residual add are taken as in place, so a
 * conv unit has one output map). The input image, the pooled vector before the classifier and the
 * BN running statistics are not counted. This is a sum over all layers, not a peak: see {@link
 * PeakActivationMemory} for what is live at one time.
 */
public final class MemoryFootprintCost implements LayerwiseCost {
  /** Bytes of one float32. */
  public static final int BYTES_PER_FLOAT = 4;

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public String unit() {
    return "bytes";
  }

  @Override
  public double layerCost(LayerSpec layer, int cin, int cout) {
    int co = layer.kind() == org.slimj.engine.space.LayerKind.DEPTHWISE ? cin : cout;
    return (double) BYTES_PER_FLOAT * (layer.paramsAt(cin, co) + layer.outputFloats(co));
  }
}
