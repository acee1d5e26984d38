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
 * The batch-norm kernels on x[n, c, h·w]: batch statistics, the per-channel affine map (both modes'
 * forward) and the training-mode backward. These are memory-bound: compare bytes moved, not FLOPs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmFlags.ADD_MODULES, JvmFlags.VECTOR_MODULE, JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class BatchNormBench extends BackendParams {
  /** See {@link ShapeParams#planes}: MobileNet v2 activations and an odd shape. */
  @Param({"64x576@8", "64x192@32", "64x32@32", "8x37@13"})
  public String shape;

  private Kernels kernels;
  private int n;
  private int c;
  private int hw;
  private float[] x;
  private float[] y;
  private float[] dy;
  private float[] dx;
  private float[] mean;
  private float[] var;
  private float[] invStd;
  private float[] scale;
  private float[] shift;
  private float[] gamma;
  private float[] dGamma;
  private float[] dBeta;

  /** Builds the backend and random operands. */
  @Setup
  public void setup() {
    kernels = openKernels();
    int[] s = ShapeParams.planes(shape);
    n = s[0];
    c = s[1];
    hw = s[2];
    SplittableRandom rng = new SplittableRandom(14);
    x = RandomTensors.gaussian(rng, n * c * hw);
    dy = RandomTensors.gaussian(rng, n * c * hw);
    y = new float[x.length];
    dx = new float[x.length];
    mean = RandomTensors.uniform(rng, c, -0.1f, 0.1f);
    var = new float[c];
    invStd = RandomTensors.uniform(rng, c, 0.5f, 2f);
    scale = RandomTensors.uniform(rng, c, 0.5f, 2f);
    shift = RandomTensors.uniform(rng, c, -1f, 1f);
    gamma = RandomTensors.uniform(rng, c, 0.5f, 2f);
    dGamma = new float[c];
    dBeta = new float[c];
  }

  /** Per-channel batch mean and variance. */
  @Benchmark
  public float[] stats() {
    kernels.batchNormStats(n, c, hw, x, 0, mean, var);
    return var;
  }

  /** y = x·scale[c] + shift[c]. */
  @Benchmark
  public float[] apply() {
    kernels.batchNormApply(n, c, hw, x, 0, scale, shift, y, 0);
    return y;
  }

  /** dGamma, dBeta and dx of training-mode batch norm. */
  @Benchmark
  public float[] backward() {
    kernels.batchNormBackward(n, c, hw, x, 0, dy, 0, mean, invStd, gamma, 0, dx, 0, dGamma, 0, dBeta, 0);
    return dx;
  }
}
