package org.slimj.engine.models;

import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.graph.Trace;
import org.slimj.engine.graph.TracedLayer;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimLinear;
import org.slimj.engine.ops.GlobalAvgPool;
import org.slimj.engine.ops.Relu;
import org.slimj.engine.space.Activation;
import org.slimj.engine.tensor.Tensor;

/**
 * A small slimmable CNN for fast tests and examples: conv3×3 → conv3×3/2 → depthwise 3×3 →
 * pointwise 1×1, each with batch norm and ReLU, then global average pooling and a linear
 * classifier. Three slots: the stem output, the strided conv output (which the depthwise layer
 * inherits), and the pointwise output; channel counts round to whole channels (divisor 1). Image
 * channels and classes are never cut.
 */
public final class SmallCnn extends BuiltModel {
  private final ConvUnit stem;
  private final ConvUnit down;
  private final ConvUnit dw;
  private final ConvUnit pw;
  private final SlimLinear fc;

  /**
   * Builds the network for inputs of 12×12 or larger.
   *
   * @param inChannels image channels
   * @param classes number of classes
   * @param maxChannels channels of the three slots at width 1.0
   * @param bn batch-norm flavour
   * @param widthList the fixed width list (switchable BN gets one BN per entry)
   * @param rng initialisation randomness
   */
  public SmallCnn(int inChannels, int classes, int[] maxChannels, BnKind bn, double[] widthList, RandomGenerator rng) {
    this(inChannels, 12, classes, maxChannels, bn, widthList, rng);
  }

  /** As above, with the input size recorded in the channel space (for cost models). */
  public SmallCnn(int inChannels, int inputSize, int classes, int[] maxChannels, BnKind bn, double[] widthList,
      RandomGenerator rng) {
    super("SmallCnn", inChannels, classes, widthList);
    if (inChannels < 1 || classes < 2 || maxChannels.length != 3 || inputSize < 3) {
      throw new IllegalArgumentException(
          "SmallCnn: expected inChannels >= 1, input size >= 3, classes >= 2 and 3 channel counts; found "
              + inChannels + ", " + inputSize + ", " + classes + ", " + maxChannels.length);
    }
    SpaceBuilder b = new SpaceBuilder(bn, widthList, 1.0, rng);
    int s0 = b.slot("stem.out", maxChannels[0], 1, 1, false);
    int s1 = b.slot("down.out", maxChannels[1], 1, 1, false);
    int s2 = b.slot("pw.out", maxChannels[2], 1, 1, false);
    int half = (inputSize + 1) / 2;
    stem = b.conv("stem", -1, inChannels, s0, -1, 3, 1, inputSize, Activation.RELU);
    down = b.conv("down", s0, -1, s1, -1, 3, 2, inputSize, Activation.RELU);
    dw = b.depthwise("dw", s1, 3, 1, half, Activation.RELU);
    pw = b.conv("pw", s1, -1, s2, -1, 1, 1, half, Activation.RELU);
    fc = b.linear("classifier", s2, classes, half);
    finish(b);
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    check(x, cfg);
    Tensor h = Relu.forwardInPlace(ctx, stem.forward(ctx, x, cfg));
    h = Relu.forwardInPlace(ctx, down.forward(ctx, h, cfg));
    h = Relu.forwardInPlace(ctx, dw.forward(ctx, h, cfg));
    h = Relu.forwardInPlace(ctx, pw.forward(ctx, h, cfg));
    return fc.forward(ctx, GlobalAvgPool.forward(ctx, h), classes());
  }

  @Override
  public List<TracedLayer> trace(ChannelConfig cfg) {
    space().validate(cfg);
    Trace t = new Trace(inChannels());
    int h = stem.trace(t, -1, cfg, Activation.RELU);
    h = down.trace(t, h, cfg, Activation.RELU);
    h = dw.trace(t, h, cfg, Activation.RELU);
    h = pw.trace(t, h, cfg, Activation.RELU);
    h = t.pool("pool", h);
    t.linear("classifier", h, fc.weight(), fc.bias(), classes(), Activation.NONE);
    return t.layers();
  }
}
