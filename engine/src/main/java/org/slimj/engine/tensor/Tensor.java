package org.slimj.engine.tensor;

import java.util.Arrays;

/**
 * A dense float32 tensor, contiguous in row-major (NCHW) order, backed by a slice of a float array.
 *
 * <p>A tensor either is a leaf (input or parameter) or was produced by an op recorded on a {@link
 * org.slimj.engine.autograd.Tape}. Its gradient buffer has the same size as its data and is
 * allocated only when a backward pass first writes to it, so inference allocates no gradients.
 * Parameters of slimmable layers are allocated at their maximum shape; ops read and write only the
 * active prefix through leading dimensions.
 */
public final class Tensor {
  private final float[] data;
  private final int offset;
  private final int[] shape;
  private final int size;
  private boolean requiresGrad;
  private float[] grad;
  private java.util.function.IntFunction<float[]> gradSource;

  private Tensor(float[] data, int offset, int[] shape, boolean requiresGrad) {
    this.data = data;
    this.offset = offset;
    this.shape = shape.clone();
    this.size = Shapes.volume(this.shape);
    if (offset < 0 || offset + size > data.length) {
      throw new IllegalArgumentException(
          "tensor of shape "
              + Arrays.toString(shape)
              + " at offset "
              + offset
              + " does not fit an array of length "
              + data.length);
    }
    this.requiresGrad = requiresGrad;
  }

  /** A new zero tensor of the given shape that does not require a gradient. */
  public static Tensor zeros(int... shape) {
    return new Tensor(new float[Shapes.volume(shape)], 0, shape, false);
  }

  /** A new zero tensor that is a trainable leaf: backward passes accumulate into its gradient. */
  public static Tensor parameter(int... shape) {
    return new Tensor(new float[Shapes.volume(shape)], 0, shape, true);
  }

  /** Wraps {@code data} (not copied); its length must equal the volume of {@code shape}. */
  public static Tensor of(float[] data, int... shape) {
    int v = Shapes.volume(shape);
    if (data.length != v) {
      throw new IllegalArgumentException(
          "expected " + v + " values for shape " + Arrays.toString(shape) + ", found " + data.length);
    }
    return new Tensor(data, 0, shape, false);
  }

  /** Wraps a region of {@code data} starting at {@code offset} (not copied). */
  public static Tensor view(float[] data, int offset, int... shape) {
    return new Tensor(data, offset, shape, false);
  }

  /** The backing array; the tensor occupies {@code [offset(), offset() + size())}. */
  public float[] data() {
    return data;
  }

  /** Index of the first element in {@link #data()}. */
  public int offset() {
    return offset;
  }

  /** A copy of the shape. */
  public int[] shape() {
    return shape.clone();
  }

  /** Number of dimensions. */
  public int rank() {
    return shape.length;
  }

  /** Size of dimension {@code i}. */
  public int dim(int i) {
    return shape[i];
  }

  /** Number of elements. */
  public int size() {
    return size;
  }

  /** Whether backward passes compute a gradient for this tensor. */
  public boolean requiresGrad() {
    return requiresGrad;
  }

  /** Marks this tensor as needing a gradient (used by ops for their recorded outputs). */
  public void setRequiresGrad(boolean requiresGrad) {
    this.requiresGrad = requiresGrad;
  }

  /**
   * The gradient buffer (same layout as the data, offset 0; at least {@link #size()} long, longer
   * when it comes from a tape's pool), allocated zeroed on first use.
   */
  public float[] grad() {
    if (grad == null) {
      grad = gradSource != null ? gradSource.apply(size) : new float[size];
    }
    return grad;
  }

  /**
   * Makes {@link #grad()} take its zeroed buffer from {@code source} (a tape's pool) instead of
   * allocating; used for intermediate tensors whose gradients live for one backward pass.
   */
  public void setGradSource(java.util.function.IntFunction<float[]> source) {
    this.gradSource = source;
  }

  /** The gradient buffer, or null if no backward pass has written one yet. */
  public float[] gradOrNull() {
    return grad;
  }

  /** Sets every gradient entry to zero (keeps the buffer). */
  public void zeroGrad() {
    if (grad != null) {
      Arrays.fill(grad, 0f);
    }
  }

  /** Drops the gradient buffer so it can be garbage collected. */
  public void clearGrad() {
    grad = null;
  }

  /** Element at a flat index (relative to the tensor's start). */
  public float get(int i) {
    return data[offset + i];
  }

  /** Sets the element at a flat index (relative to the tensor's start). */
  public void set(int i, float v) {
    data[offset + i] = v;
  }

  /** A copy of the tensor's values as a new array. */
  public float[] toArray() {
    return Arrays.copyOfRange(data, offset, offset + size);
  }

  /** The value of a one-element tensor. */
  public float item() {
    if (size != 1) {
      throw new IllegalStateException(
          "item() needs a one-element tensor, found shape " + Arrays.toString(shape));
    }
    return data[offset];
  }

  @Override
  public String toString() {
    return "Tensor" + Arrays.toString(shape) + (requiresGrad ? " (grad)" : "");
  }
}
