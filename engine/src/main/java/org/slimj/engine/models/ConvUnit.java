package org.slimj.engine.models;

import java.util.ArrayList;
import java.util.List;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.space.Activation;
import org.slimj.engine.graph.Trace;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.nn.slim.SlimConv2d;
import org.slimj.engine.nn.slim.SlimDepthwiseConv2d;
import org.slimj.engine.tensor.Tensor;

/**
 * A convolution (dense or depthwise) followed by batch norm, with its output channels taken from
 * a slot of the configuration (or fixed). The caller applies the activation.
 */
final class ConvUnit {
  private final SlimConv2d conv;
  private final SlimDepthwiseConv2d depthwise;
  private final SlimBatchNorm bn;
  private final int outSlot;
  private final int outFixed;

  ConvUnit(SlimConv2d conv, SlimBatchNorm bn, int outSlot, int outFixed) {
    this.conv = conv;
    this.depthwise = null;
    this.bn = bn;
    this.outSlot = outSlot;
    this.outFixed = outFixed;
  }

  ConvUnit(SlimDepthwiseConv2d depthwise, SlimBatchNorm bn) {
    this.conv = null;
    this.depthwise = depthwise;
    this.bn = bn;
    this.outSlot = -1;
    this.outFixed = -1;
  }

  /** conv (or depthwise) then batch norm at {@code cfg}. */
  Tensor forward(Context ctx, Tensor x, ChannelConfig cfg) {
    Tensor y = conv != null
        ? conv.forward(ctx, x, outSlot >= 0 ? cfg.get(outSlot) : outFixed)
        : depthwise.forward(ctx, x);
    return bn.forward(ctx, y, cfg);
  }

  /** Records this unit at {@code cfg} on {@code t}, reading output {@code input}, with activation {@code act}. */
  int trace(Trace t, int input, ChannelConfig cfg, Activation act) {
    if (conv != null) {
      int cout = outSlot >= 0 ? cfg.get(outSlot) : outFixed;
      return t.conv(conv.name(), input, conv.weight(), conv.kernel(), conv.stride(), conv.pad(), cout, bn, act);
    }
    return t.depthwise(depthwise.name(), input, depthwise.weight(), depthwise.kernel(), depthwise.stride(), depthwise.pad(), bn, act);
  }

  SlimBatchNorm bn() {
    return bn;
  }

  List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>(conv != null ? conv.parameters() : depthwise.parameters());
    p.addAll(bn.parameters());
    return p;
  }
}
