package org.slimj.nativekernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.slimj.engine.kernels.FloatChecks.assertClose;
import static org.slimj.engine.kernels.FloatChecks.assertUntouchedOutside;
import static org.slimj.engine.kernels.FloatChecks.block;
import static org.slimj.engine.kernels.FloatChecks.random;
import static org.slimj.engine.kernels.FloatChecks.range;
import static org.slimj.engine.kernels.FloatChecks.tol;

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
import org.slimj.engine.kernels.ConvShape;
import org.slimj.engine.kernels.KernelConformance;
import org.slimj.engine.kernels.KernelConformance.Conv;
import org.slimj.engine.kernels.KernelConformance.Depthwise;
import org.slimj.engine.kernels.KernelConformance.Gemm;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.Parallel;
import org.slimj.engine.kernels.ScalarKernels;

/**
 * The native kernels against {@link ScalarKernels} on seeded data, with 1 and 2 threads and every
 * x86-64 instruction set this CPU runs (AVX-512 and AVX2 here): sizes 1, odd, prime and not
 * multiples of the tile, offsets, leading dimensions wider than the active sizes, sliced weight
 * prefixes, NaN in C with beta 0, and gradients that must accumulate into pre-filled arrays. The
 * shape sets are those of the engine's VectorKernelsTest. Every call goes to C here, whatever its
 * size or stride ({@code allNative}); one test checks the default routing as well. If the library
 * does not load, every test fails with the reason.
 */
class NativeKernelsTest {
  private static final Parallel[] POOLS = {new Parallel(1), new Parallel(2), new Parallel(3)};
  private static final Kernels REF = new ScalarKernels();
  private static final float[] BETAS = {0f, 1f, 0.5f};

  @AfterAll
  static void closePools() {
    for (Parallel p : POOLS) {
      p.close();
    }
  }

  /** The instruction sets to test: the one loaded, and AVX2 as well where AVX-512 was loaded. */
  static List<Integer> isas() {
    NativeLoader.Status s = NativeLoader.status();
    if (!s.available()) {
      fail("the native library must load wherever the build ran gcc: " + s.reason());
    }
    List<Integer> isas = new ArrayList<>(List.of(s.isa()));
    if (s.isa() == NativeBridge.ISA_AVX512) {
      isas.add(NativeBridge.ISA_AVX2);
    }
    return isas;
  }

  /** Native kernels for every tested instruction set with {@code threads} threads, all products native. */
  private static List<NativeKernels> backends(int threads) {
    List<NativeKernels> list = new ArrayList<>();
    for (int isa : isas()) {
      list.add(new NativeKernels(POOLS[threads - 1], isa, true));
    }
    return list;
  }

  private static String describe(NativeKernels k) {
    return k.instructionSet() + " threads=" + k.threads();
  }

  // ---------------------------------------------------------------- sgemm

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void sgemmMatchesScalarOnOddShapesAllTransposes(int threads) {
    for (NativeKernels k : backends(threads)) {
      KernelConformance.sgemmOddShapes(k, describe(k));
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void sgemmMatchesScalarOnLargeShapes(int threads) {
    // parallel column and row splits, several k blocks, several column blocks, more rows than a block
    int[][] shapes = {{130, 257, 67}, {67, 130, 300}, {250, 9, 520}, {7, 4200, 5}, {1, 1000, 1100}, {1000, 1, 1100},
        {300, 40, 40}};
    for (NativeKernels k : backends(threads)) {
      KernelConformance.sgemmLargeShapes(k, describe(k), shapes);
    }
  }

  @Test
  void sgemmWithEmptyDepthScalesC() {
    for (float beta : BETAS) {
      for (NativeKernels k : backends(2)) {
        new Gemm(false, false, 5, 7, 0, 1.5f, beta, 77L).check(k, describe(k));
        new Gemm(true, true, 3, 9, 0, 1f, beta, 78L).check(k, describe(k));
      }
    }
  }

  @Test
  void sgemmWithEmptyOutputTouchesNothing() {
    float[] c = {1f, 2f, 3f};
    for (NativeKernels k : backends(2)) {
      k.sgemm(false, false, 0, 3, 4, 1f, new float[12], 0, 4, new float[12], 0, 3, 0f, c, 0, 3);
      k.sgemm(false, false, 1, 0, 4, 1f, new float[12], 0, 4, new float[12], 0, 1, 0f, c, 0, 1);
    }
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
    for (int isa : isas()) {
      float[] first = null;
      for (int threads = 1; threads <= 2; threads++) {
        float[] c = new float[m * n];
        new NativeKernels(POOLS[threads - 1], isa, true).sgemm(false, true, m, n, k, 1f, a, 0, k, b, 0, k, 0f, c, 0, n);
        if (first == null) {
          first = c;
        } else {
          assertArrayEquals(first, c,
              "seed 31, 97x301x290 transB, " + NativeLoader.isaName(isa) + " threads " + threads);
        }
      }
    }
  }

  @Test
  void defaultRoutingSendsSmallCallsToTheVectorApiAndLargeOnesToC() {
    NativeKernels k = new NativeKernels(POOLS[1]);
    assertEquals("native", k.name());
    assertEquals(2, k.threads());
    new Gemm(false, false, 3, 5, 7, 1f, 0f, 90L).check(k, describe(k));
    new Gemm(true, false, 520, 400, 330, -0.7f, 0.5f, 91L).check(k, describe(k)); // above MIN_NATIVE_MACS
    KernelConformance.checkConvForward(k, CONVS.get(0), 92L, describe(k)); // few pixels per chunk: Vector API
    KernelConformance.checkConvForward(k, new Conv(4, 8, 8, 20, 20, 12, 12, 3, 3, 1, 1), 93L, describe(k)); // C
    checkDepthwise(k, DEPTHWISE.get(1), 94L); // stride 2: Vector API
    checkDepthwise(k, DEPTHWISE.get(8), 95L); // stride 1: C
  }

  private static void checkDepthwise(NativeKernels k, Depthwise d, long seed) {
    ConvShape s = d.shape();
    Random r = new Random(seed);
    float[] x = random(r, s.n() * s.inPerImage());
    float[] w = random(r, d.cMax() * s.kernelArea());
    float[] y = random(r, s.n() * s.outPerImage());
    float[] yE = y.clone();
    REF.depthwiseForward(s, x, 0, w, 0, yE, 0);
    k.depthwiseForward(s, x, 0, w, 0, y, 0);
    assertClose(yE, y, 1e-5, 1e-5, "depthwiseForward seed=" + seed + " " + d + " " + describe(k));
    float[] dx = random(r, x.length);
    float[] dxE = dx.clone();
    REF.depthwiseBackwardData(s, y, 0, w, 0, dxE, 0);
    k.depthwiseBackwardData(s, y, 0, w, 0, dx, 0);
    assertClose(dxE, dx, 1e-5, 1e-5, "depthwiseBackwardData seed=" + seed + " " + d + " " + describe(k));
    float[] dw = random(r, w.length);
    float[] dwE = dw.clone();
    REF.depthwiseBackwardWeights(s, x, 0, y, 0, dwE, 0);
    k.depthwiseBackwardWeights(s, x, 0, y, 0, dw, 0);
    assertClose(dwE, dw, 1e-4, 1e-4, "depthwiseBackwardWeights seed=" + seed + " " + d + " " + describe(k));
  }

  @Test
  void outOfRangeArgumentsThrowBeforeAnyNativeCall() {
    NativeKernels k = backends(1).get(0);
    float[] small = new float[10];
    var e = assertThrows(IndexOutOfBoundsException.class,
        () -> k.sgemm(false, false, 4, 4, 4, 1f, small, 0, 4, new float[16], 0, 4, 0f, new float[16], 0, 4));
    assertTrue(e.getMessage().contains("sgemm A") && e.getMessage().contains("16"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> k.sgemm(false, false, 4, 4, 4, 1f, new float[16], 0, 3, new float[16], 0, 4, 0f, new float[16], 0, 4));
    ConvShape s = new ConvShape(2, 3, 5, 5, 4, 3, 3, 1, 1);
    assertThrows(IndexOutOfBoundsException.class, () -> k.conv2dForward(s, new float[2 * 75], 1, new float[4 * 27], 0,
        27, new float[2 * 100], 0));
    assertThrows(IllegalArgumentException.class, () -> k.depthwiseForward(s, new float[150], 0, new float[100], 0,
        new float[200], 0));
  }

  // ---------------------------------------------------------------- dense convolution

  private static final List<Conv> CONVS = Stream.concat(KernelConformance.CONVS.stream(), Stream.of(
    new Conv(1, 30, 32, 40, 40, 20, 24, 3, 3, 1, 1), // one image, pixels split over the pool
    new Conv(40, 3, 4, 5, 5, 4, 5, 3, 3, 1, 1))) // the last: more images than one native call takes
      .toList();


  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2})
  void conv2dForwardMatchesScalar(int threads) {
    for (NativeKernels k : backends(threads)) {
      for (int i = 0; i < CONVS.size(); i++) {
        KernelConformance.checkConvForward(k, CONVS.get(i), 20_000L + i, describe(k));
      }
    }
  }

  @Test
  void conv2dForwardGivesTheSameBitsForEveryThreadCount() {
    // one image: pixel columns split over the pool with 2 threads, one call with 1 thread
    Conv c = new Conv(1, 30, 32, 40, 40, 20, 24, 3, 3, 1, 1);
    ConvShape s = c.shape();
    Random r = new Random(24);
    float[] x = random(r, s.n() * s.inPerImage());
    float[] w = random(r, c.coutMax() * c.ldw());
    for (int isa : isas()) {
      float[] first = new float[s.n() * s.outPerImage()];
      float[] second = new float[first.length];
      new NativeKernels(POOLS[0], isa, true).conv2dForward(s, x, 0, w, 0, c.ldw(), first, 0);
      new NativeKernels(POOLS[1], isa, true).conv2dForward(s, x, 0, w, 0, c.ldw(), second, 0);
      assertArrayEquals(first, second, "seed 24 " + c + " " + NativeLoader.isaName(isa) + ", 1 vs 2 threads");
    }
  }

  /** Backward shapes beyond the shared set: 1x1 calls of several image groups, tile edges, long rows. */
  private static final List<Conv> BACKWARD_CONVS = Stream.concat(CONVS.stream(), Stream.of(
    new Conv(40, 5, 7, 3, 5, 13, 15, 1, 1, 1, 0), // 1x1, 15 pixels: several images per call, 3 calls
    new Conv(3, 17, 19, 33, 33, 11, 13, 1, 1, 1, 0), // 1x1, 1089 pixels: one image per call, 4 KB rows
    new Conv(5, 6, 6, 8, 8, 9, 9, 1, 1, 1, 0), // 1x1: exactly one tile wide, 64 pixels
    new Conv(2, 3, 3, 17, 19, 10, 12, 3, 3, 2, 1), // strided 3x3: 27 im2col rows, 10 output channels
    new Conv(33, 3, 3, 9, 9, 7, 8, 3, 3, 1, 1))) // more images than one call takes
      .toList();

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void conv2dBackwardDataMatchesScalar(int threads) {
    for (NativeKernels k : backends(threads)) {
      for (int i = 0; i < BACKWARD_CONVS.size(); i++) {
        KernelConformance.checkConvBackwardData(k, BACKWARD_CONVS.get(i), 21_000L + i, describe(k));
      }
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void conv2dBackwardWeightsMatchesScalar(int threads) {
    for (NativeKernels k : backends(threads)) {
      for (int i = 0; i < BACKWARD_CONVS.size(); i++) {
        KernelConformance.checkConvBackwardWeights(k, BACKWARD_CONVS.get(i), 22_000L + i, describe(k));
      }
    }
  }

  @Test
  void backwardPassesGiveTheSameBitsForEveryThreadCount() {
    // output channels of the weight gradient split 1, 2 and 3 ways; images of backward data
    for (Conv c : List.of(new Conv(20, 24, 24, 8, 8, 37, 40, 1, 1, 1, 0), new Conv(6, 3, 3, 12, 12, 23, 23, 3, 3, 1, 1))) {
      ConvShape s = c.shape();
      Random r = new Random(25);
      float[] x = random(r, s.n() * s.inPerImage());
      float[] dy = random(r, s.n() * s.outPerImage());
      float[] w = random(r, c.coutMax() * c.ldw());
      for (int isa : isas()) {
        float[] firstDw = null;
        float[] firstDx = null;
        for (int threads = 1; threads <= 3; threads++) {
          NativeKernels k = new NativeKernels(POOLS[threads - 1], isa, true);
          float[] dw = new float[w.length];
          float[] dx = new float[x.length];
          k.conv2dBackwardWeights(s, x, 0, dy, 0, dw, 0, c.ldw());
          k.conv2dBackwardData(s, dy, 0, w, 0, c.ldw(), dx, 0);
          if (firstDw == null) {
            firstDw = dw;
            firstDx = dx;
          } else {
            String what = "seed 25 " + c + " " + NativeLoader.isaName(isa) + ", 1 vs " + threads + " threads";
            assertArrayEquals(firstDw, dw, "conv2dBackwardWeights " + what);
            assertArrayEquals(firstDx, dx, "conv2dBackwardData " + what);
          }
        }
      }
    }
  }

  @Test
  void defaultRoutingOfDenseBackwardPassesStillAccumulates() {
    // backward data: 3x3 and narrow 1x1 (12 input channels) stay on the Vector API, a wider 1x1
    // with enough pixels goes to C; weight gradients go to C (with AVX-512) except wide 1x1 ones
    NativeKernels k = new NativeKernels(POOLS[1]);
    for (Conv c : List.of(CONVS.get(0), new Conv(16, 12, 16, 8, 8, 20, 24, 1, 1, 1, 0),
        new Conv(16, 26, 30, 8, 8, 20, 24, 1, 1, 1, 0), new Conv(4, 64, 64, 8, 8, 384, 384, 1, 1, 1, 0))) {
      KernelConformance.checkConvBackwardData(k, c, 23_000L, describe(k));
      KernelConformance.checkConvBackwardWeights(k, c, 23_001L, describe(k));
    }
  }

  // ---------------------------------------------------------------- depthwise convolution

  private static final List<Depthwise> DEPTHWISE = Stream.concat(KernelConformance.DEPTHWISE.stream(), Stream.of(
    new Depthwise(3, 100, 101, 5, 6, 3, 3, 1, 1), // more planes and channels than one native call takes
    new Depthwise(3, 7, 9, 8, 8, 3, 3, 1, 1), // 8x8 planes: whole vectors of 16, two rows each
    new Depthwise(2, 4, 4, 1, 1, 3, 3, 1, 1), // one pixel, every neighbour outside
    new Depthwise(2, 3, 3, 13, 1, 3, 3, 1, 1), // one column
    new Depthwise(1, 2, 2, 32, 32, 3, 3, 1, 1), // 4 KB planes
    new Depthwise(1, 3, 5, 31, 33, 5, 5, 1, 2), // 1023 pixels, 5x5
    new Depthwise(1, 2, 2, 33, 33, 3, 3, 1, 1))) // 1089 pixels
      .toList();


  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void depthwiseForwardMatchesScalar(int threads) {
    for (NativeKernels k : backends(threads)) {
      for (int i = 0; i < DEPTHWISE.size(); i++) {
        KernelConformance.checkDepthwiseForward(k, DEPTHWISE.get(i), 30_000L + i, describe(k));
      }
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void depthwiseBackwardDataAccumulatesLikeScalar(int threads) {
    for (NativeKernels k : backends(threads)) {
      for (int i = 0; i < DEPTHWISE.size(); i++) {
        KernelConformance.checkDepthwiseBackwardData(k, DEPTHWISE.get(i), 31_000L + i, describe(k));
      }
    }
  }

  @ParameterizedTest(name = "{0} thread(s)")
  @ValueSource(ints = {1, 2, 3})
  void depthwiseBackwardWeightsAccumulatesIntoActiveChannelsOnly(int threads) {
    for (NativeKernels k : backends(threads)) {
      for (int i = 0; i < DEPTHWISE.size(); i++) {
        KernelConformance.checkDepthwiseBackwardWeights(k, DEPTHWISE.get(i), 32_000L + i, describe(k));
      }
    }
  }

  // ---------------------------------------------------------------- sharing

  @Test
  void oneInstanceServesSeveralCallingThreadsAtOnce() throws Exception {
    NativeKernels shared = backends(2).get(0);
    ExecutorService callers = Executors.newFixedThreadPool(3);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        final int caller = t;
        done.add(callers.submit(() -> {
          for (int rep = 0; rep < 4; rep++) {
            KernelConformance.checkConvForward(shared, CONVS.get((caller + 3 * rep) % CONVS.size()), 70_000L + caller * 10 + rep, describe(shared));
            new Gemm(caller % 2 == 0, rep % 2 == 0, 67 + caller, 130, 125, 1f, 0f, 72_000L + caller * 10 + rep)
                .check(shared, describe(shared));
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
}
