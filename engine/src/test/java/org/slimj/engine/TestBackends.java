package org.slimj.engine;

import java.util.List;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.ScalarKernels;

/** The backends every backend-independent test runs on. */
public final class TestBackends {
  private TestBackends() {}

  /** The scalar reference and the Vector API backend with 2 threads (fails if the latter cannot run). */
  public static List<Kernels> all() {
    return List.of(new ScalarKernels(), Backends.choose("vector", 2).kernels());
  }

  /** Fills {@code t}'s data with N(0, 1) values from a seeded generator. */
  public static void randn(org.slimj.engine.tensor.Tensor t, java.util.random.RandomGenerator rng) {
    for (int i = 0; i < t.size(); i++) {
      t.set(i, (float) rng.nextGaussian());
    }
  }
}
