package org.slimj.engine.nn.slim;

import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Init;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.ops.Conv2d;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * A dense convolution (no bias) whose weight is allocated at {@code [coutMax, cinMax, k, k]} and
 * runs at any (cin, cout) on the leading prefix {@code W[:cout, :cin]} in place: the input's
 * channel count is cin, and cout is an argument of {@link #forward}. Backward adds gradients only
 * into that prefix.
 */
public final class SlimConv2d {
  private final String name;
  private final Tensor weight;
  private final int cinMax;
  private final int coutMax;
  private final int kernel;
  private final int stride;
  private final int pad;

  /** A convolution with padding {@code kernel / 2}, Kaiming-initialised from {@code rng}. */
  public SlimConv2d(String name, int cinMax, int coutMax, int kernel, int stride, RandomGenerator rng) {
    this(name, cinMax, coutMax, kernel, stride, kernel / 2, rng);
  }

  /** A convolution with explicit padding, Kaiming-initialised (fan-out) from {@code rng}. */
  public SlimConv2d(
      String name, int cinMax, int coutMax, int kernel, int stride, int pad, RandomGenerator rng) {
    if (cinMax < 1 || coutMax < 1 || kernel < 1 || stride < 1 || pad < 0) {
      throw new IllegalArgumentException(
          name + ": invalid conv (cinMax=" + cinMax + ", coutMax=" + coutMax + ", kernel=" + kernel
              + ", stride=" + stride + ", pad=" + pad + ")");
    }
    this.name = name;
    this.cinMax = cinMax;
    this.coutMax = coutMax;
    this.kernel = kernel;
    this.stride = stride;
    this.pad = pad;
    this.weight = Tensor.parameter(coutMax, cinMax, kernel, kernel);
    Init.kaimingNormalFanOut(weight, coutMax * kernel * kernel, rng);
  }

  /** Runs on x [N, cin, H, W] with {@code cout} output channels; returns [N, cout, Ho, Wo]. */
  public Tensor forward(Context ctx, Tensor x, int cout) {
    Shapes.requireRank(x, 4, name + " input");
    Shapes.requireInRange(x.dim(1), cinMax, name + " input channels");
    Shapes.requireInRange(cout, coutMax, name + " output channels");
    return Conv2d.forward(ctx, x, weight, cout, stride, pad);
  }

  /** The weight, allocated at maximum size. */
  public Tensor weight() {
    return weight;
  }

  /** Dotted path name. */
  public String name() {
    return name;
  }

  /** Maximum input channels. */
  public int cinMax() {
    return cinMax;
  }

  /** Maximum output channels. */
  public int coutMax() {
    return coutMax;
  }

  /** Kernel size. */
  public int kernel() {
    return kernel;
  }

  /** Stride. */
  public int stride() {
    return stride;
  }

  /** Padding. */
  public int pad() {
    return pad;
  }

  /** The trainable parameters (weight decay applies). */
  public List<Parameter> parameters() {
    return List.of(new Parameter(name + ".weight", weight, true));
  }
}
