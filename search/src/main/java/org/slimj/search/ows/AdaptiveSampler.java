package org.slimj.search.ows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.train.GroupSampler;
import org.slimj.engine.train.OwsCredits;
import org.slimj.search.cost.LayerwiseCost;

/**
 * Adaptive sampling of training configurations from the OWS credits (AOWS, Berman et al., CVPR
 * 2020, §3.3) for one or several targets (Wang &amp; Blaschko, NLDL 2022; ALGORITHMS.md §6). At the
 * start of each adaptive epoch, for each target: the OWS problem of the current credits under its
 * cost, with costs as fractions of the largest configuration's; its multiplier gamma from the
 * budgeted search ({@link LagrangianBisection}, 12 steps); then per-slot marginals of
 * {@code p(c) ∝ exp((ΣU − gamma·T) / tau)} with tau from {@link AowsTemperature}. Each slot's group
 * is drawn independently from its marginal, as AOWS does ({@link Draw#MARGINALS}), or the whole
 * configuration is drawn exactly from p(c) ({@link Draw#JOINT}): independent per-slot draws lose
 * the correlations the pairwise costs create, so they spread around the budget even at low
 * temperature, where joint draws concentrate on it. How targets combine ({@link Mix}):
 *
 * <ul>
 *   <li>{@code SINGLE}: one target (AOWS);
 *   <li>{@code MIXTURE}: per configuration, a target drawn with probability its share, then its
 *       marginals (§6 b);
 *   <li>{@code EQUAL}: as MIXTURE with equal shares (§6 c);
 *   <li>{@code GIBBS}: one distribution whose energy is the share-weighted sum of the targets'
 *       energies, {@code ΣU − Σ_p share_p·gamma_p·T_p} (§6 d).
 * </ul>
 *
 * During the warm-up epochs every slot's group is uniform. The distribution depends only on the
 * epoch and the credits, so a resumed run samples as the uninterrupted one.
 */
public final class AdaptiveSampler implements GroupSampler {
  /** How several targets are combined. */
  public enum Mix {
    /** One target. */
    SINGLE,
    /** A target per configuration drawn by share. */
    MIXTURE,
    /** A target per configuration drawn uniformly. */
    EQUAL,
    /** One Gibbs distribution with the share-weighted sum of energies. */
    GIBBS
  }

  /** How a configuration is drawn from the Gibbs distribution. */
  public enum Draw {
    /** Each slot independently from its marginal (AOWS). */
    MARGINALS,
    /** The whole configuration exactly from the joint distribution. */
    JOINT
  }

  /**
   * A cost budget the sampling aims at.
   *
   * @param name name for logs
   * @param cost the per-layer cost
   * @param budget budget in the cost's unit
   * @param share weight of the target (for MIXTURE and GIBBS)
   */
  public record Target(String name, LayerwiseCost cost, double budget, double share) {
    public Target {
      if (!(budget > 0) || !(share >= 0) || Double.isInfinite(budget)) {
        throw new IllegalArgumentException("target " + name + ": expected a positive budget and a share >= 0, found "
            + budget + ", " + share);
      }
    }
  }

  private final ChannelSpace space;
  private final int groups;
  private final int minGroup;
  private final OwsCredits credits;
  private final List<Target> targets;
  private final double[] full;
  private final Mix mix;
  private final AowsTemperature schedule;
  private final Draw draw;
  private double[][][] marginals;
  private List<Function<RandomGenerator, int[]>> joint;
  private double[] gammas;
  private double temperature;
  private int epoch = -1;

  /**
   * @param space the model's channel space
   * @param groups channel groups per slot
   * @param minGroup smallest group drawn
   * @param credits the credits the training collects (read, never written)
   * @param targets at least one target (exactly one for SINGLE)
   * @param mix how targets combine
   * @param schedule warm-up and temperature
   * @param draw per-slot marginals or exact joint samples
   */
  public AdaptiveSampler(ChannelSpace space, int groups, int minGroup, OwsCredits credits, List<Target> targets, Mix mix,
      AowsTemperature schedule, Draw draw) {
    if (targets.isEmpty() || (mix == Mix.SINGLE && targets.size() != 1)) {
      throw new IllegalArgumentException("adaptive sampling: " + mix + " needs " + (mix == Mix.SINGLE ? "one target"
          : "at least one target") + ", found " + targets.size());
    }
    if (credits.slots() != space.slots().size() || credits.groups() != groups) {
      throw new IllegalArgumentException("adaptive sampling: credits of " + credits.slots() + " slots x "
          + credits.groups() + " groups, expected " + space.slots().size() + " x " + groups);
    }
    double shares = targets.stream().mapToDouble(Target::share).sum();
    if ((mix == Mix.MIXTURE || mix == Mix.GIBBS) && !(shares > 0)) {
      throw new IllegalArgumentException("adaptive sampling: the targets' shares sum to " + shares + "; expected > 0");
    }
    this.space = space;
    this.groups = groups;
    this.minGroup = minGroup;
    this.credits = credits;
    this.targets = List.copyOf(targets);
    this.mix = mix;
    this.schedule = schedule;
    this.draw = draw;
    this.full = new double[targets.size()];
    double[][] zero = new double[space.slots().size()][groups];
    for (int i = 0; i < full.length; i++) {
      Target t = targets.get(i);
      full[i] = t.cost().cost(space, space.max());
      SpaceProblem p = SpaceProblem.ofGroups(space, groups, minGroup, zero, t.cost());
      double least = p.cost(p.cheapest()) + t.cost().fixedCost(space);
      if (t.budget() < least) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "target %s: budget %.6g %s is below the cheapest"
            + " configuration of groups %d..%d (%.6g %s)", t.name(), t.budget(), t.cost().unit(), minGroup, groups,
            least, t.cost().unit()));
      }
    }
  }

  @Override
  public void beginEpoch(int e) {
    epoch = e;
    marginals = null;
    joint = null;
    gammas = null;
    if (!schedule.adaptive(e)) {
      return;
    }
    temperature = schedule.at(e);
    double[][] u = credits.values();
    gammas = new double[targets.size()];
    SpaceProblem[] ps = new SpaceProblem[targets.size()];
    for (int i = 0; i < ps.length; i++) {
      ps[i] = SpaceProblem.ofGroups(space, groups, minGroup, u, targets.get(i).cost()).scaledCost(1 / full[i]);
      Target t = targets.get(i);
      gammas[i] = LagrangianBisection.solve(ps[i], (t.budget() - t.cost().fixedCost(space)) / full[i], 12).gamma();
    }
    double[] gs = gammas.clone();
    if (mix == Mix.GIBBS) {
      double shares = targets.stream().mapToDouble(Target::share).sum();
      ps = new SpaceProblem[] {SpaceProblem.ofGroups(space, groups, minGroup, u, combined(shares))};
      gs = new double[] {1.0};
    }
    marginals = new double[ps.length][][];
    joint = new ArrayList<>();
    for (int i = 0; i < ps.length; i++) {
      if (draw == Draw.JOINT) {
        joint.add(ps[i].jointSampler(gs[i], temperature));
      } else {
        marginals[i] = ps[i].marginals(gs[i], temperature);
      }
    }
  }

  /** The cost Σ_p share_p·gamma_p·T_p / full_p (shares normalised), for the Gibbs mix. */
  private LayerwiseCost combined(double shares) {
    double[] w = new double[targets.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = targets.get(i).share() / shares * gammas[i] / full[i];
    }
    List<Target> ts = targets;
    return new LayerwiseCost() {
      @Override
      public String name() {
        return "gibbs";
      }

      @Override
      public String unit() {
        return "credit";
      }

      @Override
      public double layerCost(LayerSpec layer, int cin, int cout) {
        double s = 0;
        for (int i = 0; i < w.length; i++) {
          s += w[i] * ts.get(i).cost().layerCost(layer, cin, cout);
        }
        return s;
      }
    };
  }

  @Override
  public int[] sample(RandomGenerator rng) {
    return drawn(rng).groups();
  }

  /**
   * A configuration with its probabilities: uniform during the warm-up, the chosen target's
   * marginals when slots are drawn independently, none for joint draws (correlated slots).
   */
  @Override
  public Drawn drawn(RandomGenerator rng) {
    int n = space.slots().size();
    int[] g = new int[n];
    double[][] p = new double[n][groups];
    if (gammas == null) {
      for (int s = 0; s < n; s++) {
        g[s] = minGroup + rng.nextInt(groups - minGroup + 1);
        Arrays.fill(p[s], minGroup - 1, groups, 1.0 / (groups - minGroup + 1));
      }
      return new Drawn(g, p);
    }
    int t = pickTarget(rng);
    if (draw == Draw.JOINT) {
      int[] c = joint.get(t).apply(rng);
      for (int s = 0; s < n; s++) {
        g[s] = minGroup + c[s];
      }
      return new Drawn(g, null);
    }
    double[][] m = marginals[t];
    for (int s = 0; s < n; s++) {
      g[s] = minGroup + draw(m[s], rng.nextDouble());
      System.arraycopy(m[s], 0, p[s], minGroup - 1, m[s].length);
    }
    return new Drawn(g, p);
  }

  private int pickTarget(RandomGenerator rng) {
    if (targets.size() == 1 || mix == Mix.GIBBS) {
      return 0;
    }
    double[] w = new double[targets.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = mix == Mix.EQUAL ? 1 : targets.get(i).share();
    }
    double total = 0;
    for (double x : w) {
      total += x;
    }
    return draw(w, rng.nextDouble(), total);
  }

  private static int draw(double[] p, double u) {
    return draw(p, u, 1.0);
  }

  /** Index i with cumulative mass of p up to i exceeding u·total (the last index if rounding leaves none). */
  private static int draw(double[] p, double u, double total) {
    double acc = 0;
    double target = u * total;
    for (int i = 0; i < p.length; i++) {
      acc += p[i];
      if (target < acc) {
        return i;
      }
    }
    return p.length - 1;
  }

  /** The multipliers found at the current epoch (null during the warm-up). */
  public double[] gammas() {
    return gammas == null ? null : gammas.clone();
  }

  @Override
  public String describe() {
    if (gammas == null) {
      return String.format(Locale.ROOT, "epoch %d: uniform sampling (AOWS warm-up)", epoch + 1);
    }
    List<String> gs = new ArrayList<>();
    for (int i = 0; i < gammas.length; i++) {
      gs.add(String.format(Locale.ROOT, "%s gamma %.4g", targets.get(i).name(), gammas[i]));
    }
    return String.format(Locale.ROOT, "epoch %d: %s sampling (%s) at temperature %.4g; %s", epoch + 1,
        mix == Mix.SINGLE ? "aows" : mix.name().toLowerCase(Locale.ROOT), draw.name().toLowerCase(Locale.ROOT),
        temperature, String.join(", ", gs));
  }
}
