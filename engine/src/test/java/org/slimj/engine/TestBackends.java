package org.slimj.engine;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.ScalarKernels;
import org.slimj.engine.tensor.Tensor;

/**
 * The backends every backend-independent test runs on: the scalar reference and the Vector API
 * backend with 2 threads (building the latter fails the test if it cannot run here).
 */
public final class TestBackends {
  private static final Kernels SCALAR = new ScalarKernels();
  private static final Kernels VECTOR = Backends.choose("vector", 2).kernels();

  private TestBackends() {}

  /** Source for {@code @MethodSource("org.slimj.engine.TestBackends#all")}, named by backend. */
  public static Stream<Named<Kernels>> all() {
    return Stream.of(Named.of(SCALAR.name(), SCALAR), Named.of(VECTOR.name(), VECTOR));
  }

  /** The backends as plain values, for building argument cross products. */
  public static Stream<Kernels> plain() {
    return Stream.of(SCALAR, VECTOR);
  }

  /** The scalar reference. */
  public static Kernels scalar() {
    return SCALAR;
  }

  /** Fills {@code t}'s data with N(0, 1) values from a seeded generator. */
  public static void randn(Tensor t, java.util.random.RandomGenerator rng) {
    for (int i = 0; i < t.size(); i++) {
      t.set(i, (float) rng.nextGaussian());
    }
  }
}
