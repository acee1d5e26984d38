package org.slimj.search.ows;

/**
 * AOWS's sampling temperature (Berman et al., CVPR 2020, §3.3; code defaults): uniform sampling
 * during {@code warmup} epochs, then a log-linear piecewise decay that AOWS runs over 15 epochs
 * after a 5-epoch warm-up (1.0 at the first adaptive epoch, 0.01 one epoch later, 0.001 five
 * epochs later, 5e-4 at the end). Here the decay is scaled to the run: with {@code u = (epoch -
 * warmup) / (epochs - warmup)} the knots are u = 0, 1/15, 5/15 and 1, and the temperature of an
 * epoch is the value at its start.
 *
 * @param epochs epochs of the run
 * @param warmup epochs of uniform sampling before the adaptive sampling starts (less than epochs)
 */
public record AowsTemperature(int epochs, int warmup) {
  private static final double[] KNOT_U = {0, 1.0 / 15, 5.0 / 15, 1};
  private static final double[] KNOT_T = {1.0, 0.01, 0.001, 5e-4};

  public AowsTemperature {
    if (epochs < 1 || warmup < 0 || warmup >= epochs) {
      throw new IllegalArgumentException("AOWS schedule: expected 0 <= warm-up epochs < epochs, found warm-up " + warmup
          + " of " + epochs + " epochs");
    }
  }

  /** Whether epoch {@code epoch} samples adaptively (after the warm-up). */
  public boolean adaptive(int epoch) {
    return epoch >= warmup;
  }

  /** The temperature of epoch {@code epoch} (1.0 during the warm-up, where it is not used). */
  public double at(int epoch) {
    if (epoch <= warmup) {
      return 1.0;
    }
    double u = Math.min(1.0, (double) (epoch - warmup) / (epochs - warmup));
    for (int i = 1; i < KNOT_U.length; i++) {
      if (u <= KNOT_U[i]) {
        double f = (u - KNOT_U[i - 1]) / (KNOT_U[i] - KNOT_U[i - 1]);
        return Math.exp((1 - f) * Math.log(KNOT_T[i - 1]) + f * Math.log(KNOT_T[i]));
      }
    }
    return KNOT_T[KNOT_T.length - 1];
  }
}
