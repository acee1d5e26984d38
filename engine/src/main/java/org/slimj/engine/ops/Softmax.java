package org.slimj.engine.ops;

import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Row-wise softmax as a detached constant: used to turn the teacher's logits into the soft targets
 * of {@link DistillationLoss}. Not differentiable and never recorded.
 */
public final class Softmax {
  private Softmax() {}

  /**
   * {@code p[b, :] = softmax(logits[b, :])}, computed as {@code exp(log_softmax)} (numerically
   * stable for large logits).
   *
   * @param kernels the kernel backend
   * @param logits {@code [N, K]}
   * @return a new tensor {@code [N, K]} that does not require a gradient
   * @throws IllegalArgumentException if {@code logits} is not rank 2
   */
  public static Tensor probabilities(Kernels kernels, Tensor logits) {
    Shapes.requireRank(logits, 2, "Softmax logits [N, K]");
    int n = logits.dim(0);
    int classes = logits.dim(1);
    Tensor p = Tensor.zeros(n, classes);
    float[] out = p.data();
    kernels.logSoftmaxRows(n, classes, logits.data(), logits.offset(), out, 0);
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) Math.exp(out[i]);
    }
    return p;
  }
}
