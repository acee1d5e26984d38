package org.slimj.engine.ops;

import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.ScalarKernels;

/** The kernel backends every op test runs on: the scalar reference and the vector backend. */
final class TestBackends {
  private static final Kernels SCALAR = new ScalarKernels();
  private static final Kernels VECTOR = Backends.choose("vector", 2).kernels();

  private TestBackends() {}

  /** Source for {@code @MethodSource("org.slimj.engine.ops.TestBackends#all")}. */
  static Stream<Named<Kernels>> all() {
    return Stream.of(Named.of(SCALAR.name(), SCALAR), Named.of(VECTOR.name(), VECTOR));
  }

  /** The backends as a list of plain values, for building argument cross products. */
  static Stream<Kernels> plain() {
    return Stream.of(SCALAR, VECTOR);
  }

  /** The scalar reference. */
  static Kernels scalar() {
    return SCALAR;
  }
}
