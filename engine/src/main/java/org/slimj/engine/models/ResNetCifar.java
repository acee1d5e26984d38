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
import org.slimj.engine.ops.Relu;
import org.slimj.engine.ops.ShortcutPad;
import org.slimj.engine.space.Activation;
import org.slimj.engine.tensor.Tensor;

/**
 * Slimmable ResNet for small images (He et al. 2016 §4.2: depth 6n + 2, three stages of 16, 32 and
 * 64 channels, basic blocks, parameter-free zero-padding shortcuts). Slots: one residual width per
 * stage, shared by the stem (stage 0) and every block output of the stage (tied by the residual
 * adds), and one inner width per block (its first conv's output), as AutoSlim samples residual
 * networks. Channel counts round to whole channels.
 */
public final class ResNetCifar extends BuiltModel {
  private record Block(ConvUnit conv1, ConvUnit conv2, int stride, int outSlot) {}

  private final ConvUnit stem;
  private final List<Block> blocks = new ArrayList<>();
  private final SlimLinear fc;

  /**
   * Builds ResNet-{@code depth} (20, 32, 44, 56, 110, ...).
   *
   * @param depth 6n + 2
   * @param maxWidth maximum width multiplier
   * @param inChannels image channels
   * @param inputSize image height = width
   * @param classes number of classes
   * @param bn batch-norm flavour
   * @param widthList width list
   * @param rng initialisation randomness
   */
  public ResNetCifar(int depth, double maxWidth, int inChannels, int inputSize, int classes, BnKind bn,
      double[] widthList, RandomGenerator rng) {
    super("ResNetCifar", inChannels, classes, widthList);
    if (depth < 8 || (depth - 2) % 6 != 0 || inChannels < 1 || inputSize < 4 || classes < 2) {
      throw new IllegalArgumentException(
          "ResNetCifar: expected depth 6n+2 >= 8, inChannels >= 1, input size >= 4, classes >= 2; found " + depth
              + ", " + inChannels + ", " + inputSize + ", " + classes);
    }
    int n = (depth - 2) / 6;
    SpaceBuilder b = new SpaceBuilder(bn, widthList, maxWidth, rng);
    int size = inputSize;
    int stage = b.slot("stage0.out", 16, 1, 1, false);
    stem = b.conv("stem", -1, inChannels, stage, -1, 3, 1, size, Activation.RELU);
    int inSlot = stage;
    int index = 0;
    int[] planes = {16, 32, 64};
    for (int s = 0; s < 3; s++) {
      int outSlot = s == 0 ? stage : b.slot("stage" + s + ".out", planes[s], 1, 1, false);
      for (int i = 0; i < n; i++) {
        String name = "blocks." + index;
        int st = (s > 0 && i == 0) ? 2 : 1;
        int mid = b.slot(name + ".mid", planes[s], 1, 1, false);
        int first = b.nextLayer();
        ConvUnit c1 = b.conv(name + ".conv1", inSlot, -1, mid, -1, 3, st, size, Activation.RELU);
        size = (size - 1) / st + 1;
        ConvUnit c2 = b.conv(name + ".conv2", mid, -1, outSlot, -1, 3, 1, size, Activation.RELU);
        b.residualFrom(first);
        blocks.add(new Block(c1, c2, st, outSlot));
        inSlot = outSlot;
        index++;
      }
    }
    fc = b.linear("classifier", inSlot, classes, size);
    finish(b);
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    check(x, cfg);
    Tensor h = Relu.forwardInPlace(ctx, stem.forward(ctx, x, cfg));
    for (Block blk : blocks) {
      Tensor o = Relu.forwardInPlace(ctx, blk.conv1().forward(ctx, h, cfg));
      o = blk.conv2().forward(ctx, o, cfg);
      int cout = cfg.get(blk.outSlot());
      Tensor shortcut = (blk.stride() == 1 && h.dim(1) == cout) ? h : ShortcutPad.forward(ctx, h, blk.stride(), cout);
      h = Relu.forwardInPlace(ctx, Add.forward(ctx, o, shortcut));
    }
    return fc.forward(ctx, GlobalAvgPool.forward(ctx, h), classes());
  }

  @Override
  public List<TracedLayer> trace(ChannelConfig cfg) {
    space().validate(cfg);
    Trace t = new Trace(inChannels());
    int h = stem.trace(t, -1, cfg, Activation.RELU);
    for (int i = 0; i < blocks.size(); i++) {
      Block blk = blocks.get(i);
      int o = blk.conv1().trace(t, h, cfg, Activation.RELU);
      o = blk.conv2().trace(t, o, cfg, Activation.NONE);
      int cout = cfg.get(blk.outSlot());
      int shortcut = (blk.stride() == 1 && t.channels(h) == cout)
          ? h : t.shortcut("blocks." + i + ".shortcut", h, blk.stride(), cout);
      h = t.add("blocks." + i + ".add", o, shortcut, Activation.RELU);
    }
    h = t.pool("pool", h);
    t.linear("classifier", h, fc.weight(), fc.bias(), classes(), Activation.NONE);
    return t.layers();
  }
}
