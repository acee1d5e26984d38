package org.slimj.engine.nn.slim;

import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Init;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.ops.DepthwiseConv2d;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * A depthwise convolution (no bias) with weight {@code [cMax, 1, k, k]}; it runs on the first C
 * channels, C being the input's channel count (the channel count of a depthwise layer is tied to
 * its input).
 */
public final class SlimDepthwiseConv2d {
  private final String name;
  private final Tensor weight;
  private final int cMax;
  private final int kernel;
  private final int stride;
  private final int pad;

  /** A depthwise convolution with padding {@code kernel / 2}, Kaiming-initialised (fan-out). */
  public SlimDepthwiseConv2d(String name, int cMax, int kernel, int stride, RandomGenerator rng) {
    if (cMax < 1 || kernel < 1 || stride < 1) {
      throw new IllegalArgumentException(
          name + ": invalid depthwise conv (cMax=" + cMax + ", kernel=" + kernel + ", stride=" + stride + ")");
    }
    this.name = name;
    this.cMax = cMax;
    this.kernel = kernel;
    this.stride = stride;
    this.pad = kernel / 2;
    this.weight = Tensor.parameter(cMax, 1, kernel, kernel);
    Init.kaimingNormalFanOut(weight, kernel * kernel, rng);
  }

  /** Runs on x [N, C, H, W]; returns [N, C, Ho, Wo]. */
  public Tensor forward(Context ctx, Tensor x) {
    Shapes.requireRank(x, 4, name + " input");
    Shapes.requireInRange(x.dim(1), cMax, name + " channels");
    return DepthwiseConv2d.forward(ctx, x, weight, stride, pad);
  }

  /** The weight, allocated at maximum size. */
  public Tensor weight() {
    return weight;
  }

  /** Maximum channels. */
  public int cMax() {
    return cMax;
  }

  /** Kernel size. */
  public int kernel() {
    return kernel;
  }

  /** Stride. */
  public int stride() {
    return stride;
  }

  /** Dotted path name. */
  public String name() {
    return name;
  }

  /** Padding. */
  public int pad() {
    return pad;
  }

  /** The trainable parameters (no weight decay on depthwise weights, as in the papers). */
  public List<Parameter> parameters() {
    return List.of(new Parameter(name + ".weight", weight, false));
  }
}
