package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class BatchNormTest {
  private static final float EPS = 1e-5f;

  static Stream<Arguments> ranks() {
    return TestBackends.plain()
        .flatMap(k -> Stream.of(2, 4).map(r -> Arguments.of(Named.of(k.name(), k), r)));
  }

  static Stream<Arguments> paramOffsets() {
    return TestBackends.plain()
        .flatMap(k -> Stream.of(0, 2, 4).map(o -> Arguments.of(Named.of(k.name(), k), o)));
  }

  private static int[] shapeOfRank(int rank) {
    return rank == 4 ? new int[] {4, 3, 3, 2} : new int[] {6, 3};
  }

  @ParameterizedTest(name = "{0} rank={1}")
  @MethodSource("ranks")
  void trainGradientMatchesFiniteDifferences(Kernels k, int rank) {
    long seed = 500 + rank;
    Tensor x = TestData.gaussianLeaf(seed, shapeOfRank(rank));
    Tensor gamma = TestData.leaf(seed + 1, 0.5f, 1.5f, 3);
    Tensor beta = TestData.leaf(seed + 2, -0.5f, 0.5f, 3);
    GradCheck.check(
        "BatchNorm train x" + Arrays.toString(x.shape()),
        k,
        seed,
        ctx -> BatchNorm.forwardTrain(ctx, x, gamma, beta, 0, EPS, new float[3], new float[3]),
        x,
        gamma,
        beta);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void trainGradientWithConstantGamma(Kernels k) {
    long seed = 509;
    Tensor x = TestData.gaussianLeaf(seed, 3, 2, 2, 3);
    Tensor gamma = TestData.constant(seed + 1, 0.5f, 1.5f, 2);
    Tensor beta = TestData.leaf(seed + 2, -0.5f, 0.5f, 2);
    GradCheck.check(
        "BatchNorm train, gamma constant",
        k,
        seed,
        ctx -> BatchNorm.forwardTrain(ctx, x, gamma, beta, 0, EPS, new float[2], new float[2]),
        x,
        gamma,
        beta);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void trainWritesBatchStatisticsAndNormalizes(Kernels k) {
    long seed = 510;
    int n = 3;
    int c = 2;
    int hw = 5;
    Tensor x = TestData.constant(seed, -2f, 3f, n, c, 1, hw);
    Tensor gamma = TestData.constant(seed + 1, 0.5f, 1.5f, c);
    Tensor beta = TestData.constant(seed + 2, -0.5f, 0.5f, c);
    float[] mean = new float[c + 1];
    float[] var = new float[c + 1];
    mean[c] = 42f;
    Tensor y = BatchNorm.forwardTrain(Context.inference(k), x, gamma, beta, 0, EPS, mean, var);
    assertEquals(42f, mean[c], "entries past C must be left alone");
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      double ss = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < hw; j++) {
          s += x.get((i * c + ch) * hw + j);
        }
      }
      double m = s / (n * hw);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < hw; j++) {
          double d = x.get((i * c + ch) * hw + j) - m;
          ss += d * d;
        }
      }
      double v = ss / (n * hw);
      assertEquals(m, mean[ch], 1e-5, "batch mean of channel " + ch + " seed " + seed);
      assertEquals(v, var[ch], 1e-5, "biased batch variance of channel " + ch + " seed " + seed);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < hw; j++) {
          int at = (i * c + ch) * hw + j;
          double expected = (x.get(at) - m) / Math.sqrt(v + EPS) * gamma.get(ch) + beta.get(ch);
          assertEquals(expected, y.get(at), 1e-5, "output " + at + " seed " + seed);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0} rank={1}")
  @MethodSource("ranks")
  void evalGradientMatchesFiniteDifferences(Kernels k, int rank) {
    long seed = 520 + rank;
    Tensor x = TestData.gaussianLeaf(seed, shapeOfRank(rank));
    Tensor gamma = TestData.leaf(seed + 1, 0.5f, 1.5f, 3);
    Tensor beta = TestData.leaf(seed + 2, -0.5f, 0.5f, 3);
    float[] runningMean = TestData.uniform(seed + 3, 3, -0.5f, 0.5f);
    float[] runningVar = TestData.uniform(seed + 4, 3, 0.5f, 1.5f);
    GradCheck.check(
        "BatchNorm eval x" + Arrays.toString(x.shape()),
        k,
        seed,
        GradCheck.Options.DEFAULT.withTraining(false),
        ctx -> BatchNorm.forwardEval(ctx, x, gamma, beta, 0, runningMean, runningVar, EPS),
        x,
        gamma,
        beta);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void evalGradientAccumulatesIntoExistingInputGradient(Kernels k) {
    // x feeds the BN twice (through Add), so the second backward adds into an existing buffer.
    long seed = 530;
    Tensor x = TestData.gaussianLeaf(seed, 2, 3, 2, 2);
    Tensor gamma = TestData.leaf(seed + 1, 0.5f, 1.5f, 3);
    Tensor beta = TestData.constant(seed + 2, -0.5f, 0.5f, 3);
    float[] runningMean = TestData.uniform(seed + 3, 3, -0.5f, 0.5f);
    float[] runningVar = TestData.uniform(seed + 4, 3, 0.5f, 1.5f);
    GradCheck.check(
        "BatchNorm eval used twice",
        k,
        seed,
        GradCheck.Options.DEFAULT.withTraining(false),
        ctx ->
            Add.forward(
                ctx,
                BatchNorm.forwardEval(ctx, x, gamma, beta, 0, runningMean, runningVar, EPS),
                BatchNorm.forwardEval(ctx, x, gamma, beta, 0, runningMean, runningVar, EPS)),
        x,
        gamma,
        beta);
  }

  @ParameterizedTest(name = "{0} paramOffset={1}")
  @MethodSource("paramOffsets")
  void trainSlicedParametersGradientAndZeroOutside(Kernels k, int paramOffset) {
    long seed = 540 + paramOffset;
    int c = 3;
    Tensor x = TestData.gaussianLeaf(seed, 4, c, 2, 3);
    Tensor gamma = TestData.leaf(seed + 1, 0.5f, 1.5f, 7);
    Tensor beta = TestData.leaf(seed + 2, -0.5f, 0.5f, 7);
    String label = "BatchNorm train gamma[7] C " + c + " paramOffset " + paramOffset;
    GradCheck.Result r =
        GradCheck.check(
            label,
            k,
            seed,
            ctx ->
                BatchNorm.forwardTrain(
                    ctx, x, gamma, beta, paramOffset, EPS, new float[c], new float[c]),
            x,
            gamma,
            beta);
    int[] lo = {paramOffset};
    int[] hi = {paramOffset + c};
    GradCheck.assertZeroOutside(
        label + " seed " + seed + " dGamma", r.grad(gamma), gamma.shape(), lo, hi);
    GradCheck.assertZeroOutside(
        label + " seed " + seed + " dBeta", r.grad(beta), beta.shape(), lo, hi);
  }

  @ParameterizedTest(name = "{0} paramOffset={1}")
  @MethodSource("paramOffsets")
  void evalSlicedParametersGradientAndZeroOutside(Kernels k, int paramOffset) {
    long seed = 550 + paramOffset;
    int c = 3;
    Tensor x = TestData.gaussianLeaf(seed, 2, c, 2, 2);
    Tensor gamma = TestData.viewLeaf(seed + 1, 1, 7);
    Tensor beta = TestData.viewLeaf(seed + 2, 3, 7);
    float[] runningMean = TestData.uniform(seed + 3, 5, -0.5f, 0.5f);
    float[] runningVar = TestData.uniform(seed + 4, 5, 0.5f, 1.5f);
    String label = "BatchNorm eval gamma[7] C " + c + " paramOffset " + paramOffset;
    GradCheck.Result r =
        GradCheck.check(
            label,
            k,
            seed,
            GradCheck.Options.DEFAULT.withTraining(false),
            ctx ->
                BatchNorm.forwardEval(
                    ctx, x, gamma, beta, paramOffset, runningMean, runningVar, EPS),
            x,
            gamma,
            beta);
    int[] lo = {paramOffset};
    int[] hi = {paramOffset + c};
    GradCheck.assertZeroOutside(
        label + " seed " + seed + " dGamma", r.grad(gamma), gamma.shape(), lo, hi);
    GradCheck.assertZeroOutside(
        label + " seed " + seed + " dBeta", r.grad(beta), beta.shape(), lo, hi);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void packedParametersEqualSeparateOnes(Kernels k) {
    // Universal BN slices the prefix; switchable BN packs sets: both must equal a plain BN on a
    // copy.
    long seed = 560;
    int c = 2;
    Tensor x = TestData.gaussianLeaf(seed, 3, c, 2, 2);
    Tensor packedG = TestData.leaf(seed + 1, 0.5f, 1.5f, 6);
    Tensor packedB = TestData.leaf(seed + 2, -0.5f, 0.5f, 6);
    Tensor g = Tensor.of(Arrays.copyOfRange(packedG.toArray(), 3, 3 + c), c);
    Tensor b = Tensor.of(Arrays.copyOfRange(packedB.toArray(), 3, 3 + c), c);
    Tape tape = new Tape();
    Context ctx = Context.train(k, tape, null);
    Tensor y1 =
        BatchNorm.forwardTrain(ctx, x, packedG, packedB, 3, EPS, new float[c], new float[c]);
    Tensor y2 = BatchNorm.forwardTrain(ctx, x, g, b, 0, EPS, new float[c], new float[c]);
    SliceAsserts.assertClose(
        "BatchNorm packed vs separate seed " + seed, y2.toArray(), y1.toArray());
  }

  @Test
  void rejectsArgumentsThatDoNotFit() {
    Context ctx = Context.inference(TestBackends.scalar());
    Tensor x = Tensor.zeros(2, 3, 2, 2);
    Tensor g = Tensor.zeros(4);
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BatchNorm.forwardTrain(
                    ctx, x, g, Tensor.zeros(4), 2, EPS, new float[3], new float[3]));
    assertTrue(
        e.getMessage().contains("[2, 5)") && e.getMessage().contains("[0, 4)"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BatchNorm.forwardTrain(
                    ctx, x, g, Tensor.zeros(5), 0, EPS, new float[3], new float[3]));
    assertTrue(e.getMessage().contains("expected shape [4], found [5]"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BatchNorm.forwardTrain(
                    ctx, x, g, Tensor.zeros(4), 0, EPS, new float[2], new float[3]));
    assertTrue(
        e.getMessage().contains("batchMean") && e.getMessage().contains("found 2"), e.getMessage());
    e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                BatchNorm.forwardEval(
                    ctx,
                    Tensor.zeros(2, 3, 4),
                    g,
                    Tensor.zeros(4),
                    0,
                    new float[3],
                    new float[3],
                    EPS));
    assertTrue(e.getMessage().contains("rank 4"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            BatchNorm.forwardEval(ctx, x, g, Tensor.zeros(4), 0, new float[3], new float[3], -1f));
  }
}
