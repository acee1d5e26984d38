package org.slimj.engine.nn.slim;

import java.util.Arrays;

/**
 * An immutable per-layer channel assignment: entry {@code i} is the number of active channels of
 * slot {@code i} of a model's channel space. A configuration may also carry the index of the width
 * it came from in a fixed width list, which switchable batch norm needs to pick its private
 * parameters; configurations not drawn from such a list have {@code switchIndex == -1}.
 *
 * <p>Passed to every forward pass; nothing about the active width is stored in layers.
 */
public final class ChannelConfig {
  private final int[] channels;
  private final int switchIndex;

  private ChannelConfig(int[] channels, int switchIndex) {
    for (int i = 0; i < channels.length; i++) {
      if (channels[i] < 1) {
        throw new IllegalArgumentException(
            "channel count of slot " + i + " must be at least 1, found " + channels[i]);
      }
    }
    if (switchIndex < -1) {
      throw new IllegalArgumentException("switch index must be -1 or a list index, found " + switchIndex);
    }
    this.channels = channels;
    this.switchIndex = switchIndex;
  }

  /** A configuration with explicit channel counts (copied) and no switch index. */
  public static ChannelConfig of(int... channels) {
    return new ChannelConfig(channels.clone(), -1);
  }

  /** The same channel counts tagged with entry {@code index} of a fixed width list. */
  public ChannelConfig withSwitchIndex(int index) {
    return new ChannelConfig(channels, index);
  }

  /** Number of slots. */
  public int size() {
    return channels.length;
  }

  /** Active channels of slot {@code i}. */
  public int get(int i) {
    return channels[i];
  }

  /** A copy of the channel counts. */
  public int[] toArray() {
    return channels.clone();
  }

  /** Index in the fixed width list, or -1. */
  public int switchIndex() {
    return switchIndex;
  }

  /** A stable key for maps of per-configuration state (channel counts and switch index). */
  public String key() {
    return Arrays.toString(channels) + (switchIndex >= 0 ? "#" + switchIndex : "");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChannelConfig c && c.switchIndex == switchIndex && Arrays.equals(c.channels, channels);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(channels) * 31 + switchIndex;
  }

  @Override
  public String toString() {
    return key();
  }
}
