package org.slimj.engine.space;

import org.slimj.engine.nn.slim.Widths;

/**
 * One configurable channel count of a model: every layer whose input or output channels are this
 * slot runs with the same count (layers joined by a residual add share one slot, which is how ties
 * are expressed). Counts are chosen per slot by a {@link org.slimj.engine.nn.slim.ChannelConfig}.
 *
 * @param name readable name (e.g. {@code stage2.out}, {@code block5.expand})
 * @param base channels at width 1.0
 * @param max channels allocated (at the model's maximum width multiplier)
 * @param divisor channel counts at uniform widths are multiples of this (times {@code ratio})
 * @param ratio counts at uniform width w are {@code makeDivisible(base·w / ratio) · ratio}; an
 *     inverted-residual expansion uses the expansion factor, so it stays t × the slimmed input
 * @param atLeastBase if true, uniform widths below 1.0 keep {@code base} channels (MobileNet v2's
 *     last 1×1 convolution keeps 1280)
 */
public record Slot(String name, int base, int max, int divisor, int ratio, boolean atLeastBase) {
  public Slot {
    if (base < 1 || max < 1 || divisor < 1 || ratio < 1) {
      throw new IllegalArgumentException(
          "slot " + name + ": expected positive base, max, divisor and ratio, found " + base + ", " + max
              + ", " + divisor + ", " + ratio);
    }
  }

  /** Channels at uniform width {@code width} (a multiplier of the base architecture), capped at max. */
  public int channelsAt(double width) {
    if (!(width > 0)) {
      throw new IllegalArgumentException("width must be positive, found " + width);
    }
    int c = Widths.makeDivisible(base * width / ratio, divisor, Math.min(divisor, Math.max(1, base / ratio))) * ratio;
    if (atLeastBase) {
      c = Math.max(c, base);
    }
    return Math.min(c, max);
  }

  /**
   * Channels of group {@code k} of {@code groups} equal groups (AutoSlim §3.2): {@code ceil(max·k /
   * groups)}, so group {@code groups} is the maximum and group 1 the smallest choice.
   */
  public int groupChannels(int k, int groups) {
    if (groups < 1 || k < 1 || k > groups) {
      throw new IllegalArgumentException(
          "slot " + name + ": group index must be in [1, " + groups + "], found " + k);
    }
    return (int) Math.max(1, ((long) max * k + groups - 1) / groups);
  }
}
