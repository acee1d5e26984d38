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
import org.slimj.engine.ops.Add;
import org.slimj.engine.ops.GlobalAvgPool;
import org.slimj.engine.ops.Relu6;
import org.slimj.engine.space.Activation;
import org.slimj.engine.tensor.Tensor;

/**
 * Slimmable MobileNet v2 (Sandler et al. 2018; slimmable variant after Yu &amp; Huang, US-Nets).
 * Inputs of 64 px or less get the small-image stem of the CIFAR variants (stride-1 first conv and
 * stride 1 in the 24-channel stage); larger inputs get the ImageNet strides.
 *
 * <p>Slots: the stem output; one output slot per stage (the blocks of a stage are tied by their
 * residual adds); one expansion slot per block with expansion (ratio t, so a uniform width keeps
 * it t × the slimmed input); the last 1×1 conv (1280 channels, kept at 1280 for uniform widths
 * below 1.0 as in the reference code). Channel counts at uniform widths are multiples of 8.
 */
public final class MobileNetV2 extends BuiltModel {
  /** Expansion t, channels c, repeats n, first stride s of each stage (ImageNet strides). */
  private static final int[][] STAGES = {
    {1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1}, {6, 160, 3, 2}, {6, 320, 1, 1}
  };

  private record Block(ConvUnit expand, ConvUnit dw, ConvUnit project, boolean residual) {}

  private final ConvUnit stem;
  private final List<Block> blocks = new ArrayList<>();
  private final ConvUnit last;
  private final SlimLinear fc;

  /**
   * Builds the network.
   *
   * @param maxWidth maximum width multiplier (weights are allocated at this width)
   * @param inChannels image channels
   * @param inputSize image height = width
   * @param classes number of classes
   * @param bn batch-norm flavour
   * @param widthList width list (entries at most {@code maxWidth})
   * @param rng initialisation randomness
   */
  public MobileNetV2(double maxWidth, int inChannels, int inputSize, int classes, BnKind bn, double[] widthList,
      RandomGenerator rng) {
    super("MobileNetV2", inChannels, classes, widthList);
    if (inChannels < 1 || inputSize < 8 || classes < 2) {
      throw new IllegalArgumentException(
          "MobileNetV2: expected inChannels >= 1, input size >= 8, classes >= 2; found " + inChannels + ", "
              + inputSize + ", " + classes);
    }
    boolean small = inputSize <= 64;
    SpaceBuilder b = new SpaceBuilder(bn, widthList, maxWidth, rng);
    int size = inputSize;
    int stemSlot = b.slot("stem.out", 32, 8, 1, false);
    int stemStride = small ? 1 : 2;
    stem = b.conv("stem", -1, inChannels, stemSlot, -1, 3, stemStride, size, Activation.RELU6);
    size = (size - 1) / stemStride + 1;
    int inSlot = stemSlot;
    int inBase = 32;
    int index = 0;
    for (int s = 0; s < STAGES.length; s++) {
      int t = STAGES[s][0];
      int c = STAGES[s][1];
      int stride = (small && s == 1) ? 1 : STAGES[s][3];
      int outSlot = b.slot("stage" + s + ".out", c, 8, 1, false);
      for (int i = 0; i < STAGES[s][2]; i++) {
        String name = "blocks." + index;
        int st = i == 0 ? stride : 1;
        int first = b.nextLayer();
        ConvUnit expand = null;
        int hidden = inSlot;
        if (t != 1) {
          hidden = b.slot(name + ".expand", inBase * t, 8, t, false);
          expand = b.conv(name + ".expand", inSlot, -1, hidden, -1, 1, 1, size, Activation.RELU6);
        }
        ConvUnit dw = b.depthwise(name + ".dw", hidden, 3, st, size, Activation.RELU6);
        size = (size - 1) / st + 1;
        ConvUnit project = b.conv(name + ".project", hidden, -1, outSlot, -1, 1, 1, size, Activation.NONE);
        if (inSlot == outSlot) {
          b.residualFrom(first);
        }
        blocks.add(new Block(expand, dw, project, inSlot == outSlot));
        inSlot = outSlot;
        inBase = c;
        index++;
      }
    }
    int lastSlot = b.slot("last.out", 1280, 8, 1, true);
    last = b.conv("last", inSlot, -1, lastSlot, -1, 1, 1, size, Activation.RELU6);
    fc = b.linear("classifier", lastSlot, classes, size);
    finish(b);
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    check(x, cfg);
    Tensor h = Relu6.forwardInPlace(ctx, stem.forward(ctx, x, cfg));
    for (Block blk : blocks) {
      Tensor in = h;
      if (blk.expand() != null) {
        h = Relu6.forwardInPlace(ctx, blk.expand().forward(ctx, h, cfg));
      }
      h = Relu6.forwardInPlace(ctx, blk.dw().forward(ctx, h, cfg));
      h = blk.project().forward(ctx, h, cfg);
      if (blk.residual()) {
        h = Add.forward(ctx, h, in);
      }
    }
    h = Relu6.forwardInPlace(ctx, last.forward(ctx, h, cfg));
    return fc.forward(ctx, GlobalAvgPool.forward(ctx, h), classes());
  }

  @Override
  public List<TracedLayer> trace(ChannelConfig cfg) {
    space().validate(cfg);
    Trace t = new Trace(inChannels());
    int h = stem.trace(t, -1, cfg, Activation.RELU6);
    for (int i = 0; i < blocks.size(); i++) {
      Block blk = blocks.get(i);
      int in = h;
      if (blk.expand() != null) {
        h = blk.expand().trace(t, h, cfg, Activation.RELU6);
      }
      h = blk.dw().trace(t, h, cfg, Activation.RELU6);
      h = blk.project().trace(t, h, cfg, Activation.NONE);
      if (blk.residual()) {
        h = t.add("blocks." + i + ".add", h, in, Activation.NONE);
      }
    }
    h = last.trace(t, h, cfg, Activation.RELU6);
    h = t.pool("pool", h);
    t.linear("classifier", h, fc.weight(), fc.bias(), classes(), Activation.NONE);
    return t.layers();
  }
}
