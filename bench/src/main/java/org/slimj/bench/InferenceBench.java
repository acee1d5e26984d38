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
import org.slimj.engine.tensor.Tensor;

/**
 * Inference of MobileNet v2 (CIFAR-sized input, 10 classes) at one uniform width per run, batch 1
 * by default: the counterpart of bench_torch.py's {@code mbv2 → infer_b1}. Batch norm uses
 * statistics calibrated once on random images during setup (see {@link WidthInference}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 2, jvmArgsAppend = {JvmFlags.ADD_MODULES, JvmFlags.VECTOR_MODULE, JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class InferenceBench extends BackendParams {
  /** Architecture. */
  @Param({"mobilenetv2"})
  public String model;

  /** Uniform width. */
  @Param({"0.35", "0.5", "0.75", "1.0"})
  public double width;

  /** Images per call. */
  @Param({"1"})
  public int batch;

  /** Image height = width. */
  @Param({"32"})
  public int input;

  private WidthInference inference;

  /** Builds the model and calibrates its batch norm at {@link #width}. */
  @Setup
  public void setup() {
    inference = new WidthInference(openKernels(), model, input, 3, 10, batch, new double[] {width}, 9);
  }

  /** Logits of one batch. */
  @Benchmark
  public Tensor infer() {
    return inference.run(0);
  }
}
