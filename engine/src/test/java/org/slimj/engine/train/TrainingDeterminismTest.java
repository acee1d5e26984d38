package org.slimj.engine.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slimj.engine.ForkedJvm;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;

/**
 * Same seed, backend and thread count give bit-identical weights, whatever the JIT did: twice in
 * this JVM (the first run meets colder code than the second), and in a forked JVM limited to C1,
 * where the Vector API runs its Java fallback instead of C2's intrinsics (float lane reductions
 * used to add in another order there, so results depended on JIT timing).
 */
class TrainingDeterminismTest {
  private static final long SEED = 91;
  private static final int STEPS = 1;
  private static final int BATCH = 2;
  private static final int SIZE = 8;

  @Test
  void twoRunsInOneJvmEndBitIdentical() {
    for (int threads : new int[] {1, 2}) {
      Kernels k = Backends.choose("vector", threads).kernels();
      String first = SandwichTrainingProbe.train(k, SEED, STEPS, BATCH, SIZE);
      String second = SandwichTrainingProbe.train(k, SEED, STEPS, BATCH, SIZE);
      assertEquals(first, second, "weights digest, vector backend, " + threads + " thread(s), seed " + SEED);
    }
  }

  @Test
  void aJvmWithoutC2EndsBitIdenticalToThisOne() throws Exception {
    String here = SandwichTrainingProbe.train(Backends.choose("vector", 2).kernels(), SEED, STEPS, BATCH, SIZE);
    ForkedJvm.Result c1 = ForkedJvm.run(List.of("-XX:TieredStopAtLevel=1", "-Xmx512m"), SandwichTrainingProbe.class,
        List.of("vector", "2", Long.toString(SEED), Integer.toString(STEPS), Integer.toString(BATCH),
            Integer.toString(SIZE)), 240);
    assertTrue(c1.ended() && c1.code() == 0, "forked C1-only run: " + c1);
    assertTrue(c1.output().contains("digest=" + here),
        "a C1-only JVM must end with the same weights (seed " + SEED + "): here " + here + ", forked: " + c1.output());
  }
}
