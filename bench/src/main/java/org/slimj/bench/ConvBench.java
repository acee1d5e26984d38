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
import org.slimj.engine.kernels.ConvShape;
import org.slimj.engine.kernels.Kernels;

/**
 * The dense convolution kernels: forward, backward to the input and backward to the weights. The
 * weight is allocated at the shape's full channel counts; {@code frac < 1} runs on its leading
 * prefix through the leading dimension, as slimmable layers do. Each call does 2·{@link
 * ConvShape#macs()} floating-point operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmFlags.ADD_MODULES, JvmFlags.VECTOR_MODULE, JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class ConvBench extends BackendParams {
  /** See {@link ShapeParams#conv}: the dense layers of LAYERS.md, a strided 3×3 and an odd shape. */
  @Param({"64x96@8->576k1s1", "64x3@32->32k3s1", "64x32@32->192k1s1", "64x16@16->32k3s2", "8x17@13->29k3s1"})
  public String shape;

  /** Width fraction of both channel counts. */
  @Param({"1.0"})
  public double frac;

  private Kernels kernels;
  private ConvShape s;
  private int ldw;
  private float[] x;
  private float[] w;
  private float[] y;
  private float[] dx;
  private float[] dw;

  /** Builds the backend and random operands. */
  @Setup
  public void setup() {
    kernels = openKernels();
    s = ShapeParams.conv(shape, frac);
    int[] max = ShapeParams.convMax(shape);
    ldw = max[0] * s.kernelArea();
    SplittableRandom rng = new SplittableRandom(12);
    x = RandomTensors.gaussian(rng, s.n() * s.inPerImage());
    w = RandomTensors.gaussian(rng, max[1] * ldw);
    y = RandomTensors.gaussian(rng, s.n() * s.outPerImage());
    dx = new float[x.length];
    dw = new float[w.length];
  }

  /** y = conv(x, w). */
  @Benchmark
  public float[] forward() {
    kernels.conv2dForward(s, x, 0, w, 0, ldw, y, 0);
    return y;
  }

  /** dx += gradient to the input (y holds the output gradient). */
  @Benchmark
  public float[] backwardData() {
    kernels.conv2dBackwardData(s, y, 0, w, 0, ldw, dx, 0);
    return dx;
  }

  /** dw += gradient to the weights (y holds the output gradient). */
  @Benchmark
  public float[] backwardWeights() {
    kernels.conv2dBackwardWeights(s, x, 0, y, 0, dw, 0, ldw);
    return dw;
  }
}
