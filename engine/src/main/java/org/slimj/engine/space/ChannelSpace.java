package org.slimj.engine.space;

import java.util.ArrayList;
import java.util.List;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * A model's channel space as data: its configurable slots and its layers in execution order. A
 * {@link ChannelConfig} assigns one channel count to each slot.
 */
public final class ChannelSpace {
  private final List<Slot> slots;
  private final List<LayerSpec> layers;

  /** A space of {@code slots} and {@code layers} (both copied). */
  public ChannelSpace(List<Slot> slots, List<LayerSpec> layers) {
    this.slots = List.copyOf(slots);
    this.layers = List.copyOf(layers);
    for (int i = 0; i < this.layers.size(); i++) {
      LayerSpec l = this.layers.get(i);
      if (l.inSlot() >= this.slots.size() || l.outSlot() >= this.slots.size()) {
        throw new IllegalArgumentException("layer " + l.name() + " refers to a slot that does not exist");
      }
      if (l.residualFrom() > i) {
        throw new IllegalArgumentException(
            "layer " + l.name() + " (index " + i + "): residual source must be at or before it, found " + l.residualFrom());
      }
    }
  }

  /** The slots. */
  public List<Slot> slots() {
    return slots;
  }

  /** The layers in execution order. */
  public List<LayerSpec> layers() {
    return layers;
  }

  /** The configuration with every slot at its maximum. */
  public ChannelConfig max() {
    int[] c = new int[slots.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = slots.get(i).max();
    }
    return ChannelConfig.of(c);
  }

  /** The configuration at uniform width {@code width} of the base architecture. */
  public ChannelConfig uniform(double width) {
    int[] c = new int[slots.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = slots.get(i).channelsAt(width);
    }
    return ChannelConfig.of(c);
  }

  /** Checks that {@code cfg} has one count per slot, each in [1, max]. */
  public void validate(ChannelConfig cfg) {
    if (cfg.size() != slots.size()) {
      throw new IllegalArgumentException(
          "configuration has " + cfg.size() + " slots, the model has " + slots.size() + ": " + cfg);
    }
    for (int i = 0; i < slots.size(); i++) {
      if (cfg.get(i) > slots.get(i).max()) {
        throw new IllegalArgumentException(
            "slot " + i + " (" + slots.get(i).name() + "): expected at most " + slots.get(i).max()
                + " channels, found " + cfg.get(i));
      }
    }
  }

  /** Multiply-adds per image at {@code cfg}. */
  public long macs(ChannelConfig cfg) {
    validate(cfg);
    long s = 0;
    for (LayerSpec l : layers) {
      s += l.macs(cfg);
    }
    return s;
  }

  /** Parameters at {@code cfg} (active weight slices, biases, BN gamma and beta). */
  public long params(ChannelConfig cfg) {
    validate(cfg);
    long s = 0;
    for (LayerSpec l : layers) {
      s += l.params(cfg);
    }
    return s;
  }

  /** Indices of the layers that read or write slot {@code slot} (the layers tied by it). */
  public List<Integer> layersOfSlot(int slot) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec l = layers.get(i);
      if (l.inSlot() == slot || (l.kind() != LayerKind.DEPTHWISE && l.outSlot() == slot)) {
        out.add(i);
      }
    }
    return out;
  }
}
