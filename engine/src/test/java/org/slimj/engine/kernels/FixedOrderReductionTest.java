package org.slimj.engine.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * Float sums of the vector backend add in one fixed order, bit-identical to a scalar reference that
 * spells that order out, on every call: the loops run long enough for the code to move from the
 * interpreter through C1 to C2 ({@code reduceLanes(ADD)} adds in different orders there, which made
 * training depend on JIT timing). Data mixes magnitudes so that any other order changes the bits.
 */
class FixedOrderReductionTest {
  private static final int L = VectorKernels.SPECIES.length();
  /** Enough calls for C2 to compile the reductions while the loop runs. */
  private static final int CALLS = 60_000;

  private static float[] mixedMagnitudes(SplittableRandom rng, int n) {
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      x[i] = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-4, 5)));
    }
    return x;
  }

  @Test
  void laneSumMatchesTheScalarTreeInEveryTier() {
    long seed = 81;
    SplittableRandom rng = new SplittableRandom(seed);
    float[][] cases = new float[64][];
    for (int c = 0; c < cases.length; c++) {
      cases[c] = mixedMagnitudes(rng, L);
    }
    for (int call = 0; call < CALLS; call++) {
      float[] lanes = cases[call % cases.length];
      float got = LaneSum.of(FloatVector.fromArray(VectorKernels.SPECIES, lanes, 0));
      float want = LaneSum.reference(lanes.clone());
      assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(got),
          "lane sum of case " + call % cases.length + " at call " + call + " (seed " + seed + ", " + L + " lanes)");
    }
  }

  /** The order of {@link VectorReductions#sum}: two lane accumulators per block, the fixed tree, the tail, blocks in double. */
  private static double referenceSum(float[] x, int off, int n) {
    double total = 0;
    for (int b = 0; b < n; b += VectorReductions.BLOCK) {
      int len = Math.min(VectorReductions.BLOCK, n - b);
      float[] s0 = new float[L];
      float[] s1 = new float[L];
      int i = 0;
      for (; i + 2 * L <= len; i += 2 * L) {
        for (int j = 0; j < L; j++) {
          s0[j] += x[off + b + i + j];
          s1[j] += x[off + b + i + L + j];
        }
      }
      for (; i + L <= len; i += L) {
        for (int j = 0; j < L; j++) {
          s0[j] += x[off + b + i + j];
        }
      }
      for (int j = 0; j < L; j++) {
        s0[j] += s1[j];
      }
      float s = LaneSum.reference(s0);
      for (; i < len; i++) {
        s += x[off + b + i];
      }
      total += s;
    }
    return total;
  }

  @Test
  void vectorSumsMatchTheirFixedOrderScalarReferenceInEveryTier() {
    long seed = 82;
    SplittableRandom rng = new SplittableRandom(seed);
    float[] x = mixedMagnitudes(rng, 3000);
    int[] lengths = {1, L - 1, 2 * L + 3, 333, 1024, 2500};
    double[] want = new double[lengths.length];
    for (int c = 0; c < lengths.length; c++) {
      want[c] = referenceSum(x, 7, lengths[c]);
    }
    for (int call = 0; call < CALLS / 4; call++) {
      int c = call % lengths.length;
      double got = VectorReductions.sum(lengths[c], x, 7);
      assertEquals(Double.doubleToRawLongBits(want[c]), Double.doubleToRawLongBits(got),
          "sum of " + lengths[c] + " floats at call " + call + " (seed " + seed + ")");
    }
  }
}
