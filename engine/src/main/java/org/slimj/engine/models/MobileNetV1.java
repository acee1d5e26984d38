package org.slimj.engine.models;

import java.util.ArrayList;
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
 * Slimmable MobileNet v1 (Howard et al. 2017): a 3×3 stem and 13 depthwise-separable blocks, then
 * global pooling and a linear classifier whose input is slimmable. Inputs of 64 px or less get a
 * stride-1 stem. Slots: the stem output and each block's pointwise output (the depthwise conv
 * inherits its input's slot), 14 in all, as the AOWS search space. Multiples of 8 at uniform widths.
 */
public final class MobileNetV1 extends BuiltModel {
  /** Output channels and stride of the 13 blocks. */
  private static final int[][] BLOCKS = {
    {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1},
    {512, 1}, {1024, 2}, {1024, 1}
  };

  private final ConvUnit stem;
  private final List<ConvUnit[]> blocks = new ArrayList<>();
  private final SlimLinear fc;

  /** Builds the network; parameters as {@link MobileNetV2#MobileNetV2}. */
  public MobileNetV1(double maxWidth, int inChannels, int inputSize, int classes, BnKind bn, double[] widthList,
      RandomGenerator rng) {
    super("MobileNetV1", inChannels, classes, widthList);
    if (inChannels < 1 || inputSize < 8 || classes < 2) {
      throw new IllegalArgumentException(
          "MobileNetV1: expected inChannels >= 1, input size >= 8, classes >= 2; found " + inChannels + ", "
              + inputSize + ", " + classes);
    }
    SpaceBuilder b = new SpaceBuilder(bn, widthList, maxWidth, rng);
    int size = inputSize;
    int stemStride = inputSize <= 64 ? 1 : 2;
    int slot = b.slot("stem.out", 32, 8, 1, false);
    stem = b.conv("stem", -1, inChannels, slot, -1, 3, stemStride, size, Activation.RELU);
    size = (size - 1) / stemStride + 1;
    for (int i = 0; i < BLOCKS.length; i++) {
      String name = "blocks." + i;
      int st = BLOCKS[i][1];
      ConvUnit dw = b.depthwise(name + ".dw", slot, 3, st, size, Activation.RELU);
      size = (size - 1) / st + 1;
      int out = b.slot(name + ".out", BLOCKS[i][0], 8, 1, false);
      ConvUnit pw = b.conv(name + ".pw", slot, -1, out, -1, 1, 1, size, Activation.RELU);
      blocks.add(new ConvUnit[] {dw, pw});
      slot = out;
    }
    fc = b.linear("classifier", slot, classes, size);
    finish(b);
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    check(x, cfg);
    Tensor h = Relu.forwardInPlace(ctx, stem.forward(ctx, x, cfg));
    for (ConvUnit[] blk : blocks) {
      h = Relu.forwardInPlace(ctx, blk[0].forward(ctx, h, cfg));
      h = Relu.forwardInPlace(ctx, blk[1].forward(ctx, h, cfg));
    }
    return fc.forward(ctx, GlobalAvgPool.forward(ctx, h), classes());
  }

  @Override
  public List<TracedLayer> trace(ChannelConfig cfg) {
    space().validate(cfg);
    Trace t = new Trace(inChannels());
    int h = stem.trace(t, -1, cfg, Activation.RELU);
    for (ConvUnit[] blk : blocks) {
      h = blk[0].trace(t, h, cfg, Activation.RELU);
      h = blk[1].trace(t, h, cfg, Activation.RELU);
    }
    h = t.pool("pool", h);
    t.linear("classifier", h, fc.weight(), fc.bias(), classes(), Activation.NONE);
    return t.layers();
  }
}
