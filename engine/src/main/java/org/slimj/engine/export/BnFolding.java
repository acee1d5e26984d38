package org.slimj.engine.export;

import org.slimj.engine.graph.OpKind;
import org.slimj.engine.graph.TracedLayer;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/**
 * Slices a traced layer's weights to its active channels and folds the batch norm that follows it
 * into them (Ioffe &amp; Szegedy 2015 at inference; as deployment toolchains do): with the BN's
 * eval-mode map at the configuration {@code y = z * scale + shift} (scale = gamma / sqrt(var + eps),
 * shift = beta - mean * scale), {@code w' = w[:cout, :cin] * scale[o]} per output channel and
 * {@code b' = shift + scale * b} ({@code b = 0} for bias-free convolutions).
 */
public final class BnFolding {
  private BnFolding() {}

  /**
   * A layer's contiguous weight and bias after slicing and folding.
   *
   * @param weight {@code [cout, cin, k, k]}, {@code [c, 1, k, k]} or {@code [cout, cin]}
   * @param bias {@code [cout]}, or null when the layer has neither bias nor batch norm
   */
  public record Folded(Tensor weight, Tensor bias) {}

  /**
   * Slices and folds layer {@code l} (conv, depthwise or linear) of a trace at {@code cfg}.
   *
   * @throws IllegalStateException if the batch norm has no statistics for {@code cfg}
   */
  public static Folded fold(TracedLayer l, ChannelConfig cfg) {
    if (!l.kind().hasWeight() || l.weight() == null) {
      throw new IllegalArgumentException(l.name() + ": a " + l.kind().jsonName() + " layer has no weight to fold");
    }
    int cout = l.cout();
    int cin = l.cin();
    Tensor w = l.weight();
    int[] shape;
    int rowLen;
    int srcRow;
    switch (l.kind()) {
      case CONV -> {
        int kk = l.kernel() * l.kernel();
        shape = new int[] {cout, cin, l.kernel(), l.kernel()};
        rowLen = cin * kk;
        srcRow = w.dim(1) * kk;
      }
      case DEPTHWISE -> {
        rowLen = l.kernel() * l.kernel();
        shape = new int[] {cout, 1, l.kernel(), l.kernel()};
        srcRow = rowLen;
      }
      default -> {
        shape = new int[] {cout, cin};
        rowLen = cin;
        srcRow = w.dim(1);
      }
    }
    if (l.kind() == OpKind.DEPTHWISE ? w.dim(0) < cout : (w.dim(0) < cout || srcRow < rowLen)) {
      throw new IllegalArgumentException(l.name() + ": weight " + w + " is smaller than the active channels ("
          + cout + ", " + cin + ")");
    }
    float[][] affine = l.bn() == null ? null : l.bn().evalAffine(cfg, cout);
    float[] src = w.data();
    float[] dst = new float[cout * rowLen];
    for (int o = 0; o < cout; o++) {
      int s = w.offset() + o * srcRow;
      float scale = affine == null ? 1f : affine[0][o];
      for (int j = 0; j < rowLen; j++) {
        dst[o * rowLen + j] = affine == null ? src[s + j] : src[s + j] * scale;
      }
    }
    Tensor bias = null;
    if (affine != null || l.bias() != null) {
      float[] b = new float[cout];
      for (int o = 0; o < cout; o++) {
        float own = l.bias() == null ? 0f : l.bias().get(o);
        b[o] = affine == null ? own : affine[1][o] + affine[0][o] * own;
      }
      bias = Tensor.of(b, cout);
    }
    return new Folded(Tensor.of(dst, shape), bias);
  }
}
