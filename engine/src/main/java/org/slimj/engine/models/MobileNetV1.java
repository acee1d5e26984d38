package org.slimj.engine.models;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.nn.slim.SlimLinear;
import org.slimj.engine.ops.GlobalAvgPool;
import org.slimj.engine.ops.Relu;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Slimmable MobileNet v1 (Howard et al. 2017): a 3×3 stem and 13 depthwise-separable blocks, then
 * global pooling and a linear classifier whose input is slimmable. Inputs of 64 px or less get a
 * stride-1 stem. Slots: the stem output and each block's pointwise output (the depthwise conv
 * inherits its input's slot), 14 in all, as the AOWS search space. Multiples of 8 at uniform widths.
 */
public final class MobileNetV1 implements SlimModel {
  /** Output channels and stride of the 13 blocks. */
  private static final int[][] BLOCKS = {
    {64, 1}, {128, 2}, {128, 1}, {256, 2}, {256, 1}, {512, 2}, {512, 1}, {512, 1}, {512, 1}, {512, 1},
    {512, 1}, {1024, 2}, {1024, 1}
  };

  private final int inChannels;
  private final int classes;
  private final double[] widthList;
  private final ConvUnit stem;
  private final List<ConvUnit[]> blocks = new ArrayList<>();
  private final SlimLinear fc;
  private final ChannelSpace space;
  private final List<Parameter> parameters;
  private final List<SlimBatchNorm> bns;

  /** Builds the network; parameters as {@link MobileNetV2#MobileNetV2}. */
  public MobileNetV1(double maxWidth, int inChannels, int inputSize, int classes, BnKind bn, double[] widthList,
      RandomGenerator rng) {
    if (inChannels < 1 || inputSize < 8 || classes < 2) {
      throw new IllegalArgumentException(
          "MobileNetV1: expected inChannels >= 1, input size >= 8, classes >= 2; found " + inChannels + ", "
              + inputSize + ", " + classes);
    }
    this.inChannels = inChannels;
    this.classes = classes;
    this.widthList = widthList.clone();
    SpaceBuilder b = new SpaceBuilder(bn, widthList, maxWidth, rng);
    int size = inputSize;
    int stemStride = inputSize <= 64 ? 1 : 2;
    int slot = b.slot("stem.out", 32, 8, 1, false);
    stem = b.conv("stem", -1, inChannels, slot, -1, 3, stemStride, size);
    size = (size - 1) / stemStride + 1;
    for (int i = 0; i < BLOCKS.length; i++) {
      String name = "blocks." + i;
      int st = BLOCKS[i][1];
      ConvUnit dw = b.depthwise(name + ".dw", slot, 3, st, size);
      size = (size - 1) / st + 1;
      int out = b.slot(name + ".out", BLOCKS[i][0], 8, 1, false);
      ConvUnit pw = b.conv(name + ".pw", slot, -1, out, -1, 1, 1, size);
      blocks.add(new ConvUnit[] {dw, pw});
      slot = out;
    }
    fc = b.linear("classifier", slot, classes);
    space = b.space();
    parameters = b.parameters();
    bns = b.batchNorms();
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    Shapes.requireRank(x, 4, "MobileNetV1 input");
    if (x.dim(1) != inChannels) {
      throw new IllegalArgumentException("MobileNetV1 input: expected " + inChannels + " channels, found " + x);
    }
    space.validate(cfg);
    Tensor h = Relu.forward(ctx, stem.forward(ctx, x, cfg));
    for (ConvUnit[] blk : blocks) {
      h = Relu.forward(ctx, blk[0].forward(ctx, h, cfg));
      h = Relu.forward(ctx, blk[1].forward(ctx, h, cfg));
    }
    return fc.forward(ctx, GlobalAvgPool.forward(ctx, h), classes);
  }

  @Override
  public List<Parameter> parameters() {
    return parameters;
  }

  @Override
  public List<SlimBatchNorm> batchNorms() {
    return bns;
  }

  @Override
  public ChannelSpace space() {
    return space;
  }

  @Override
  public double[] widthList() {
    return widthList.clone();
  }

  @Override
  public int classes() {
    return classes;
  }
}
