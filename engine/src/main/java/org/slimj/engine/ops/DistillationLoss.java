package org.slimj.engine.ops;

import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Soft-target cross-entropy used by inplace distillation: {@code mean_b(-sum_k p_T[b, k] *
 * log_softmax(z_S)[b, k])}, temperature 1. The teacher probabilities are constants (typically from
 * {@link Softmax#probabilities}); no gradient ever flows to them, even if they require one.
 *
 * <p>The gradient with respect to the student logits is {@code (softmax(z_S) * sum_k p_T[b, k] -
 * p_T) / N}, which is {@code (softmax(z_S) - p_T) / N} when the teacher rows sum to 1.
 */
public final class DistillationLoss {
  private DistillationLoss() {}

  /**
   * Mean soft cross-entropy of the student against the teacher's probabilities.
   *
   * @param ctx kernels and tape (recorded only if {@code studentLogits} needs a gradient)
   * @param studentLogits {@code [N, K]}
   * @param teacherProbs {@code [N, K]}, treated as a constant
   * @return a one-element tensor {@code [1]} holding the mean loss
   * @throws IllegalArgumentException if the shapes do not fit
   */
  public static Tensor forward(Context ctx, Tensor studentLogits, Tensor teacherProbs) {
    Shapes.requireRank(studentLogits, 2, "DistillationLoss studentLogits [N, K]");
    Shapes.requireShape(
        teacherProbs,
        "DistillationLoss teacherProbs (must match studentLogits)",
        studentLogits.shape());
    int n = studentLogits.dim(0);
    int classes = studentLogits.dim(1);
    if (n < 1 || classes < 1) {
      throw new IllegalArgumentException(
          "DistillationLoss studentLogits: expected N >= 1 and K >= 1, found ["
              + n
              + ", "
              + classes
              + "]");
    }
    Kernels k = ctx.kernels();
    float[] logp = new float[n * classes];
    k.logSoftmaxRows(n, classes, studentLogits.data(), studentLogits.offset(), logp, 0);
    float cross = k.dot(n * classes, teacherProbs.data(), teacherProbs.offset(), logp, 0);
    Tensor loss = Tensor.of(new float[] {-cross / n}, 1);

    if (ctx.records(studentLogits)) {
      ctx.tape().record(loss, dy -> backward(n, classes, studentLogits, teacherProbs, logp, dy));
    }
    return loss;
  }

  /** dz[b, k] += dLoss / N * (softmax(z)[b, k] * sum_j p[b, j] - p[b, k]). */
  private static void backward(
      int n, int classes, Tensor student, Tensor teacher, float[] logp, float[] dy) {
    double g = (double) dy[0] / n;
    float[] dz = student.grad();
    float[] p = teacher.data();
    int po = teacher.offset();
    for (int b = 0; b < n; b++) {
      int row = b * classes;
      double mass = 0;
      for (int j = 0; j < classes; j++) {
        mass += p[po + row + j];
      }
      for (int j = 0; j < classes; j++) {
        dz[row + j] += (float) (g * (Math.exp(logp[row + j]) * mass - p[po + row + j]));
      }
    }
  }
}
