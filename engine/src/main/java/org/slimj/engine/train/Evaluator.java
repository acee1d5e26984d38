package org.slimj.engine.train;

import org.slimj.engine.autograd.Arena;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.tensor.Tensor;

/**
 * Accuracy and mean loss of a model at one configuration, in eval mode without gradients. Each batch
 * runs in chunks of at most {@link #CHUNK} images through one scratch arena that is reset after every
 * chunk: an evaluation allocates one chunk's activations once, instead of every op output of every
 * batch anew (issue 10: validation garbage grew the training JVM's heap), and holds no more than one
 * chunk's pass at a time. In eval mode each image's logits do not depend on the others in its batch,
 * so the chunking changes no result.
 */
public final class Evaluator {
  /** Images per forward pass; a batch larger than this runs in several passes. */
  public static final int CHUNK = 32;

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
      Tensor images = b.images();
      int n = b.size();
      int perImage = images.size() / n;
      for (int from = 0; from < n; from += CHUNK) {
        int m = Math.min(CHUNK, n - from);
        int[] shape = images.shape().clone();
        shape[0] = m;
        Tensor x = Tensor.view(images.data(), images.offset() + from * perImage, shape);
        int[] labels = java.util.Arrays.copyOfRange(b.labels(), from, from + m);
        Tensor logits = model.forward(ctx, x, cfg);
        lossSum += SoftmaxCrossEntropy.forward(ctx, logits, labels, 0f).item() * m;
        correct += countCorrect(logits, labels);
        arena.reset();
      }
      count += n;
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
