package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/**
 * A small slimmed network end to end (conv, BN with packed parameters, dropout, residual add,
 * pooling, linear, both losses), checked by finite differences, with every parameter allocated
 * larger than the active width.
 */
class ChainTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void slimmedNetworkGradientMatchesFiniteDifferences(Kernels k) {
    long seed = 1501;
    Tensor x = TestData.leaf(seed, 2, 3, 5, 5);
    Tensor convW = TestData.leaf(seed + 1, 5, 4, 3, 3);
    Tensor dwW = TestData.leaf(seed + 2, 5, 1, 3, 3);
    Tensor gamma = TestData.leaf(seed + 3, 0.5f, 1.5f, 8);
    Tensor beta = TestData.leaf(seed + 4, -0.5f, 0.5f, 8);
    Tensor linW = TestData.leaf(seed + 5, 6, 5);
    Tensor linB = TestData.leaf(seed + 6, 6);
    Tensor teacher = Softmax.probabilities(k, TestData.constant(seed + 7, -2f, 2f, 2, 4));
    int[] labels = {3, 0};
    GradCheck.Result r =
        GradCheck.check(
            "chain conv-bn-dropout-dw-add-pool-linear-losses",
            k,
            seed,
            ctx -> {
              Tensor c = Conv2d.forward(ctx, x, convW, 4, 1, 1);
              Tensor b =
                  BatchNorm.forwardTrain(ctx, c, gamma, beta, 3, 1e-5f, new float[4], new float[4]);
              Tensor d = Dropout.forward(ctx, b, 0.25f);
              Tensor dw = DepthwiseConv2d.forward(ctx, d, dwW, 1, 1);
              Tensor s = Add.forward(ctx, dw, d);
              Tensor p = Flatten.forward(ctx, GlobalAvgPool.forward(ctx, s));
              Tensor z = Linear.forward(ctx, p, linW, linB, 4);
              return Add.forward(
                  ctx,
                  SoftmaxCrossEntropy.forward(ctx, z, labels, 0.1f),
                  DistillationLoss.forward(ctx, z, teacher));
            },
            x,
            convW,
            dwW,
            gamma,
            beta,
            linW,
            linB,
            teacher);
    String label = "chain seed " + seed;
    GradCheck.assertZeroOutside(
        label + " convW",
        r.grad(convW),
        convW.shape(),
        new int[] {0, 0, 0, 0},
        new int[] {4, 3, 3, 3});
    GradCheck.assertZeroOutside(
        label + " dwW", r.grad(dwW), dwW.shape(), new int[] {0, 0, 0, 0}, new int[] {4, 1, 3, 3});
    GradCheck.assertZeroOutside(
        label + " gamma", r.grad(gamma), gamma.shape(), new int[] {3}, new int[] {7});
    GradCheck.assertZeroOutside(
        label + " beta", r.grad(beta), beta.shape(), new int[] {3}, new int[] {7});
    GradCheck.assertZeroOutside(
        label + " linW", r.grad(linW), linW.shape(), new int[] {0, 0}, new int[] {4, 4});
    GradCheck.assertZeroOutside(
        label + " linB", r.grad(linB), linB.shape(), new int[] {0}, new int[] {4});
  }
}
