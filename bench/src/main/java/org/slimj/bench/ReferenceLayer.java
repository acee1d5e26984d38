package org.slimj.bench;

import java.util.List;

/**
 * One layer of the reference set of ../shared/perf/LAYERS.md (batch 64, float32, NCHW, padding
 * k/2, no bias).
 *
 * @param id short name used as a JMH parameter value (no spaces)
 * @param name the name the comparison scripts use
 * @param cin input channels at full width
 * @param cout output channels at full width
 * @param kernel kernel size
 * @param size input height and width
 * @param stride stride
 * @param depthwise whether the layer is depthwise (cin == cout)
 * @param inputNeedsGrad whether backward computes the input gradient
 * @param cutInput whether the input channels are cut at reduced width (the 3 image channels are not)
 */
public record ReferenceLayer(
    String id, String name, int cin, int cout, int kernel, int size, int stride, boolean depthwise,
    boolean inputNeedsGrad, boolean cutInput) {

  /** The four layers of LAYERS.md. */
  public static final List<ReferenceLayer> ALL = List.of(
      new ReferenceLayer("pw96_576", "pw 96->576 @8x8", 96, 576, 1, 8, 1, false, true, true),
      new ReferenceLayer("dw576", "dw3x3 576 @8x8", 576, 576, 3, 8, 1, true, true, true),
      new ReferenceLayer("conv3_32", "conv3x3 3->32 @32x32", 3, 32, 3, 32, 1, false, false, false),
      new ReferenceLayer("pw32_192", "pw 32->192 @32x32", 32, 192, 1, 32, 1, false, true, true));

  /** The layer whose {@link #id()} or {@link #name()} is {@code key}. */
  public static ReferenceLayer byKey(String key) {
    for (ReferenceLayer l : ALL) {
      if (l.id.equals(key) || l.name.equals(key)) {
        return l;
      }
    }
    throw new IllegalArgumentException(
        "reference layer: expected one of " + ALL.stream().map(ReferenceLayer::id).toList() + ", found '" + key + "'");
  }

  /** Active input channels at width fraction {@code frac}. */
  public int cinAt(double frac) {
    return cutInput ? Math.max(1, (int) Math.round(cin * frac)) : cin;
  }

  /** Active output channels at width fraction {@code frac}. */
  public int coutAt(double frac) {
    return depthwise ? cinAt(frac) : Math.max(1, (int) Math.round(cout * frac));
  }

  /** Output size along each spatial axis. */
  public int outSize() {
    return (size + 2 * (kernel / 2) - kernel) / stride + 1;
  }

  /** Multiply-adds of one forward pass of a batch of {@code n} at width fraction {@code frac}. */
  public long forwardMacs(int n, double frac) {
    long perOut = depthwise ? (long) kernel * kernel : (long) cinAt(frac) * kernel * kernel;
    return (long) n * coutAt(frac) * outSize() * outSize() * perOut;
  }

  /** Work of forward + backward relative to forward: 3 when the input needs a gradient, else 2. */
  public int backwardFactor() {
    return inputNeedsGrad ? 3 : 2;
  }

  /** Floating-point operations (2 per multiply-add) of one pass of a batch of {@code n}. */
  public double flops(int n, double frac, boolean withBackward) {
    return 2.0 * forwardMacs(n, frac) * (withBackward ? backwardFactor() : 1);
  }
}
