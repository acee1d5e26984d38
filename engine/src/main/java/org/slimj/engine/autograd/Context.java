package org.slimj.engine.autograd;

import java.util.Objects;
import java.util.random.RandomGenerator;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/**
 * Everything a forward pass needs besides its inputs, passed explicitly (never ambient): the
 * kernel backend, the tape that records ops for backward (null in no-grad mode), train or eval
 * mode (batch statistics and dropout), and the random generator used by stochastic ops.
 *
 * @param kernels the kernel backend
 * @param tape the tape recording ops, or null for no-grad mode (records nothing, allocates no
 *     gradient buffers)
 * @param training true for training behaviour (batch-norm batch statistics, dropout active)
 * @param rng random source for stochastic ops such as dropout; may be null when none is used
 * @param calibration when not null (and {@code training}), batch-norm layers report their batch
 *     statistics to it: used to calibrate running statistics for a configuration
 * @param arena when not null and there is no tape, op outputs come from this scratch arena (valid
 *     until its reset) instead of new memory: per-thread inference without allocation
 */
public record Context(
    Kernels kernels, Tape tape, boolean training, RandomGenerator rng, BnCalibration calibration, Arena arena) {
  public Context {
    Objects.requireNonNull(kernels, "kernels");
    if (calibration != null && !training) {
      throw new IllegalArgumentException("calibration needs batch statistics (training mode)");
    }
  }

  /** A context without calibration. */
  public Context(Kernels kernels, Tape tape, boolean training, RandomGenerator rng) {
    this(kernels, tape, training, rng, null, null);
  }

  /** A context without a scratch arena. */
  public Context(Kernels kernels, Tape tape, boolean training, RandomGenerator rng, BnCalibration calibration) {
    this(kernels, tape, training, rng, calibration, null);
  }

  /**
   * Evaluation mode without recording whose op outputs come from {@code arena}: the caller resets
   * the arena after each pass (after copying out the result), so repeated inference allocates nothing.
   */
  public static Context inference(Kernels kernels, Arena arena) {
    return new Context(kernels, null, false, null, null, java.util.Objects.requireNonNull(arena, "arena"));
  }

  /** Batch statistics without recording, reporting each batch-norm layer's statistics to {@code cal}. */
  public static Context calibrate(Kernels kernels, BnCalibration cal) {
    return new Context(kernels, null, true, null, Objects.requireNonNull(cal, "calibration"));
  }

  /** Training mode recording on {@code tape}. */
  public static Context train(Kernels kernels, Tape tape, RandomGenerator rng) {
    return new Context(kernels, Objects.requireNonNull(tape, "tape"), true, rng);
  }

  /** Evaluation mode without recording: running statistics, no dropout, no gradients. */
  public static Context inference(Kernels kernels) {
    return new Context(kernels, null, false, null);
  }

  /** The same settings in another mode, e.g. batch statistics without a tape for calibration. */
  public Context withTraining(boolean training) {
    return new Context(kernels, tape, training, rng, training ? calibration : null, arena);
  }

  /** Whether an op with these inputs must record its backward: a tape exists and one needs grad. */
  public boolean records(Tensor... inputs) {
    if (tape == null) {
      return false;
    }
    for (Tensor t : inputs) {
      if (t != null && t.requiresGrad()) {
        return true;
      }
    }
    return false;
  }

  /**
   * A tensor for an op's output, to be fully overwritten by the op: from the tape's pool when
   * recording (valid until the tape is cleared), else newly allocated.
   */
  public Tensor newTensor(int... shape) {
    if (tape != null) {
      return tape.allocate(shape);
    }
    return arena != null ? arena.allocate(shape) : Tensor.zeros(shape);
  }

  /** As {@link #newTensor}, filled with zeros. */
  public Tensor newZeroTensor(int... shape) {
    if (tape != null) {
      return tape.allocateZeroed(shape);
    }
    return arena != null ? arena.allocateZeroed(shape) : Tensor.zeros(shape);
  }

  /**
   * A zeroed float buffer of at least {@code length} (possibly longer: use {@code length}, never the
   * array's), valid as long as the tensors of {@link #newTensor}: from the tape's or the arena's
   * pool when there is one (no garbage per step), else newly allocated.
   */
  public float[] scratch(int length) {
    if (tape != null) {
      return tape.scratch(length);
    }
    return arena != null ? arena.lendZeroed(length) : new float[length];
  }

  /** The random generator, failing clearly if this context was built without one. */
  public RandomGenerator requireRng() {
    if (rng == null) {
      throw new IllegalStateException("this op needs a random generator; the context has none");
    }
    return rng;
  }
}
