package org.slimj.engine.tensor;

import java.util.Arrays;

/** Shape arithmetic and checks with messages that name what was expected and what was found. */
public final class Shapes {
  private Shapes() {}

  /** Product of the dimensions; rejects negative dimensions and overflow past int range. */
  public static int volume(int... shape) {
    long v = 1;
    for (int d : shape) {
      if (d < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      v *= d;
      if (v > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " is too large");
      }
    }
    return (int) v;
  }

  /** Checks that {@code t} has rank {@code rank}; {@code what} names the argument in the error. */
  public static void requireRank(Tensor t, int rank, String what) {
    if (t.rank() != rank) {
      throw new IllegalArgumentException(
          what + ": expected rank " + rank + ", found shape " + Arrays.toString(t.shape()));
    }
  }

  /** Checks that {@code t} has exactly {@code shape}. */
  public static void requireShape(Tensor t, String what, int... shape) {
    if (!Arrays.equals(t.shape(), shape)) {
      throw new IllegalArgumentException(
          what
              + ": expected shape "
              + Arrays.toString(shape)
              + ", found "
              + Arrays.toString(t.shape()));
    }
  }

  /** Checks {@code 1 <= value <= max}; used for active channel counts against allocated maxima. */
  public static void requireInRange(int value, int max, String what) {
    if (value < 1 || value > max) {
      throw new IllegalArgumentException(
          what + ": expected a value in [1, " + max + "], found " + value);
    }
  }

  /** Output size of a convolution along one spatial axis. */
  public static int convOut(int in, int kernel, int stride, int pad) {
    return (in + 2 * pad - kernel) / stride + 1;
  }
}
