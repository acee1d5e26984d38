package org.slimj.engine.nn;

import java.util.Objects;
import org.slimj.engine.tensor.Tensor;

/**
 * A trainable tensor with its dotted path name (e.g. {@code blocks.3.expand.bn.weight}, the name it
 * gets in checkpoints) and whether weight decay applies to it (the slimmable papers exclude batch
 * norm, biases and depthwise weights).
 *
 * @param name dotted layer path
 * @param tensor the tensor, allocated at its maximum size
 * @param decay whether weight decay applies
 */
public record Parameter(String name, Tensor tensor, boolean decay) {
  public Parameter {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(tensor, "tensor");
    if (!tensor.requiresGrad()) {
      throw new IllegalArgumentException("parameter " + name + " must be a trainable tensor");
    }
  }
}
