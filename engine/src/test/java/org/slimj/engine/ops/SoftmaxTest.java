package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class SoftmaxTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void rowsAreDetachedProbabilities(Kernels k) {
    long seed = 1301;
    Tensor logits = TestData.viewLeaf(seed, 3, 4, 5);
    Tensor p = Softmax.probabilities(k, logits);
    assertNotSame(logits.data(), p.data());
    assertFalse(p.requiresGrad());
    for (int b = 0; b < 4; b++) {
      double z = 0;
      for (int j = 0; j < 5; j++) {
        z += Math.exp(logits.get(b * 5 + j));
      }
      double sum = 0;
      for (int j = 0; j < 5; j++) {
        sum += p.get(b * 5 + j);
        assertEquals(
            Math.exp(logits.get(b * 5 + j)) / z,
            p.get(b * 5 + j),
            1e-6,
            "row " + b + " class " + j + " seed " + seed);
      }
      assertEquals(1.0, sum, 1e-6);
    }
    assertEquals(null, logits.gradOrNull());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void stableForLargeLogits(Kernels k) {
    Tensor p = Softmax.probabilities(k, Tensor.of(new float[] {1000f, 1001f, 1002f}, 1, 3));
    // Float32 log-softmax at |z| ~ 1000 has an absolute error of about one ulp (6e-5) in log p,
    // hence the relative tolerance; the point is finite values that still sum to 1.
    double z = 1 + Math.exp(1) + Math.exp(2);
    assertEquals(1 / z, p.get(0), 1e-4 / z);
    assertEquals(Math.exp(1) / z, p.get(1), 1e-4 * Math.exp(1) / z);
    assertEquals(Math.exp(2) / z, p.get(2), 1e-4 * Math.exp(2) / z);
    assertEquals(1.0, p.get(0) + p.get(1) + (double) p.get(2), 1e-4);
  }
}
