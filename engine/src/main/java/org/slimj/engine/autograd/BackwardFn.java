package org.slimj.engine.autograd;

/**
 * The backward half of a recorded op: reads the gradient of the op's output and accumulates
 * (adds) the gradients of its inputs. Called at most once per recorded op per backward pass.
 */
@FunctionalInterface
public interface BackwardFn {
  /** Accumulates input gradients from {@code outGrad}, the gradient of the op's output. */
  void backward(float[] outGrad);
}
