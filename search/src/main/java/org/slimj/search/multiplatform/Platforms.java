package org.slimj.search.multiplatform;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.cost.LayerwiseCost;

/**
 * Platforms from command-line specs {@code NAME=COST@BUDGET[:SHARE]}: COST a cost model name
 * ({@code macs}, {@code latency:TABLE}, ...), BUDGET in the cost's unit or, with a trailing
 * {@code %}, a percentage of the largest configuration's cost; SHARE optional. Shares are either
 * given for every platform (then normalised to sum to 1) or for none: then drawn from a {@link
 * ChineseRestaurantProcess} when a concentration is given, else equal.
 */
public final class Platforms {
  /** Customers seated when shares come from the Chinese restaurant process. */
  public static final int CRP_CUSTOMERS = 1000;

  private Platforms() {}

  /**
   * Parses {@code specs}.
   *
   * @param specs one spec per platform
   * @param space the model's channel space (for percentage budgets)
   * @param costs resolves a cost name to a per-layer cost
   * @param crpAlpha concentration of the Chinese restaurant process, or null
   * @param crpSeed seed of the Chinese restaurant process
   */
  public static List<Platform> parse(List<String> specs, ChannelSpace space, Function<String, LayerwiseCost> costs,
      Double crpAlpha, long crpSeed) {
    if (specs.isEmpty()) {
      throw new IllegalArgumentException("--platform: expected at least one NAME=COST@BUDGET[:SHARE]");
    }
    List<String> names = new ArrayList<>();
    List<LayerwiseCost> cs = new ArrayList<>();
    List<Double> budgets = new ArrayList<>();
    List<Double> shares = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      int at = spec.lastIndexOf('@');
      if (eq <= 0 || at < eq + 2 || at == spec.length() - 1) {
        throw new IllegalArgumentException("--platform: expected NAME=COST@BUDGET[:SHARE], found '" + spec + "'");
      }
      String name = spec.substring(0, eq).trim();
      if (!seen.add(name)) {
        throw new IllegalArgumentException("--platform: name '" + name + "' given twice");
      }
      LayerwiseCost cost = costs.apply(spec.substring(eq + 1, at).trim());
      String rest = spec.substring(at + 1).trim();
      int colon = rest.indexOf(':');
      String b = colon >= 0 ? rest.substring(0, colon).trim() : rest;
      double budget;
      try {
        if (b.endsWith("%")) {
          budget = Double.parseDouble(b.substring(0, b.length() - 1)) / 100 * cost.cost(space, space.max());
        } else {
          budget = Double.parseDouble(b);
        }
        shares.add(colon >= 0 ? Double.parseDouble(rest.substring(colon + 1).trim()) : null);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--platform '" + spec + "': budget and share must be numbers (budget may end"
            + " with %)", e);
      }
      names.add(name);
      cs.add(cost);
      budgets.add(budget);
    }
    long given = shares.stream().filter(s -> s != null).count();
    double[] w = new double[specs.size()];
    if (given == specs.size()) {
      if (crpAlpha != null) {
        throw new IllegalArgumentException("--crp-alpha: the shares are given in every --platform; give one or the other");
      }
      double sum = 0;
      for (int i = 0; i < w.length; i++) {
        w[i] = shares.get(i);
        if (!(w[i] >= 0) || Double.isInfinite(w[i])) {
          throw new IllegalArgumentException("--platform " + names.get(i) + ": share must be >= 0, found " + w[i]);
        }
        sum += w[i];
      }
      if (!(sum > 0)) {
        throw new IllegalArgumentException("--platform: the shares sum to 0");
      }
      for (int i = 0; i < w.length; i++) {
        w[i] /= sum;
      }
    } else if (given > 0) {
      throw new IllegalArgumentException("--platform: give a share to every platform or to none (" + given + " of "
          + specs.size() + " have one)");
    } else if (crpAlpha != null) {
      w = ChineseRestaurantProcess.weights(specs.size(), crpAlpha, CRP_CUSTOMERS, new SplittableRandom(crpSeed));
    } else {
      java.util.Arrays.fill(w, 1.0 / w.length);
    }
    List<Platform> out = new ArrayList<>();
    for (int i = 0; i < w.length; i++) {
      out.add(new Platform(names.get(i), cs.get(i), budgets.get(i), w[i]));
    }
    return out;
  }
}
