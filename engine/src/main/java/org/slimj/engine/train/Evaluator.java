package org.slimj.engine.train;

import org.slimj.engine.autograd.Arena;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.tensor.Tensor;

/**
 * Accuracy and mean loss of a model at one configuration, in eval mode without gradients. The op
 * outputs of each batch come from one scratch arena that is reset after the batch, so an
 * evaluation over many batches allocates about one batch's activations, not one per batch (issue 10:
 * validation garbage grew the training heap).
 */
public final class Evaluator {
  private Evaluator() {}

  /**
   * Result of an evaluation.
   *
   * @param accuracy fraction of correct top-1 predictions
   * @param loss mean cross-entropy
   * @param count images evaluated
   */
  public record Result(double accuracy, double loss, int count) {}

  /** Evaluates {@code model} at {@code cfg} over {@code batches}. */
  public static Result evaluate(SlimModel model, Kernels kernels, ChannelConfig cfg, Iterable<Batch> batches) {
    Arena arena = new Arena();
    Context ctx = Context.inference(kernels, arena);
    long correct = 0;
    double lossSum = 0;
    int count = 0;
    for (Batch b : batches) {
      Tensor logits = model.forward(ctx, b.images(), cfg);
      lossSum += SoftmaxCrossEntropy.forward(ctx, logits, b.labels(), 0f).item() * b.size();
      correct += countCorrect(logits, b.labels());
      count += b.size();
      arena.reset();
    }
    if (count == 0) {
      throw new IllegalArgumentException("evaluation needs at least one batch");
    }
    return new Result((double) correct / count, lossSum / count, count);
  }

  /** Number of rows of logits [N, K] whose arg-max equals the label. */
  public static int countCorrect(Tensor logits, int[] labels) {
    int n = logits.dim(0);
    int k = logits.dim(1);
    int correct = 0;
    for (int i = 0; i < n; i++) {
      int best = 0;
      for (int j = 1; j < k; j++) {
        if (logits.get(i * k + j) > logits.get(i * k + best)) {
          best = j;
        }
      }
      if (best == labels[i]) {
        correct++;
      }
    }
    return correct;
  }
}
