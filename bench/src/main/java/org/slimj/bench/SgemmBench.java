package org.slimj.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.slimj.engine.kernels.Kernels;

/**
 * {@code C = op(A) op(B)} through {@link Kernels#sgemm}, at sizes that are and are not multiples of
 * the vector length and of the micro-kernel's tiles. GFLOP/s = 2·m·n·k / time.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmFlags.ADD_MODULES, JvmFlags.VECTOR_MODULE, JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class SgemmBench extends BackendParams {
  /** m x n x k. */
  @Param({"128x128x128", "256x256x256", "512x512x512", "100x300x200", "127x129x131"})
  public String mnk;

  /** {@code NN}, {@code TN} (A transposed) or {@code NT} (B transposed), as the convolutions use them. */
  @Param({"NN"})
  public String layout;

  private Kernels kernels;
  private boolean transA;
  private boolean transB;
  private int m;
  private int n;
  private int k;
  private float[] a;
  private float[] b;
  private float[] c;

  /** Builds the backend and random operands. */
  @Setup
  public void setup() {
    kernels = openKernels();
    int[] s = ShapeParams.gemm(mnk);
    m = s[0];
    n = s[1];
    k = s[2];
    switch (layout) {
      case "NN" -> { transA = false; transB = false; }
      case "TN" -> { transA = true; transB = false; }
      case "NT" -> { transA = false; transB = true; }
      default -> throw new IllegalArgumentException("layout: expected NN, TN or NT, found '" + layout + "'");
    }
    SplittableRandom rng = new SplittableRandom(11);
    a = RandomTensors.gaussian(rng, m * k);
    b = RandomTensors.gaussian(rng, k * n);
    c = new float[m * n];
  }

  /** One product (beta = 0: C is overwritten). */
  @Benchmark
  public float[] sgemm() {
    kernels.sgemm(transA, transB, m, n, k, 1f, a, 0, transA ? m : k, b, 0, transB ? k : n, 0f, c, 0, n);
    return c;
  }
}
