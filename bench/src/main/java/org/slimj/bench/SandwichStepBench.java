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
import org.slimj.engine.train.StepResult;

/**
 * One slimmable training step (see {@link SandwichStep}): by default MobileNet v2 on CIFAR-sized
 * images (3×32×32, 10 classes), batch 64, widths 1.0, 0.25, 0.75, 0.5 with inplace distillation,
 * one SGD step: the counterpart of bench_torch.py's {@code sandwich_fixed_1_.25_.75_.5}. Images per
 * second = batch / time. A step takes seconds, hence long iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(value = 1, jvmArgsAppend = {JvmFlags.ADD_MODULES, JvmFlags.VECTOR_MODULE, JvmFlags.NATIVE_ACCESS, JvmFlags.UNSAFE_ALLOW})
public class SandwichStepBench extends BackendParams {
  /** Architecture. */
  @Param({"mobilenetv2"})
  public String model;

  /** {@code us} (universal BN, distillation) or {@code sbn} (switchable BN, labels). */
  @Param({"us"})
  public String mode;

  /** Widths of one step, in order, separated by slashes (JMH splits values on commas). */
  @Param({"1.0/0.25/0.75/0.5"})
  public String widths;

  /** Images per step. */
  @Param({"64"})
  public int batch;

  /** Image height = width. */
  @Param({"32"})
  public int input;

  private SandwichStep step;

  /** Builds the model, optimizer and batch. */
  @Setup
  public void setup() {
    step = new SandwichStep(openKernels(),
        new SandwichStep.Settings(model, mode, batch, input, 3, 10, WidthList.parse(widths, "widths"), 5));
  }

  /** One training step. */
  @Benchmark
  public StepResult step() {
    return step.run();
  }
}
