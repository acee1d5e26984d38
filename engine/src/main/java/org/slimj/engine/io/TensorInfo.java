package org.slimj.engine.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor entry of a safetensors header: name, dtype, shape and its byte range {@code [begin,
 * end)} relative to the start of the data buffer (the byte after the header). Immutable.
 */
public final class TensorInfo {
  private final String name;
  private final Dtype dtype;
  private final long[] shape;
  private final long begin;
  private final long end;

  /**
   * An entry; checks only what a single entry can (no negative dimension, {@code 0 <= begin <=
   * end}), not that the range matches the shape, which {@link SafetensorsHeader} checks.
   */
  public TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
    this.name = Objects.requireNonNull(name, "name");
    this.dtype = Objects.requireNonNull(dtype, "dtype");
    this.shape = shape.clone();
    for (long d : this.shape) {
      if (d < 0) {
        throw new IllegalArgumentException(
            "tensor '" + name + "': negative dimension in shape " + Arrays.toString(shape));
      }
    }
    if (begin < 0 || begin > end) {
      throw new IllegalArgumentException(
          "tensor '" + name + "': need 0 <= begin <= end, found [" + begin + ", " + end + ")");
    }
    this.begin = begin;
    this.end = end;
  }

  /** The tensor's name (usually a dotted layer path such as {@code stem.conv.weight}). */
  public String name() {
    return name;
  }

  /** The element type. */
  public Dtype dtype() {
    return dtype;
  }

  /** A copy of the shape; empty for a scalar. */
  public long[] shape() {
    return shape.clone();
  }

  /** Number of dimensions (0 for a scalar). */
  public int rank() {
    return shape.length;
  }

  /**
   * Number of elements (1 for a scalar).
   *
   * @throws ArithmeticException if the product overflows a {@code long}
   */
  public long elementCount() {
    long n = 1;
    for (long d : shape) {
      n = Math.multiplyExact(n, d);
    }
    return n;
  }

  /** First byte of the tensor, relative to the data buffer. */
  public long begin() {
    return begin;
  }

  /** One past the last byte of the tensor, relative to the data buffer. */
  public long end() {
    return end;
  }

  /** {@code end() - begin()}. */
  public long byteLength() {
    return end - begin;
  }

  /**
   * The shape as an {@code int[]} for {@link org.slimj.engine.tensor.Tensor}, or null if too big.
   */
  int[] intShapeOrNull() {
    int[] s = new int[shape.length];
    for (int i = 0; i < shape.length; i++) {
      if (shape[i] > Integer.MAX_VALUE) {
        return null;
      }
      s[i] = (int) shape[i];
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TensorInfo t
        && name.equals(t.name)
        && dtype == t.dtype
        && Arrays.equals(shape, t.shape)
        && begin == t.begin
        && end == t.end;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
  }

  /** For example {@code 'stem.conv.weight' F32 [4, 3, 3, 3] at [0, 432)}. */
  @Override
  public String toString() {
    return "'"
        + name
        + "' "
        + dtype
        + " "
        + Arrays.toString(shape)
        + " at ["
        + begin
        + ", "
        + end
        + ")";
  }
}
