package org.slimj.engine.dist;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Gathers one text from every rank to every rank over a {@link Collective} (which moves float
 * arrays only): the lengths in one all-reduce, then each rank's UTF-8 bytes broadcast from that
 * rank, one byte per float (whole numbers below 256 are exact). Used to collect results that are
 * files, such as each machine's latency table. Every rank must call it at the same point.
 */
public final class TextGather {
  /** Longest text one rank may contribute, in UTF-8 bytes (16 MB: lengths travel as exact floats). */
  public static final int MAX_BYTES = 1 << 24;

  private TextGather() {}

  /** The texts of ranks {@code 0..size-1}, {@code mine} at this rank's index. */
  public static List<String> all(Collective collective, String mine) {
    Objects.requireNonNull(mine, "text");
    byte[] own = mine.getBytes(StandardCharsets.UTF_8);
    if (own.length > MAX_BYTES) {
      throw new IllegalArgumentException("gather: rank " + collective.rank() + "'s text has " + own.length
          + " bytes, expected at most " + MAX_BYTES);
    }
    float[] lengths = new float[collective.size()];
    lengths[collective.rank()] = own.length;
    collective.allReduceSum(lengths);
    List<String> out = new ArrayList<>(collective.size());
    for (int r = 0; r < collective.size(); r++) {
      int n = (int) lengths[r];
      if (n < 0 || n > MAX_BYTES || n != lengths[r]) {
        throw new CollectiveException("gather: rank " + r + " announced " + lengths[r] + " bytes, expected a whole"
            + " number from 0 to " + MAX_BYTES);
      }
      float[] data = new float[n];
      if (r == collective.rank()) {
        for (int i = 0; i < n; i++) {
          data[i] = own[i] & 0xFF;
        }
      }
      if (n > 0) {
        collective.broadcast(data, r);
      }
      byte[] bytes = new byte[n];
      for (int i = 0; i < n; i++) {
        bytes[i] = (byte) (int) data[i];
      }
      out.add(new String(bytes, StandardCharsets.UTF_8));
    }
    return List.copyOf(out);
  }
}
