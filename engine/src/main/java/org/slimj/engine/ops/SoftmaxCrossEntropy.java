package org.slimj.engine.ops;

import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Softmax cross-entropy against integer labels, with optional label smoothing, averaged over the
 * batch.
 *
 * <p>With {@code eps} the smoothing and {@code K} the number of classes, the target of sample
 * {@code b} is the standard {@code t = (1 - eps) * onehot(label_b) + eps / K}, so the true class
 * gets {@code 1 - eps + eps / K} and every other class {@code eps / K}. (The reference
 * slimmable_networks code puts {@code eps / (K - 1)} on each wrong class and {@code 1 - eps} on the
 * true one; we chose the standard form, as Joslim and PyTorch do.) The loss is {@code mean_b(-sum_k
 * t[b, k] * log_softmax(z)[b, k])} and its gradient {@code (softmax(z) - t) / N}.
 *
 * <p>The log-softmax runs on the kernels; the O(N * K) bookkeeping of the loss and gradient is done
 * here in double precision.
 */
public final class SoftmaxCrossEntropy {
  private SoftmaxCrossEntropy() {}

  /**
   * Mean cross-entropy of {@code logits} against smoothed one-hot targets.
   *
   * @param ctx kernels and tape (recorded only if {@code logits} needs a gradient)
   * @param logits {@code [N, K]}
   * @param labels N class indices, each in {@code [0, K)}
   * @param labelSmoothing {@code eps} in {@code [0, 1]}; 0 for plain cross-entropy
   * @return a one-element tensor {@code [1]} holding the mean loss
   * @throws IllegalArgumentException if a shape, label or the smoothing does not fit
   */
  public static Tensor forward(Context ctx, Tensor logits, int[] labels, float labelSmoothing) {
    Shapes.requireRank(logits, 2, "SoftmaxCrossEntropy logits [N, K]");
    int n = logits.dim(0);
    int classes = logits.dim(1);
    if (n < 1 || classes < 1) {
      throw new IllegalArgumentException(
          "SoftmaxCrossEntropy logits: expected N >= 1 and K >= 1, found ["
              + n
              + ", "
              + classes
              + "]");
    }
    if (labels == null || labels.length != n) {
      throw new IllegalArgumentException(
          "SoftmaxCrossEntropy labels: expected "
              + n
              + " labels (one per row of logits), found "
              + (labels == null ? "null" : labels.length));
    }
    for (int i = 0; i < n; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException(
            "SoftmaxCrossEntropy labels["
                + i
                + "]: expected a class in [0, "
                + classes
                + "), found "
                + labels[i]);
      }
    }
    if (!(labelSmoothing >= 0f && labelSmoothing <= 1f)) {
      throw new IllegalArgumentException(
          "SoftmaxCrossEntropy labelSmoothing: expected a value in [0, 1], found "
              + labelSmoothing);
    }
    int[] target = labels.clone();
    double on = 1.0 - labelSmoothing;
    double off = (double) labelSmoothing / classes;

    Kernels k = ctx.kernels();
    float[] logp = new float[n * classes];
    k.logSoftmaxRows(n, classes, logits.data(), logits.offset(), logp, 0);
    double total = 0;
    for (int b = 0; b < n; b++) {
      int row = b * classes;
      double rowSum = 0;
      if (off != 0) {
        for (int j = 0; j < classes; j++) {
          rowSum += logp[row + j];
        }
      }
      total -= on * logp[row + target[b]] + off * rowSum;
    }
    Tensor loss = Tensor.of(new float[] {(float) (total / n)}, 1);

    if (ctx.records(logits)) {
      ctx.tape().record(loss, dy -> backward(n, classes, logits, logp, target, on, off, dy));
    }
    return loss;
  }

  /** dz[b, k] += dLoss / N * (softmax(z)[b, k] - t[b, k]). */
  private static void backward(
      int n,
      int classes,
      Tensor logits,
      float[] logp,
      int[] target,
      double on,
      double off,
      float[] dy) {
    double g = (double) dy[0] / n;
    float[] dz = logits.grad();
    for (int b = 0; b < n; b++) {
      int row = b * classes;
      for (int j = 0; j < classes; j++) {
        double t = off + (j == target[b] ? on : 0.0);
        dz[row + j] += (float) (g * (Math.exp(logp[row + j]) - t));
      }
    }
  }
}
