package org.slimj.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/**
 * Finite-difference gradient checker for ops.
 *
 * <p>The function under test builds an output tensor from captured inputs with ops. The checked
 * scalar is {@code L = sum(output * R)} for fixed random weights {@code R} (seeded): the analytic
 * gradients come from {@link Tape#backward(Tensor, float[])} seeded with {@code R}, the numeric
 * ones from central differences {@code (L(v + h) - L(v - h)) / (2h)} on every element of every
 * input that requires a gradient, with L accumulated in double. Each evaluation gets a fresh random
 * generator from the same seed, so stochastic ops (dropout) draw the same mask every time.
 *
 * <p>Also checked: inputs that do not require a gradient get no gradient buffer, and the output of
 * the recorded pass equals the output of a pass without a tape.
 */
final class GradCheck {
  /** Builds the output from the captured inputs under {@code ctx}. */
  @FunctionalInterface
  interface Forward {
    Tensor apply(Context ctx);
  }

  /**
   * Settings of one check.
   *
   * @param training the mode flag of the contexts
   * @param h finite-difference step
   * @param tol tolerance: {@code |a - n| <= tol * max(1, |a|, |n|)}
   */
  record Options(boolean training, double h, double tol) {
    static final Options DEFAULT = new Options(true, 1e-2, 2e-3);

    Options withTraining(boolean t) {
      return new Options(t, h, tol);
    }
  }

  /** Analytic gradients found by a check, per input tensor. */
  static final class Result {
    private final Map<Tensor, float[]> grads = new IdentityHashMap<>();
    private double worst;
    private int checked;

    /** The analytic gradient of {@code t} (a copy), or null if {@code t} required none. */
    float[] grad(Tensor t) {
      return grads.get(t);
    }

    /** Largest scaled error {@code |a - n| / max(1, |a|, |n|)} seen. */
    double worstError() {
      return worst;
    }

    /** Number of gradient entries compared. */
    int checked() {
      return checked;
    }
  }

  private GradCheck() {}

  static Result check(String label, Kernels kernels, long seed, Forward f, Tensor... inputs) {
    return check(label, kernels, seed, Options.DEFAULT, f, inputs);
  }

  static Result check(
      String label, Kernels kernels, long seed, Options o, Forward f, Tensor... inputs) {
    String where = label + " [backend " + kernels.name() + ", seed " + seed + "]";
    for (Tensor t : inputs) {
      t.clearGrad();
    }
    Tape tape = new Tape();
    Tensor out = f.apply(new Context(kernels, tape, o.training(), rng(seed)));
    float[] r = TestData.uniform(seed * 31 + 17, out.size(), -1f, 1f);
    double recordedLoss = weighted(out, r);
    tape.backward(out, r);

    Result result = new Result();
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      if (t.requiresGrad()) {
        float[] g = t.gradOrNull();
        result.grads.put(t, g == null ? new float[t.size()] : g.clone());
      } else {
        assertNull(
            t.gradOrNull(),
            where
                + ": input "
                + i
                + " "
                + Arrays.toString(t.shape())
                + " does not require a gradient but got a gradient buffer");
      }
    }

    double plainLoss = loss(kernels, seed, o, f, r);
    assertEquals(
        recordedLoss,
        plainLoss,
        0.0,
        where + ": output with a tape differs from output without one");

    List<String> failures = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      Tensor t = inputs[i];
      if (!t.requiresGrad()) {
        continue;
      }
      float[] a = result.grads.get(t);
      for (int j = 0; j < t.size(); j++) {
        float orig = t.get(j);
        float up = (float) (orig + o.h());
        float down = (float) (orig - o.h());
        t.set(j, up);
        double lp = loss(kernels, seed, o, f, r);
        t.set(j, down);
        double lm = loss(kernels, seed, o, f, r);
        t.set(j, orig);
        double numeric = (lp - lm) / ((double) up - down);
        double analytic = a[j];
        double err =
            Math.abs(analytic - numeric)
                / Math.max(1, Math.max(Math.abs(analytic), Math.abs(numeric)));
        result.checked++;
        result.worst = Math.max(result.worst, err);
        if (!(err <= o.tol())) {
          failures.add(
              "input "
                  + i
                  + " shape "
                  + Arrays.toString(t.shape())
                  + " index "
                  + j
                  + " "
                  + Arrays.toString(unravel(j, t.shape()))
                  + ": analytic "
                  + analytic
                  + ", numeric "
                  + numeric);
        }
      }
    }
    if (!failures.isEmpty()) {
      fail(
          where
              + ": "
              + failures.size()
              + " of "
              + result.checked
              + " gradient entries differ from central differences (h "
              + o.h()
              + ", tol "
              + o.tol()
              + "); first: "
              + String.join("; ", failures.subList(0, Math.min(5, failures.size()))));
    }
    assertTrue(result.checked > 0, where + ": no input requires a gradient, nothing was checked");
    return result;
  }

  /**
   * Asserts that every entry of {@code grad} (laid out as {@code shape}) outside the box {@code
   * [lo, hi)} is exactly zero, and that there is at least one such entry.
   */
  static void assertZeroOutside(String label, float[] grad, int[] shape, int[] lo, int[] hi) {
    int outside = 0;
    for (int j = 0; j < grad.length; j++) {
      int[] idx = unravel(j, shape);
      boolean inside = true;
      for (int d = 0; d < shape.length; d++) {
        inside &= idx[d] >= lo[d] && idx[d] < hi[d];
      }
      if (!inside) {
        outside++;
        if (grad[j] != 0f) {
          fail(
              label
                  + ": gradient outside the active box "
                  + Arrays.toString(lo)
                  + ".."
                  + Arrays.toString(hi)
                  + " of shape "
                  + Arrays.toString(shape)
                  + " at index "
                  + Arrays.toString(idx)
                  + " is "
                  + grad[j]
                  + ", expected exactly 0");
        }
      }
    }
    assertTrue(outside > 0, label + ": the box covers the whole tensor; nothing outside to check");
  }

  /** The multi-index of flat index {@code j} in a row-major tensor of {@code shape}. */
  static int[] unravel(int j, int[] shape) {
    int[] idx = new int[shape.length];
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = j % shape[d];
      j /= shape[d];
    }
    return idx;
  }

  private static double loss(Kernels kernels, long seed, Options o, Forward f, float[] r) {
    Tensor out = f.apply(new Context(kernels, null, o.training(), rng(seed)));
    if (out.size() != r.length) {
      throw new IllegalStateException("output size changed between evaluations: " + out);
    }
    return weighted(out, r);
  }

  private static double weighted(Tensor out, float[] r) {
    double s = 0;
    for (int i = 0; i < r.length; i++) {
      s += (double) out.get(i) * r[i];
    }
    return s;
  }

  private static SplittableRandom rng(long seed) {
    return new SplittableRandom(seed ^ 0x5DEECE66DL);
  }
}
