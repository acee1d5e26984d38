package org.slimj.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slimj.engine.kernels.FloatChecks.assertClose;
import static org.slimj.engine.kernels.FloatChecks.assertUntouchedOutside;
import static org.slimj.engine.kernels.FloatChecks.block;
import static org.slimj.engine.kernels.FloatChecks.random;
import static org.slimj.engine.kernels.FloatChecks.range;
import static org.slimj.engine.kernels.FloatChecks.tol;
import static org.slimj.engine.kernels.FloatChecks.uniform;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.AssertionFailedError;
import org.slimj.engine.kernels.KernelConformance.Conv;
import org.slimj.engine.kernels.KernelConformance.Depthwise;
import org.slimj.engine.kernels.KernelConformance.Gemm;

/**
 * Every kernel of {@link VectorKernels}, with 1, 2 and 3 threads, against {@link ScalarKernels} on
 * seeded data: sizes 1, odd, prime and not multiples of the vector length, offsets, leading
 * dimensions wider than the active sizes, sliced weight prefixes, and gradients that must
 * accumulate into pre-filled arrays. Each case has its own seed, printed with its shape on failure.
 */
class VectorKernelsTest {
  private static final Parallel[] POOLS = {new Parallel(1), new Parallel(2), new Parallel(3)};
  private static final Kernels REF = new ScalarKernels();
  private static final float[] BETAS = {0f, 1f, 0.5f};

  @AfterAll
  static void closePools() {
    for (Parallel p : POOLS) {
      p.close();
    }
  }

  private static Kernels backend(int threads) {
    return new VectorKernels(POOLS[threads - 1]);
  }

  // ---------------------------------------------------------------- sgemm

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void sgemmMatchesScalarOnOddShapesAllTransposes(int threads) {
    KernelConformance.sgemmOddShapes(backend(threads), "threads=" + threads);
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void sgemmMatchesScalarOnLargeShapes(int threads) {
    // parallel column and row splits, several k blocks, several column blocks, more rows than a block
    int[][] shapes = {{130, 257, 67}, {67, 130, 300}, {250, 9, 520}, {7, 4200, 5}, {1, 1000, 1100}, {1000, 1, 1100}};
    KernelConformance.sgemmLargeShapes(backend(threads), "threads=" + threads, shapes);
  }

  @Test
  void sgemmWithEmptyDepthScalesC() {
    for (float beta : BETAS) {
      new Gemm(false, false, 5, 7, 0, 1.5f, beta, 77L).check(backend(2), "threads=" + backend(2).threads());
      new Gemm(true, true, 3, 9, 0, 1f, beta, 78L).check(backend(1), "threads=" + backend(1).threads());
    }
  }

  @Test
  void sgemmWithEmptyOutputTouchesNothing() {
    float[] c = {1f, 2f, 3f};
    backend(2).sgemm(false, false, 0, 3, 4, 1f, new float[12], 0, 4, new float[12], 0, 3, 0f, c, 0, 3);
    backend(2).sgemm(false, false, 1, 0, 4, 1f, new float[12], 0, 4, new float[12], 0, 1, 0f, c, 0, 1);
    assertArrayEquals(new float[] {1f, 2f, 3f}, c);
  }

  @Test
  void sgemmGivesTheSameBitsForEveryThreadCount() {
    Random r = new Random(31);
    int m = 97;
    int n = 301;
    int k = 290;
    float[] a = random(r, m * k);
    float[] b = random(r, k * n);
    float[] first = null;
    for (int threads = 1; threads <= 3; threads++) {
      float[] c = new float[m * n];
      backend(threads).sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
      if (first == null) {
        first = c;
      } else {
        assertArrayEquals(first, c, "seed 31, 97x301x290 transB, threads " + threads);
      }
    }
  }

  // ---------------------------------------------------------------- dense convolution

  private static final List<Conv> CONVS = KernelConformance.CONVS;

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void conv2dForwardMatchesScalar(int threads) {
    for (int i = 0; i < CONVS.size(); i++) {
      KernelConformance.checkConvForward(backend(threads), CONVS.get(i), 20_000L + i, "threads=" + threads);
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void conv2dBackwardDataAccumulatesLikeScalar(int threads) {
    for (int i = 0; i < CONVS.size(); i++) {
      KernelConformance.checkConvBackwardData(backend(threads), CONVS.get(i), 21_000L + i, "threads=" + threads);
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void conv2dBackwardWeightsAccumulatesIntoThePrefixOnly(int threads) {
    for (int i = 0; i < CONVS.size(); i++) {
      KernelConformance.checkConvBackwardWeights(backend(threads), CONVS.get(i), 22_000L + i, "threads=" + threads);
    }
  }

  /** Large enough images with a small K or cout: weight gradients through {@link ConvWeightsDot}. */
  private static final Conv[] DOT_CONVS = {
    new Conv(5, 3, 4, 33, 31, 7, 9, 3, 3, 1, 1),
    new Conv(3, 2, 3, 49, 41, 5, 6, 5, 5, 2, 2),
    new Conv(2, 9, 10, 29, 27, 13, 16, 3, 3, 1, 0),
    new Conv(4, 1, 2, 40, 40, 33, 35, 3, 3, 1, 1),
    new Conv(2, 3, 3, 32, 32, 32, 32, 3, 3, 1, 1),
    new Conv(3, 4, 5, 30, 20, 6, 7, 3, 1, 1, 1),
  };

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void conv2dBackwardWeightsOfSmallKOrCoutAccumulatesLikeScalar(int threads) {
    for (int i = 0; i < DOT_CONVS.length; i++) {
      assertTrue(ConvWeightsDot.suits(DOT_CONVS[i].shape()), DOT_CONVS[i] + " should take the dot path");
      KernelConformance.checkConvBackwardWeights(backend(threads), DOT_CONVS[i], 23_000L + i, "threads=" + threads);
    }
  }

  @Test
  void conv2dBackwardWeightsOfSmallKRepeatsBitForBitWithThreeThreads() {
    Conv c = DOT_CONVS[0];
    ConvShape s = c.shape();
    Random r = new Random(43);
    float[] x = random(r, s.n() * s.inPerImage());
    float[] dy = random(r, s.n() * s.outPerImage());
    float[] first = random(r, c.coutMax() * c.ldw());
    float[] second = first.clone();
    Kernels k = backend(3);
    k.conv2dBackwardWeights(s, x, 0, dy, 0, first, 0, c.ldw());
    k.conv2dBackwardWeights(s, x, 0, dy, 0, second, 0, c.ldw());
    assertArrayEquals(first, second, "seed 43 " + c);
  }

  @Test
  void conv2dBackwardWeightsRepeatsBitForBitWithThreeThreads() {
    Conv c = new Conv(7, 6, 6, 9, 9, 10, 10, 3, 3, 1, 1);
    ConvShape s = c.shape();
    Random r = new Random(41);
    float[] x = random(r, s.n() * s.inPerImage());
    float[] dy = random(r, s.n() * s.outPerImage());
    float[] first = new float[c.coutMax() * c.ldw()];
    float[] second = new float[first.length];
    Kernels k = backend(3);
    k.conv2dBackwardWeights(s, x, 0, dy, 0, first, 0, c.ldw());
    k.conv2dBackwardWeights(s, x, 0, dy, 0, second, 0, c.ldw());
    assertArrayEquals(first, second, "seed 41 " + c);
  }

  // ---------------------------------------------------------------- depthwise convolution

  private static final List<Depthwise> DEPTHWISE = Stream.concat(KernelConformance.DEPTHWISE.stream(), Stream.of(
    // small planes (several channels per vector on the direct path), channels not a multiple of 16
    new Depthwise(5, 19, 21, 1, 1, 3, 3, 1, 1),
    new Depthwise(6, 17, 17, 1, 1, 1, 1, 1, 0),
    new Depthwise(5, 7, 9, 2, 2, 3, 3, 1, 1),
    new Depthwise(3, 5, 5, 2, 2, 3, 3, 2, 1),
    new Depthwise(5, 9, 9, 2, 3, 3, 3, 1, 1),
    new Depthwise(5, 6, 7, 3, 5, 3, 3, 1, 1),
    new Depthwise(3, 6, 7, 3, 5, 3, 3, 2, 1),
    new Depthwise(6, 21, 24, 4, 4, 3, 3, 1, 1),
    new Depthwise(5, 21, 24, 4, 4, 3, 3, 2, 1),
    new Depthwise(3, 4, 4, 4, 4, 3, 3, 1, 0),
    new Depthwise(5, 5, 6, 7, 7, 3, 3, 1, 1),
    new Depthwise(5, 5, 6, 7, 7, 5, 5, 1, 2),
    new Depthwise(3, 5, 6, 7, 7, 5, 5, 2, 2),
    new Depthwise(3, 5, 6, 7, 7, 3, 3, 2, 0),
    new Depthwise(9, 18, 20, 8, 8, 3, 3, 1, 1),
    new Depthwise(9, 18, 20, 8, 8, 3, 3, 2, 1),
    new Depthwise(3, 3, 3, 5, 6, 5, 5, 1, 2))).toList();

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void depthwiseForwardMatchesScalar(int threads) {
    for (int i = 0; i < DEPTHWISE.size(); i++) {
      KernelConformance.checkDepthwiseForward(backend(threads), DEPTHWISE.get(i), 30_000L + i, "threads=" + threads);
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void depthwiseBackwardDataAccumulatesLikeScalar(int threads) {
    for (int i = 0; i < DEPTHWISE.size(); i++) {
      KernelConformance.checkDepthwiseBackwardData(backend(threads), DEPTHWISE.get(i), 31_000L + i, "threads=" + threads);
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void depthwiseBackwardWeightsAccumulatesIntoActiveChannelsOnly(int threads) {
    for (int i = 0; i < DEPTHWISE.size(); i++) {
      KernelConformance.checkDepthwiseBackwardWeights(backend(threads), DEPTHWISE.get(i), 32_000L + i, "threads=" + threads);
    }
  }

  // ---------------------------------------------------------------- batch norm

  private static final int[][] BN_SHAPES = {
    {1, 1, 1}, {2, 3, 1}, {3, 5, 7}, {2, 4, 17}, {1, 3, 16}, {64, 8, 1}, {4, 24, 1089}, {5, 2, 33}
  };

  /** x[n, c, hw] with a different mean and spread per channel. */
  private static float[] bnInput(Random r, int xOff, int n, int c, int hw) {
    float[] x = random(r, xOff + n * c * hw + 3);
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int j = 0; j < hw; j++) {
          int at = xOff + (i * c + ch) * hw + j;
          x[at] = x[at] * (1 + ch % 3) + 0.5f * ch;
        }
      }
    }
    return x;
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void batchNormStatsMatchScalar(int threads) {
    for (int i = 0; i < BN_SHAPES.length; i++) {
      int n = BN_SHAPES[i][0];
      int c = BN_SHAPES[i][1];
      int hw = BN_SHAPES[i][2];
      long seed = 40_000L + i;
      Random r = new Random(seed);
      int xOff = r.nextInt(5);
      float[] x = bnInput(r, xOff, n, c, hw);
      float[] meanE = random(r, c + 2);
      float[] varE = meanE.clone();
      float[] meanA = meanE.clone();
      float[] varA = meanE.clone();
      REF.batchNormStats(n, c, hw, x, xOff, meanE, varE);
      backend(threads).batchNormStats(n, c, hw, x, xOff, meanA, varA);
      String what = "batchNormStats seed=" + seed + " n=" + n + " c=" + c + " hw=" + hw + " threads=" + threads;
      assertClose(meanE, meanA, 1e-5, 1e-5, what + " mean");
      assertClose(varE, varA, 1e-5, 1e-5, what + " var");
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void batchNormApplyMatchesScalarAlsoInPlace(int threads) {
    for (int i = 0; i < BN_SHAPES.length; i++) {
      int n = BN_SHAPES[i][0];
      int c = BN_SHAPES[i][1];
      int hw = BN_SHAPES[i][2];
      long seed = 41_000L + i;
      Random r = new Random(seed);
      int xOff = r.nextInt(5);
      int yOff = r.nextInt(5);
      float[] x = bnInput(r, xOff, n, c, hw);
      float[] scale = random(r, c);
      float[] shift = random(r, c);
      float[] y = random(r, yOff + n * c * hw + 3);
      float[] expected = y.clone();
      REF.batchNormApply(n, c, hw, x, xOff, scale, shift, expected, yOff);
      float[] actual = y.clone();
      backend(threads).batchNormApply(n, c, hw, x, xOff, scale, shift, actual, yOff);
      String what = "batchNormApply seed=" + seed + " n=" + n + " c=" + c + " hw=" + hw + " threads=" + threads;
      assertClose(expected, actual, 1e-6, 1e-6, what);
      assertUntouchedOutside(y, actual, range(yOff, n * c * hw), what);
      float[] inPlaceE = x.clone();
      REF.batchNormApply(n, c, hw, inPlaceE, xOff, scale, shift, inPlaceE, xOff);
      float[] inPlaceA = x.clone();
      backend(threads).batchNormApply(n, c, hw, inPlaceA, xOff, scale, shift, inPlaceA, xOff);
      assertClose(inPlaceE, inPlaceA, 1e-6, 1e-6, what + " in place");
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void batchNormBackwardAccumulatesLikeScalar(int threads) {
    for (int i = 0; i < BN_SHAPES.length; i++) {
      for (boolean withDx : new boolean[] {true, false}) {
        checkBatchNormBackward(backend(threads), BN_SHAPES[i], withDx, 42_000L + 2 * i + (withDx ? 1 : 0));
      }
    }
  }

  private static void checkBatchNormBackward(Kernels k, int[] shape, boolean withDx, long seed) {
    int n = shape[0];
    int c = shape[1];
    int hw = shape[2];
    Random r = new Random(seed);
    int xOff = r.nextInt(5);
    int dyOff = r.nextInt(5);
    int dxOff = r.nextInt(5);
    int gOff = r.nextInt(3);
    float[] x = bnInput(r, xOff, n, c, hw);
    float[] dy = random(r, dyOff + n * c * hw + 3);
    float[] mean = new float[c];
    float[] var = new float[c];
    REF.batchNormStats(n, c, hw, x, xOff, mean, var);
    float[] invStd = new float[c];
    for (int ch = 0; ch < c; ch++) {
      invStd[ch] = (float) (1 / Math.sqrt(var[ch] + 1e-5));
    }
    float[] gamma = random(r, gOff + c + 2);
    float[] dx = withDx ? random(r, dxOff + n * c * hw + 3) : null;
    float[] dGamma = random(r, gOff + c + 2);
    float[] dBeta = random(r, gOff + c + 2);
    float[] dxE = withDx ? dx.clone() : null;
    float[] dGammaE = dGamma.clone();
    float[] dBetaE = dBeta.clone();
    REF.batchNormBackward(
        n, c, hw, x, xOff, dy, dyOff, mean, invStd, gamma, gOff, dxE, dxOff, dGammaE, gOff, dBetaE, gOff);
    float[] dxA = withDx ? dx.clone() : null;
    float[] dGammaA = dGamma.clone();
    float[] dBetaA = dBeta.clone();
    k.batchNormBackward(
        n, c, hw, x, xOff, dy, dyOff, mean, invStd, gamma, gOff, dxA, dxOff, dGammaA, gOff, dBetaA, gOff);
    String what = "batchNormBackward seed=" + seed + " n=" + n + " c=" + c + " hw=" + hw + " dx=" + withDx
        + " threads=" + k.threads();
    double t = tol((long) n * hw);
    assertClose(dGammaE, dGammaA, t, t, what + " dGamma");
    assertClose(dBetaE, dBetaA, t, t, what + " dBeta");
    assertUntouchedOutside(dGamma, dGammaA, range(gOff, c), what + " dGamma");
    if (withDx) {
      assertClose(dxE, dxA, 1e-4, 1e-4, what + " dx");
      assertUntouchedOutside(dx, dxA, range(dxOff, n * c * hw), what + " dx");
    }
  }

  // ---------------------------------------------------------------- element-wise

  private static final int[] LENGTHS = {1, 7, 8, 15, 16, 17, 31, 33, 100, 1023, 70001};

  /** Values in [-8, 8) with exact 0, -0, 6 and 8 sprinkled in (the ReLU6 edges). */
  private static float[] activations(Random r, int n) {
    float[] x = uniform(r, n, -8f, 8f);
    float[] edges = {0f, -0f, 6f, 8f, Float.MIN_VALUE};
    for (int i = 0; i < n; i += 5) {
      x[i] = edges[(i / 5) % edges.length];
    }
    return x;
  }

  /** An element-wise kernel call with inputs a, b and output y at the given offsets. */
  @FunctionalInterface
  interface Elementwise {
    void run(Kernels k, int n, float[] a, int aOff, float[] b, int bOff, float[] y, int yOff);
  }

  private static void checkElementwise(String name, Elementwise op, double tol, long seedBase) {
    for (int threads = 1; threads <= 3; threads++) {
      Kernels k = backend(threads);
      for (int i = 0; i < LENGTHS.length; i++) {
        int n = LENGTHS[i];
        long seed = seedBase + i;
        Random r = new Random(seed);
        int aOff = r.nextInt(5);
        int bOff = r.nextInt(5);
        int yOff = r.nextInt(5);
        float[] a = activations(r, aOff + n + 2);
        float[] b = activations(r, bOff + n + 2);
        float[] y = random(r, yOff + n + 2);
        float[] expected = y.clone();
        op.run(REF, n, a, aOff, b, bOff, expected, yOff);
        float[] actual = y.clone();
        op.run(k, n, a, aOff, b, bOff, actual, yOff);
        String what = name + " seed=" + seed + " n=" + n + " threads=" + threads;
        assertClose(expected, actual, tol, tol, what);
        assertUntouchedOutside(y, actual, range(yOff, n), what);
      }
    }
  }

  @Test
  void reluAndRelu6MatchScalarExactly() {
    checkElementwise("relu", (k, n, a, ao, b, bo, y, yo) -> k.relu(n, a, ao, y, yo), 0, 50_000L);
    checkElementwise("relu6", (k, n, a, ao, b, bo, y, yo) -> k.relu6(n, a, ao, y, yo), 0, 51_000L);
  }

  @Test
  void reluBackwardsAccumulateExactlyWhereTheyPass() {
    checkElementwise("reluBackward", (k, n, a, ao, b, bo, y, yo) -> k.reluBackward(n, a, ao, b, bo, y, yo), 0, 52_000L);
    checkElementwise("relu6Backward",
        (k, n, a, ao, b, bo, y, yo) -> k.relu6Backward(n, a, ao, b, bo, y, yo), 0, 53_000L);
  }

  @Test
  void addMultiplyAndAxpyMatchScalar() {
    checkElementwise("add", (k, n, a, ao, b, bo, y, yo) -> k.add(n, a, ao, b, bo, y, yo), 0, 54_000L);
    checkElementwise("multiply", (k, n, a, ao, b, bo, y, yo) -> k.multiply(n, a, ao, b, bo, y, yo), 0, 55_000L);
    checkElementwise("multiplyAdd",
        (k, n, a, ao, b, bo, y, yo) -> k.multiplyAdd(n, a, ao, b, bo, y, yo), 1e-6, 56_000L);
    checkElementwise("axpy", (k, n, a, ao, b, bo, y, yo) -> k.axpy(n, -1.7f, a, ao, y, yo), 1e-6, 57_000L);
  }

  @Test
  void addWorksInPlace() {
    Random r = new Random(58);
    float[] a = random(r, 1001);
    float[] b = random(r, 1001);
    float[] expected = a.clone();
    REF.add(1000, expected, 1, b, 0, expected, 1);
    float[] actual = a.clone();
    backend(2).add(1000, actual, 1, b, 0, actual, 1);
    assertClose(expected, actual, 0, 0, "add in place seed=58 n=1000");
  }

  // ---------------------------------------------------------------- reductions and row kernels

  @Test
  void sumAndDotMatchScalar() {
    int[] lengths = {1, 7, 17, 100, 1023, 1025, 5000, 70001};
    for (int threads = 1; threads <= 3; threads++) {
      Kernels k = backend(threads);
      for (int i = 0; i < lengths.length; i++) {
        int n = lengths[i];
        long seed = 60_000L + i;
        Random r = new Random(seed);
        int off = r.nextInt(5);
        float[] a = random(r, off + n);
        float[] b = random(r, n + 1);
        String what = " seed=" + seed + " n=" + n + " threads=" + threads;
        double t = tol(n);
        assertClose(new float[] {REF.sum(n, a, off)}, new float[] {k.sum(n, a, off)}, t, t, "sum" + what);
        assertClose(new float[] {REF.dot(n, a, off, b, 1)}, new float[] {k.dot(n, a, off, b, 1)}, t, t, "dot" + what);
      }
    }
  }

  private static final int[][] ROWS = {
    {1, 1}, {3, 7}, {5, 16}, {7, 49}, {2, 1025}, {4, 17}, {13, 33}, {64, 10}, {600, 64}
  };

  /** A row kernel over a rows x cols matrix x, writing or adding into y. */
  @FunctionalInterface
  interface RowOp {
    void run(Kernels k, int rows, int cols, float[] x, int xOff, float[] y, int yOff);
  }

  /** Checks a row kernel whose output has one value per row, or ({@code !outPerRow}) rows x cols. */
  private static void checkRows(String name, RowOp op, boolean outPerRow, double tol, long seedBase) {
    for (int threads = 1; threads <= 3; threads++) {
      Kernels k = backend(threads);
      for (int i = 0; i < ROWS.length; i++) {
        int rows = ROWS[i][0];
        int cols = ROWS[i][1];
        long seed = seedBase + i;
        Random r = new Random(seed);
        int xOff = r.nextInt(5);
        int yOff = r.nextInt(5);
        int outLen = outPerRow ? rows : rows * cols;
        float[] x = uniform(r, xOff + rows * cols + 2, -3f, 3f);
        float[] y = random(r, yOff + outLen + 2);
        float[] expected = y.clone();
        op.run(REF, rows, cols, x, xOff, expected, yOff);
        float[] actual = y.clone();
        op.run(k, rows, cols, x, xOff, actual, yOff);
        String what = name + " seed=" + seed + " rows=" + rows + " cols=" + cols + " threads=" + threads;
        assertClose(expected, actual, tol, tol, what);
        assertUntouchedOutside(y, actual, range(yOff, outLen), what);
      }
    }
  }

  @Test
  void globalAvgPoolAndItsBackwardMatchScalar() {
    checkRows("globalAvgPool",
        (k, rows, hw, x, xo, y, yo) -> k.globalAvgPool(rows, hw, x, xo, y, yo), true, 1e-6, 61_000L);
    // backward: dy is the first `rows` values of x, dx (rows x hw) accumulates
    checkRows("globalAvgPoolBackward",
        (k, rows, hw, x, xo, y, yo) -> k.globalAvgPoolBackward(rows, hw, x, xo, y, yo), false, 1e-6, 62_000L);
  }

  @Test
  void addRowVectorAndSumRowsMatchScalar() {
    // addRowVector: v is the first `cols` values of x, y (rows x cols) accumulates
    checkRows("addRowVector",
        (k, rows, cols, x, xo, y, yo) -> k.addRowVector(rows, cols, x, xo, y, yo), false, 0, 63_000L);
    // sumRows: out has `cols` values; checked with rows and cols swapped in the output length
    for (int threads = 1; threads <= 3; threads++) {
      for (int i = 0; i < ROWS.length; i++) {
        checkSumRows(backend(threads), ROWS[i][0], ROWS[i][1], 64_000L + i);
      }
    }
  }

  private static void checkSumRows(Kernels k, int rows, int cols, long seed) {
    Random r = new Random(seed);
    int xOff = r.nextInt(5);
    int outOff = r.nextInt(5);
    float[] x = random(r, xOff + rows * cols + 2);
    float[] out = random(r, outOff + cols + 2);
    float[] expected = out.clone();
    REF.sumRows(rows, cols, x, xOff, expected, outOff);
    float[] actual = out.clone();
    k.sumRows(rows, cols, x, xOff, actual, outOff);
    String what = "sumRows seed=" + seed + " rows=" + rows + " cols=" + cols + " threads=" + k.threads();
    assertClose(expected, actual, tol(rows), tol(rows), what);
    assertUntouchedOutside(out, actual, range(outOff, cols), what);
  }

  @Test
  void logSoftmaxRowsMatchesScalarAlsoInPlace() {
    checkRows("logSoftmaxRows", (k, rows, cols, x, xo, y, yo) -> k.logSoftmaxRows(rows, cols, x, xo, y, yo),
        false, 1e-5, 65_000L);
    Random r = new Random(66);
    float[] x = uniform(r, 2000 * 10, -20f, 20f);
    float[] expected = x.clone();
    REF.logSoftmaxRows(2000, 10, expected, 0, expected, 0);
    float[] actual = x.clone();
    backend(3).logSoftmaxRows(2000, 10, actual, 0, actual, 0);
    assertClose(expected, actual, 1e-5, 1e-5, "logSoftmaxRows in place seed=66 rows=2000 cols=10");
  }

  // ---------------------------------------------------------------- sharing and self-checks

  @Test
  void oneInstanceServesSeveralCallingThreadsAtOnce() throws Exception {
    Kernels shared = backend(2);
    ExecutorService callers = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        final int caller = t;
        done.add(callers.submit(() -> {
          for (int rep = 0; rep < 5; rep++) {
            KernelConformance.checkConvForward(shared, CONVS.get((caller + rep) % CONVS.size()), 70_000L + caller * 10 + rep, "shared or corrupted backend");
            KernelConformance.checkConvBackwardWeights(shared, CONVS.get((caller + 2 * rep) % CONVS.size()), 71_000L + caller * 10 + rep, "threads=" + shared.threads());
            new Gemm(caller % 2 == 0, rep % 2 == 0, 67 + caller, 130, 125, 1f, 0f, 72_000L + caller * 10 + rep)
                .check(shared, "shared instance");
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void describesItsSpeciesAndThreads() {
    assertEquals("vector", backend(3).name());
    assertEquals(3, backend(3).threads());
    assertTrue(VectorKernels.describeSpecies().contains("float"), VectorKernels.describeSpecies());
  }

  /** A backend that runs VectorKernels, then nudges one output element of one kernel. */
  private static Kernels corrupting(String method, int arrayArg, int offsetArg, float delta) {
    Kernels good = backend(2);
    return (Kernels) Proxy.newProxyInstance(Kernels.class.getClassLoader(), new Class<?>[] {Kernels.class},
        (proxy, m, args) -> {
          Object result = m.invoke(good, args);
          if (m.getName().equals(method)) {
            int off = offsetArg < 0 ? 0 : (Integer) args[offsetArg];
            ((float[]) args[arrayArg])[off] += delta;
          }
          return result;
        });
  }

  @Test
  void theChecksCatchSmallErrorsAndStrayWrites() {
    assertThrows(AssertionFailedError.class,
        () -> new Gemm(false, true, 13, 17, 31, 1f, 0.5f, 80L).check(corrupting("sgemm", 13, 14, 1e-2f), "corrupted"));
    assertThrows(AssertionFailedError.class,
        () -> KernelConformance.checkConvBackwardWeights(corrupting("conv2dBackwardWeights", 5, 6, 1e-2f), CONVS.get(0), 81L,
            "corrupted"));
    assertThrows(AssertionFailedError.class,
        () -> KernelConformance.checkConvForward(corrupting("conv2dForward", 6, 7, 1e-2f), CONVS.get(8), 82L, "shared or corrupted backend"));
    // a stray write at index 0, before the output or inside it
    assertThrows(AssertionFailedError.class,
        () -> KernelConformance.checkConvBackwardData(corrupting("conv2dBackwardData", 6, -1, 1f), CONVS.get(2), 83L,
            "corrupted"));
    float[] a = {1f, 2f, 3f};
    float[] b = {1f, 2f, 3.001f};
    assertThrows(AssertionFailedError.class, () -> assertClose(a, b, 1e-5, 1e-5, "self-check"));
  }
}
