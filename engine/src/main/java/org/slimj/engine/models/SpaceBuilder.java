package org.slimj.engine.models;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.nn.slim.SlimConv2d;
import org.slimj.engine.nn.slim.SlimDepthwiseConv2d;
import org.slimj.engine.nn.slim.SlimLinear;
import org.slimj.engine.nn.slim.Widths;
import org.slimj.engine.space.Activation;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.space.Slot;

/**
 * Builds a model's layers and its channel space together, so the two can never disagree: every
 * layer created here is also recorded as a {@link LayerSpec}, and every parameter is collected.
 */
final class SpaceBuilder {
  private final BnKind bnKind;
  private final double[] widthList;
  private final double maxWidth;
  private final RandomGenerator rng;
  private final List<Slot> slots = new ArrayList<>();
  private final List<LayerSpec> layers = new ArrayList<>();
  private final List<Parameter> parameters = new ArrayList<>();
  private final List<SlimBatchNorm> bns = new ArrayList<>();

  SpaceBuilder(BnKind bnKind, double[] widthList, double maxWidth, RandomGenerator rng) {
    if (!(maxWidth > 0) || widthList.length == 0) {
      throw new IllegalArgumentException(
          "expected a positive maximum width and a non-empty width list, found " + maxWidth + " and "
              + widthList.length + " widths");
    }
    for (double w : widthList) {
      if (!(w > 0) || w > maxWidth + 1e-9) {
        throw new IllegalArgumentException("width-list entry " + w + " is outside (0, " + maxWidth + "]");
      }
    }
    this.bnKind = bnKind;
    this.widthList = widthList.clone();
    this.maxWidth = maxWidth;
    this.rng = rng;
  }

  /** Adds a slot of {@code base} channels at width 1.0; returns its index. */
  int slot(String name, int base, int divisor, int ratio, boolean atLeastBase) {
    int max = Widths.makeDivisible(base * maxWidth / ratio, divisor, Math.min(divisor, Math.max(1, base / ratio))) * ratio;
    if (atLeastBase) {
      max = Math.max(max, base);
    }
    slots.add(new Slot(name, base, max, divisor, ratio, atLeastBase));
    return slots.size() - 1;
  }

  int max(int slot) {
    return slots.get(slot).max();
  }

  private int[] switchChannels(int slot, int fixed) {
    int[] c = new int[widthList.length];
    for (int i = 0; i < c.length; i++) {
      c[i] = slot >= 0 ? slots.get(slot).channelsAt(widthList[i]) : fixed;
    }
    return c;
  }

  private SlimBatchNorm bn(String name, int slot, int fixed) {
    SlimBatchNorm b = bnKind.create(name, slot >= 0 ? max(slot) : fixed, switchChannels(slot, fixed));
    bns.add(b);
    parameters.addAll(b.parameters());
    return b;
  }

  /**
   * conv + BN from slot {@code inSlot} (or {@code inFixed} channels if -1) to slot {@code outSlot} (or fixed),
   * followed by {@code act} (applied by the caller's forward).
   */
  ConvUnit conv(String name, int inSlot, int inFixed, int outSlot, int outFixed, int kernel, int stride, int inputSize,
      Activation act) {
    int cinMax = inSlot >= 0 ? max(inSlot) : inFixed;
    int coutMax = outSlot >= 0 ? max(outSlot) : outFixed;
    SlimConv2d c = new SlimConv2d(name + ".conv", cinMax, coutMax, kernel, stride, rng);
    parameters.addAll(c.parameters());
    layers.add(new LayerSpec(name + ".conv", LayerKind.CONV, kernel, stride, inputSize, inSlot, inFixed,
        outSlot, outFixed, true, false, act, -1, 0));
    return new ConvUnit(c, bn(name + ".bn", outSlot, outFixed), outSlot, outFixed);
  }

  /** depthwise conv + BN on slot {@code slot}, followed by {@code act}. */
  ConvUnit depthwise(String name, int slot, int kernel, int stride, int inputSize, Activation act) {
    SlimDepthwiseConv2d d = new SlimDepthwiseConv2d(name + ".conv", max(slot), kernel, stride, rng);
    parameters.addAll(d.parameters());
    layers.add(new LayerSpec(name + ".conv", LayerKind.DEPTHWISE, kernel, stride, inputSize, slot, -1, slot, -1,
        true, false, act, -1, 0));
    return new ConvUnit(d, bn(name + ".bn", slot, -1));
  }

  /**
   * A linear classifier with bias from slot {@code inSlot} to {@code out} fixed outputs, fed by global
   * average pooling of a {@code pooledSize}×{@code pooledSize} feature map.
   */
  SlimLinear linear(String name, int inSlot, int out, int pooledSize) {
    SlimLinear l = new SlimLinear(name, max(inSlot), out, true, rng);
    parameters.addAll(l.parameters());
    layers.add(new LayerSpec(name, LayerKind.LINEAR, 1, 1, 1, inSlot, -1, -1, out, false, true, Activation.NONE, -1,
        pooledSize));
    return l;
  }

  /** Index that the next layer added will have. */
  int nextLayer() {
    return layers.size();
  }

  /** Marks the last layer added as ending a residual add of the input of layer {@code from}. */
  void residualFrom(int from) {
    int last = layers.size() - 1;
    if (from < 0 || from > last) {
      throw new IllegalStateException("residual source " + from + " is not a layer in [0, " + last + "]");
    }
    layers.set(last, layers.get(last).withResidualFrom(from));
  }

  ChannelSpace space() {
    return new ChannelSpace(slots, layers);
  }

  List<Parameter> parameters() {
    return List.copyOf(parameters);
  }

  List<SlimBatchNorm> batchNorms() {
    return List.copyOf(bns);
  }
}
