package org.slimj.bench;

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
import org.slimj.engine.tensor.Tensor;

/**
 * The reference layers of ../shared/perf/LAYERS.md through slimj's slimmable layers, at full and
 * half width (the half-width run slices the full weight), forward and forward + backward. {@link
 * JmhLayers} turns the results into the JSON of {@code ./slimj bench layers --json}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmFlags.ADD_MODULES, JvmFlags.VECTOR_MODULE, JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class LayerBench extends BackendParams {
  /** {@link ReferenceLayer#id()} of the layer. */
  @Param({"pw96_576", "dw576", "conv3_32", "pw32_192"})
  public String layer;

  /** Width fraction. */
  @Param({"1.0", "0.5"})
  public double frac;

  /** Batch size. */
  @Param({"64"})
  public int batch;

  private LayerPass forwardPass;
  private LayerPass trainingPass;

  /** Builds the layer, its input and both passes. */
  @Setup
  public void setup() {
    Kernels kernels = openKernels();
    ReferenceLayer l = ReferenceLayer.byKey(layer);
    forwardPass = new LayerPass(kernels, l, frac, batch, false, 7);
    trainingPass = new LayerPass(kernels, l, frac, batch, true, 7);
  }

  /** Forward in inference mode; returns the output. */
  @Benchmark
  public Tensor forward() {
    return forwardPass.run();
  }

  /** Forward and backward on a tape; returns the weight (its gradient holds the result). */
  @Benchmark
  public Tensor forwardBackward() {
    return trainingPass.run();
  }
}
