package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class SoftmaxCrossEntropyTest {

  static Stream<Arguments> smoothings() {
    return TestBackends.plain()
        .flatMap(k -> Stream.of(0f, 0.1f).map(e -> Arguments.of(Named.of(k.name(), k), e)));
  }

  static int[] labels(long seed, int n, int classes) {
    SplittableRandom r = new SplittableRandom(seed);
    int[] l = new int[n];
    for (int i = 0; i < n; i++) {
      l[i] = r.nextInt(classes);
    }
    return l;
  }

  /** Independent double-precision reference: softmax by exp/sum, target (1-eps) onehot + eps/K. */
  static double reference(Tensor logits, int[] labels, double eps) {
    int n = logits.dim(0);
    int classes = logits.dim(1);
    double total = 0;
    for (int b = 0; b < n; b++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < classes; j++) {
        max = Math.max(max, logits.get(b * classes + j));
      }
      double z = 0;
      for (int j = 0; j < classes; j++) {
        z += Math.exp(logits.get(b * classes + j) - max);
      }
      for (int j = 0; j < classes; j++) {
        double t = (1 - eps) * (j == labels[b] ? 1 : 0) + eps / classes;
        double logp = logits.get(b * classes + j) - max - Math.log(z);
        total -= t * logp;
      }
    }
    return total / n;
  }

  @ParameterizedTest(name = "{0} eps={1}")
  @MethodSource("smoothings")
  void gradientMatchesFiniteDifferences(Kernels k, float eps) {
    long seed = eps == 0f ? 1101 : 1102;
    Tensor logits = TestData.viewLeaf(seed, 3, 5, 7);
    for (int i = 0; i < logits.size(); i++) {
      logits.set(i, 3f * logits.get(i));
    }
    int[] labels = labels(seed + 1, 5, 7);
    GradCheck.check(
        "SoftmaxCrossEntropy logits[5,7] eps " + eps,
        k,
        seed,
        ctx -> SoftmaxCrossEntropy.forward(ctx, logits, labels, eps),
        logits);
  }

  @ParameterizedTest(name = "{0} eps={1}")
  @MethodSource("smoothings")
  void valueMatchesReference(Kernels k, float eps) {
    long seed = 1103;
    Tensor logits = TestData.constant(seed, -4f, 4f, 6, 10);
    int[] labels = labels(seed + 1, 6, 10);
    Tensor loss = SoftmaxCrossEntropy.forward(Context.inference(k), logits, labels, eps);
    assertArrayEquals(new int[] {1}, loss.shape());
    assertEquals(reference(logits, labels, eps), loss.item(), 1e-5, "seed " + seed + " eps " + eps);
  }

  @Test
  void uniformLogitsGiveLogK() {
    Tensor logits = Tensor.zeros(3, 10);
    Tensor loss =
        SoftmaxCrossEntropy.forward(
            Context.inference(TestBackends.scalar()), logits, new int[] {0, 4, 9}, 0.1f);
    assertEquals(Math.log(10), loss.item(), 1e-6);
  }

  @Test
  void rejectsLabelsOutOfRange() {
    Context ctx = Context.inference(TestBackends.scalar());
    Tensor logits = Tensor.zeros(3, 4);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SoftmaxCrossEntropy.forward(ctx, logits, new int[] {0, 3, 4}, 0f));
    assertTrue(
        e.getMessage().contains("labels[2]") && e.getMessage().contains("found 4"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SoftmaxCrossEntropy.forward(ctx, logits, new int[] {-1, 0, 0}, 0f));
    assertTrue(
        e.getMessage().contains("labels[0]") && e.getMessage().contains("found -1"),
        e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () -> SoftmaxCrossEntropy.forward(ctx, logits, new int[] {0, 1}, 0f));
    assertTrue(
        e.getMessage().contains("expected 3 labels") && e.getMessage().contains("found 2"),
        e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> SoftmaxCrossEntropy.forward(ctx, logits, new int[] {0, 1, 2}, -0.1f));
  }
}
