package org.slimj.engine.autograd;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import org.slimj.engine.tensor.Tensor;

/**
 * Records ops in execution order during a forward pass, then runs their backward functions in
 * reverse order from a scalar loss: an iterative walk (no recursion), valid because recording
 * order is a topological order of the graph.
 *
 * <p>Parameter gradients are never cleared by the tape, so several forward/backward passes (one
 * per width in a slimmable training step) accumulate into the same parameter gradients before one
 * optimizer step. Intermediate tensors' gradients live only until {@link #clear()}.
 *
 * <p>A tape belongs to one thread of training at a time; it is not thread-safe.
 */
public final class Tape {
  /** Outputs of the recorded ops, in order; {@link #fns} holds their backward functions. */
  private final List<Tensor> outputs = new ArrayList<>();
  private final List<BackwardFn> fns = new ArrayList<>();
  private final Arena arena = new Arena();
  /**
   * For each buffer of this tape's arena that holds recorded outputs: how many of them (views such
   * as a flatten share their input's buffer). {@link #backward} takes a buffer back when the
   * backward of the first op writing to it has run, as nothing reads it after that.
   */
  private final Map<float[], Integer> outputBuffers = new IdentityHashMap<>();
  /**
   * Where recorded outputs take their gradient buffers: made once, not per op. They are borrowed,
   * not lent, so that {@link #backward} can give each back as soon as its op's backward has run.
   */
  private final IntFunction<float[]> gradSource = arena::borrowZeroed;

  /**
   * Records that {@code output}, a tensor not recorded before (a fresh op output or a view of one),
   * was produced by an op whose backward is {@code fn}.
   */
  public void record(Tensor output, BackwardFn fn) {
    output.setRequiresGrad(true);
    output.setGradSource(gradSource);
    outputs.add(output);
    fns.add(fn);
    float[] data = output.data();
    if (arena.lends(data)) {
      outputBuffers.merge(data, 1, Integer::sum);
    }
  }

  /**
   * A tensor for an op's output whose buffer comes from this tape's arena, with arbitrary contents
   * (the op must overwrite every element). It stays valid until {@link #clear()} (which {@link
   * #backward} calls): callers copy what they need to keep before that.
   */
  public Tensor allocate(int... shape) {
    return arena.allocate(shape);
  }

  /** As {@link #allocate}, filled with zeros. */
  public Tensor allocateZeroed(int... shape) {
    return arena.allocateZeroed(shape);
  }

  /**
   * A zeroed float buffer of at least {@code length} (longer buffers happen: callers pass their
   * length explicitly) from this tape's arena, valid until {@link #clear()}: per-op scratch such
   * as batch statistics that the backward pass reads.
   */
  public float[] scratch(int length) {
    return arena.lendZeroed(length);
  }

  /** Floats this tape's pool has allocated so far; constant once training reaches its steady state. */
  public long allocatedFloats() {
    return arena.allocatedFloats();
  }

  /** Number of recorded ops. */
  public int size() {
    return outputs.size();
  }

  /**
   * Backpropagates from {@code loss}, a one-element tensor recorded on this tape, seeding its
   * gradient with 1, then clears the tape (intermediate gradients are dropped; leaf gradients
   * keep what was accumulated).
   */
  public void backward(Tensor loss) {
    if (loss.size() != 1) {
      throw new IllegalArgumentException(
          "backward needs a scalar loss, found " + loss + " with " + loss.size() + " elements");
    }
    if (outputs.isEmpty() || !loss.requiresGrad()) {
      throw new IllegalStateException(
          "backward from a loss that was not recorded on this tape (was the forward run without a"
              + " tape?)");
    }
    backward(loss, new float[] {1f});
  }

  /**
   * Backpropagates from {@code output} seeded with {@code outputGrad} (same size as the output),
   * e.g. to time a layer's backward pass without a loss; then clears the tape.
   */
  public void backward(Tensor output, float[] outputGrad) {
    if (outputGrad.length != output.size()) {
      throw new IllegalArgumentException(
          "seed gradient: expected " + output.size() + " values for " + output + ", found "
              + outputGrad.length);
    }
    if (!output.requiresGrad()) {
      throw new IllegalStateException(output + " was not recorded on a tape");
    }
    float[] seed = output.grad();
    for (int i = 0; i < output.size(); i++) {
      seed[i] += outputGrad[i];
    }
    for (int i = outputs.size() - 1; i >= 0; i--) {
      Tensor out = outputs.get(i);
      float[] g = out.gradOrNull();
      if (g != null) {
        fns.get(i).backward(g);
        // ops run in reverse recording order, so nothing writes this gradient again: reuse it now
        // (the peak then holds the activations and only the gradients still in flight)
        out.clearGrad();
        arena.giveBack(g);
      }
      // the backward passes that read this output (its consumers' and its own) have all run
      releaseData(out);
    }
    clear();
  }

  /** Gives {@code out}'s buffer back to the arena once no other recorded output shares it. */
  private void releaseData(Tensor out) {
    float[] data = out.data();
    Integer n = outputBuffers.get(data);
    if (n == null) {
      return;
    }
    if (n > 1) {
      outputBuffers.put(data, n - 1);
    } else {
      outputBuffers.remove(data);
      arena.takeBack(data);
    }
  }

  /**
   * Forgets every recorded op, drops intermediate gradients and takes back every buffer lent by
   * {@link #allocate}: tensors produced under this tape must not be used afterwards.
   */
  public void clear() {
    for (int i = 0; i < outputs.size(); i++) {
      Tensor out = outputs.get(i);
      float[] g = out.gradOrNull();
      if (g != null) {
        out.clearGrad();
        arena.giveBack(g);
      }
    }
    outputs.clear();
    fns.clear();
    outputBuffers.clear();
    arena.reset();
  }
}
