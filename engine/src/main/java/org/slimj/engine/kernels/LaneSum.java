package org.slimj.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The sum of a float vector's lanes in one fixed order, the same in interpreted and compiled code:
 * a pairwise tree that adds the upper half of the lanes onto the lower half until one lane is left
 * (for 8 lanes: ((v0+v4)+(v2+v6)) + ((v1+v5)+(v3+v7))). {@code reduceLanes(ADD)} on floats may add in
 * any order, and C2 and the interpreter do differ, which made training results depend on JIT timing.
 * Lane-wise additions are exact IEEE operations, so this tree gives the same bits everywhere.
 */
final class LaneSum {
  private static final VectorSpecies<Float> S = VectorKernels.SPECIES;

  /** Rotations by L/2, L/4, ..., 1 lanes. */
  private static final VectorShuffle<Float>[] ROTATIONS = rotations();

  private LaneSum() {}

  @SuppressWarnings("unchecked")
  private static VectorShuffle<Float>[] rotations() {
    int steps = Integer.numberOfTrailingZeros(S.length());
    VectorShuffle<Float>[] r = new VectorShuffle[steps];
    for (int k = 0; k < steps; k++) {
      r[k] = VectorShuffle.iota(S, S.length() >> (k + 1), 1, true);
    }
    return r;
  }

  /** The lanes of {@code v} added in the fixed tree order of {@link #reference}. */
  static float of(FloatVector v) {
    for (VectorShuffle<Float> rot : ROTATIONS) {
      v = v.add(v.rearrange(rot));
    }
    return v.lane(0);
  }

  /**
   * The scalar definition of {@link #of}: {@code lanes} (a power of two count, modified in place)
   * folded half onto half until one value is left.
   */
  static float reference(float[] lanes) {
    for (int half = lanes.length >> 1; half >= 1; half >>= 1) {
      for (int i = 0; i < half; i++) {
        lanes[i] = lanes[i] + lanes[i + half];
      }
    }
    return lanes[0];
  }
}
