package org.slimj.engine.models;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.nn.slim.SlimConv2d;
import org.slimj.engine.nn.slim.SlimDepthwiseConv2d;
import org.slimj.engine.nn.slim.SlimLinear;
import org.slimj.engine.nn.slim.Widths;
import org.slimj.engine.ops.GlobalAvgPool;
import org.slimj.engine.ops.Relu;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * A small slimmable CNN for fast tests and examples: conv3×3 → conv3×3/2 → depthwise 3×3 →
 * pointwise 1×1, each with batch norm and ReLU, then global average pooling and a linear
 * classifier. Three configuration slots: the stem output, the strided conv output (which the
 * depthwise layer inherits), and the pointwise output. Image channels and classes are never cut.
 */
public final class SmallCnn implements SlimModel {
  private final int inChannels;
  private final int classes;
  private final int[] max;
  private final double[] widthList;
  private final int divisor;
  private final SlimConv2d stem;
  private final SlimBatchNorm stemBn;
  private final SlimConv2d down;
  private final SlimBatchNorm downBn;
  private final SlimDepthwiseConv2d dw;
  private final SlimBatchNorm dwBn;
  private final SlimConv2d pw;
  private final SlimBatchNorm pwBn;
  private final SlimLinear fc;

  /**
   * Builds the network.
   *
   * @param inChannels image channels
   * @param classes number of classes
   * @param maxChannels maximum channels of the three slots
   * @param bn batch-norm flavour
   * @param widthList the fixed width list (switchable BN gets one BN per entry); for universal BN
   *     it only names the widths that {@link #switchConfig} returns
   * @param rng initialisation randomness
   */
  public SmallCnn(int inChannels, int classes, int[] maxChannels, BnKind bn, double[] widthList, RandomGenerator rng) {
    if (inChannels < 1 || classes < 2 || maxChannels.length != 3 || widthList.length == 0) {
      throw new IllegalArgumentException(
          "SmallCnn: expected inChannels >= 1, classes >= 2, 3 max channel counts and a width list; found "
              + inChannels + ", " + classes + ", " + maxChannels.length + ", " + widthList.length);
    }
    this.inChannels = inChannels;
    this.classes = classes;
    this.max = maxChannels.clone();
    this.widthList = widthList.clone();
    this.divisor = 1;
    int[][] sw = new int[3][widthList.length];
    for (int i = 0; i < widthList.length; i++) {
      for (int s = 0; s < 3; s++) {
        sw[s][i] = Widths.channels(max[s], widthList[i], divisor);
      }
    }
    stem = new SlimConv2d("stem.conv", inChannels, max[0], 3, 1, rng);
    stemBn = bn.create("stem.bn", max[0], sw[0]);
    down = new SlimConv2d("down.conv", max[0], max[1], 3, 2, rng);
    downBn = bn.create("down.bn", max[1], sw[1]);
    dw = new SlimDepthwiseConv2d("dw.conv", max[1], 3, 1, rng);
    dwBn = bn.create("dw.bn", max[1], sw[1]);
    pw = new SlimConv2d("pw.conv", max[1], max[2], 1, 1, rng);
    pwBn = bn.create("pw.bn", max[2], sw[2]);
    fc = new SlimLinear("classifier", max[2], classes, true, rng);
  }

  @Override
  public Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    Shapes.requireRank(x, 4, "SmallCnn input");
    if (x.dim(1) != inChannels) {
      throw new IllegalArgumentException(
          "SmallCnn input: expected " + inChannels + " channels, found " + x);
    }
    if (cfg.size() != 3) {
      throw new IllegalArgumentException("SmallCnn: expected a configuration of 3 slots, found " + cfg);
    }
    Tensor h = Relu.forward(ctx, stemBn.forward(ctx, stem.forward(ctx, x, cfg.get(0)), cfg));
    h = Relu.forward(ctx, downBn.forward(ctx, down.forward(ctx, h, cfg.get(1)), cfg));
    h = Relu.forward(ctx, dwBn.forward(ctx, dw.forward(ctx, h), cfg));
    h = Relu.forward(ctx, pwBn.forward(ctx, pw.forward(ctx, h, cfg.get(2)), cfg));
    return fc.forward(ctx, GlobalAvgPool.forward(ctx, h), classes);
  }

  @Override
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>();
    p.addAll(stem.parameters());
    p.addAll(stemBn.parameters());
    p.addAll(down.parameters());
    p.addAll(downBn.parameters());
    p.addAll(dw.parameters());
    p.addAll(dwBn.parameters());
    p.addAll(pw.parameters());
    p.addAll(pwBn.parameters());
    p.addAll(fc.parameters());
    return p;
  }

  @Override
  public List<SlimBatchNorm> batchNorms() {
    return List.of(stemBn, downBn, dwBn, pwBn);
  }

  @Override
  public int[] maxChannels() {
    return max.clone();
  }

  @Override
  public ChannelConfig uniform(double width) {
    return ChannelConfig.of(
        Widths.channels(max[0], width, divisor),
        Widths.channels(max[1], width, divisor),
        Widths.channels(max[2], width, divisor));
  }

  @Override
  public ChannelConfig switchConfig(int i) {
    if (i < 0 || i >= widthList.length) {
      throw new IllegalArgumentException(
          "width-list index must be in [0, " + widthList.length + "), found " + i);
    }
    return uniform(widthList[i]).withSwitchIndex(i);
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
