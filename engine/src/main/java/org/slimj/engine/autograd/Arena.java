package org.slimj.engine.autograd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
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
  /** Buffers lent since the last reset, in order (so the pool's order, too, is the same every run). */
  private final List<float[]> lent = new ArrayList<>();
  /** The buffers of {@link #lent} not taken back early by {@link #takeBack}. */
  private final Set<float[]> outstanding = Collections.newSetFromMap(new IdentityHashMap<>());

  /** A tensor with arbitrary contents, valid until the next {@link #reset()}. */
  public Tensor allocate(int... shape) {
    float[] b = pool.take(Shapes.volume(shape));
    lend(b);
    return Tensor.view(b, 0, shape);
  }

  /** As {@link #allocate}, filled with zeros. */
  public Tensor allocateZeroed(int... shape) {
    float[] b = pool.takeZeroed(Shapes.volume(shape));
    lend(b);
    return Tensor.view(b, 0, shape);
  }

  /** A zeroed buffer of at least {@code size} floats, valid until the next {@link #reset()}. */
  public float[] lendZeroed(int size) {
    float[] b = pool.takeZeroed(size);
    lend(b);
    return b;
  }

  /**
   * A zeroed buffer of at least {@code size} floats that the caller gives back itself with {@link
   * #giveBack} (a reset does not take it back): memory whose end is known before the pass ends.
   */
  public float[] borrowZeroed(int size) {
    return pool.takeZeroed(size);
  }

  /** Returns a buffer of {@link #borrowZeroed}; the caller must not touch it afterwards. */
  public void giveBack(float[] b) {
    pool.give(b);
  }

  /** Whether {@code b} is a buffer this arena lent and has not taken back. */
  public boolean lends(float[] b) {
    return outstanding.contains(b);
  }

  /**
   * Takes back one lent buffer before the reset, once nothing will read it again (an activation
   * whose last reader's backward has run); the caller must not touch it afterwards.
   */
  public void takeBack(float[] b) {
    if (!outstanding.remove(b)) {
      throw new IllegalArgumentException("takeBack: a buffer of " + b.length + " floats that this arena has not lent");
    }
    pool.give(b);
  }

  private void lend(float[] b) {
    lent.add(b);
    outstanding.add(b);
  }

  /** Takes back every buffer lent since the last reset: their tensors must not be used afterwards. */
  public void reset() {
    for (float[] b : lent) {
      if (outstanding.remove(b)) {
        pool.give(b);
      }
    }
    lent.clear();
  }

  /** Floats allocated so far (not served from the pool); constant in the steady state. */
  public long allocatedFloats() {
    return pool.allocatedFloats();
  }
}
