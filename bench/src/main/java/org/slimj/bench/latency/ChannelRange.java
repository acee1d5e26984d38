package org.slimj.bench.latency;

import java.util.SplittableRandom;
import java.util.TreeSet;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.Slot;

/**
 * The channel range a latency table covers per slot: from the smallest of AutoSlim's 10 channel
 * groups ({@link Slot#groupChannels}(1, 10)) to the maximum, and grids and random configurations
 * over it.
 */
public final class ChannelRange {
  /** AutoSlim's number of channel groups (§3.2); the smallest group is the low end of the range. */
  public static final int GROUPS = 10;

  private ChannelRange() {}

  /** Smallest channel count profiled for {@code slot}. */
  public static int low(Slot slot) {
    return slot.groupChannels(1, GROUPS);
  }

  /**
   * {@code points} channel counts linearly spaced over [lo, hi], rounded, duplicates dropped; always
   * holds lo and hi.
   */
  public static int[] grid(int lo, int hi, int points) {
    if (lo < 1 || hi < lo || points < 1) {
      throw new IllegalArgumentException(
          "grid: expected 1 <= lo <= hi and >= 1 point, found " + lo + ", " + hi + ", " + points);
    }
    TreeSet<Integer> s = new TreeSet<>();
    s.add(lo);
    s.add(hi);
    for (int i = 1; i < points - 1; i++) {
      s.add((int) Math.round(lo + (hi - lo) * (double) i / (points - 1)));
    }
    return s.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A configuration with each slot's count drawn uniformly from [low, max]. */
  public static ChannelConfig random(ChannelSpace space, SplittableRandom rng) {
    int[] c = new int[space.slots().size()];
    for (int i = 0; i < c.length; i++) {
      Slot s = space.slots().get(i);
      c[i] = rng.nextInt(low(s), s.max() + 1);
    }
    return ChannelConfig.of(c);
  }

  /** The configuration with every slot at its low end. */
  public static ChannelConfig lowest(ChannelSpace space) {
    int[] c = new int[space.slots().size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = low(space.slots().get(i));
    }
    return ChannelConfig.of(c);
  }
}
