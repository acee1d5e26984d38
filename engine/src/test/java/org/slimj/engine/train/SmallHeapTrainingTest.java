package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slimj.engine.ForkedJvm;

/**
 * A step of US training of MobileNet v2 at batch 128 (sandwich of 4 widths, inplace distillation)
 * fits in a 2 GB heap: the narrower widths reuse the widest one's buffers, gradients and activations
 * go back to the pool during the backward pass. The input is 16x16 (the Fashion-MNIST workload is
 * 28x28) to keep the test short.
 */
class SmallHeapTrainingTest {
  @Test
  void aUsStepAtBatch128FitsInA2GbHeap() throws Exception {
    ForkedJvm.Result r = ForkedJvm.run(List.of("-Xmx2g", "-XX:+UseParallelGC"), SandwichTrainingProbe.class,
        List.of("vector", "2", "17", "1", "128", "16"), 300);
    assertTrue(r.ended() && r.code() == 0 && r.output().contains("digest="),
        "a step at batch 128 under -Xmx2g (seed 17): " + r);
  }
}
