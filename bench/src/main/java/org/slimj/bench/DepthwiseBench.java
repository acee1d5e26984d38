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
 * The depthwise convolution kernels: forward, backward to the input and backward to the weights.
 * {@code frac < 1} keeps the leading channels. Each call does 2·{@link ConvShape#depthwiseMacs()}
 * floating-point operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmFlags.ADD_MODULES, JvmFlags.VECTOR_MODULE, JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class DepthwiseBench extends BackendParams {
  /** See {@link ShapeParams#depthwise}: LAYERS.md's depthwise layer, MobileNet v2 shapes and an odd one. */
  @Param({"64x576@8k3s1", "64x144@32k3s2", "64x192@16k3s1", "8x37@13k3s1"})
  public String shape;

  /** Width fraction of the channels. */
  @Param({"1.0"})
  public double frac;

  private Kernels kernels;
  private ConvShape s;
  private float[] x;
  private float[] w;
  private float[] y;
  private float[] dx;
  private float[] dw;

  /** Builds the backend and random operands. */
  @Setup
  public void setup() {
    kernels = openKernels();
    s = ShapeParams.depthwise(shape, frac);
    SplittableRandom rng = new SplittableRandom(13);
    x = RandomTensors.gaussian(rng, s.n() * s.inPerImage());
    w = RandomTensors.gaussian(rng, s.cout() * s.kernelArea());
    y = RandomTensors.gaussian(rng, s.n() * s.outPerImage());
    dx = new float[x.length];
    dw = new float[w.length];
  }

  /** y = dwconv(x, w). */
  @Benchmark
  public float[] forward() {
    kernels.depthwiseForward(s, x, 0, w, 0, y, 0);
    return y;
  }

  /** dx += gradient to the input (y holds the output gradient). */
  @Benchmark
  public float[] backwardData() {
    kernels.depthwiseBackwardData(s, y, 0, w, 0, dx, 0);
    return dx;
  }

  /** dw += gradient to the weights (y holds the output gradient). */
  @Benchmark
  public float[] backwardWeights() {
    kernels.depthwiseBackwardWeights(s, x, 0, y, 0, dw, 0);
    return dw;
  }
}
