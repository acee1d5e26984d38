package org.slimj.engine.autograd;

import java.util.ArrayList;
import java.util.List;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Scratch memory for the tensors of one pass: buffers come from a {@link BufferPool} and all go
 * back at {@link #reset()}, so repeating the same kind of pass allocates nothing. A tape owns one
 * (training); an inference thread keeps its own and resets it after each request, copying out what
 * it keeps. Not thread-safe: one arena per thread.
 */
public final class Arena {
  private final BufferPool pool = new BufferPool();
  private final List<float[]> lent = new ArrayList<>();

  /** A tensor with arbitrary contents, valid until the next {@link #reset()}. */
  public Tensor allocate(int... shape) {
    float[] b = pool.take(Shapes.volume(shape));
    lent.add(b);
    return Tensor.view(b, 0, shape);
  }

  /** As {@link #allocate}, filled with zeros. */
  public Tensor allocateZeroed(int... shape) {
    float[] b = pool.takeZeroed(Shapes.volume(shape));
    lent.add(b);
    return Tensor.view(b, 0, shape);
  }

  /** A zeroed buffer of at least {@code size} floats, valid until the next {@link #reset()}. */
  public float[] lendZeroed(int size) {
    float[] b = pool.takeZeroed(size);
    lent.add(b);
    return b;
  }

  /** Takes back every buffer lent since the last reset: their tensors must not be used afterwards. */
  public void reset() {
    for (float[] b : lent) {
      pool.give(b);
    }
    lent.clear();
  }

  /** Floats allocated so far (not served from the pool); constant in the steady state. */
  public long allocatedFloats() {
    return pool.allocatedFloats();
  }
}
