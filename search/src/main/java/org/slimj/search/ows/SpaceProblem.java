package org.slimj.search.ows;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.space.Slot;
import org.slimj.search.cost.LayerwiseCost;

/**
 * OWS's objective over a model's whole channel space (AOWS, Berman et al., CVPR 2020, §3): one
 * variable per {@link Slot}, choosing among candidate channel counts; a score per slot and choice
 * (the loss credits, higher is better) and a {@link LayerwiseCost} whose every layer is a term over
 * its (input slot, output slot): pairwise between two slots, unary when one side is fixed or the
 * layer is depthwise. For chain models this is AOWS's chain; residual ties make it a graph of small
 * treewidth, which {@link VariableElimination} solves exactly. Maximises {@code score - gamma·cost}
 * and gives the marginals of {@code p(c) ∝ exp((score - gamma·cost) / temperature)}.
 */
public final class SpaceProblem implements LagrangianBisection.Relaxation {
  private final ChannelSpace space;
  private final int[][] channels;
  private final double[][] score;
  private final double[][] unaryCost;
  private final Map<Long, double[][]> pairCost = new LinkedHashMap<>();
  private final double constantCost;
  private final int[] dims;

  /**
   * @param space the channel space
   * @param channels candidate channel counts per slot (each in [1, slot max])
   * @param score score per slot and candidate
   * @param cost the per-layer cost
   */
  public SpaceProblem(ChannelSpace space, int[][] channels, double[][] score, LayerwiseCost cost) {
    int n = space.slots().size();
    if (channels.length != n || score.length != n) {
      throw new IllegalArgumentException("expected candidates and scores for " + n + " slots, found " + channels.length
          + " and " + score.length);
    }
    this.space = space;
    this.channels = new int[n][];
    this.score = new double[n][];
    this.unaryCost = new double[n][];
    this.dims = new int[n];
    for (int s = 0; s < n; s++) {
      Slot slot = space.slots().get(s);
      if (channels[s].length == 0 || score[s].length != channels[s].length) {
        throw new IllegalArgumentException("slot " + s + " (" + slot.name() + "): expected at least one candidate and"
            + " one score per candidate, found " + channels[s].length + " candidates and " + score[s].length + " scores");
      }
      for (int c : channels[s]) {
        if (c < 1 || c > slot.max()) {
          throw new IllegalArgumentException("slot " + s + " (" + slot.name() + "): candidate " + c
              + " channels is outside [1, " + slot.max() + "]");
        }
      }
      for (double v : score[s]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException("slot " + s + " (" + slot.name() + "): scores must be finite, found " + v);
        }
      }
      this.channels[s] = channels[s].clone();
      this.score[s] = score[s].clone();
      this.unaryCost[s] = new double[channels[s].length];
      dims[s] = channels[s].length;
    }
    double constant = 0;
    for (LayerSpec l : space.layers()) {
      int in = l.inSlot();
      int out = l.kind() == LayerKind.DEPTHWISE ? in : l.outSlot();
      if (in < 0 && out < 0) {
        constant += term(cost, l, l.inFixed(), l.outFixed());
      } else if (in < 0 || out < 0 || in == out) {
        int s = in >= 0 ? in : out;
        for (int k = 0; k < dims[s]; k++) {
          int c = this.channels[s][k];
          unaryCost[s][k] += term(cost, l, in >= 0 ? c : l.inFixed(), out >= 0 ? c : l.outFixed());
        }
      } else {
        double[][] t = pairCost.computeIfAbsent(((long) in << 32) | out, key -> new double[dims[in]][dims[out]]);
        for (int a = 0; a < dims[in]; a++) {
          for (int b = 0; b < dims[out]; b++) {
            t[a][b] += term(cost, l, this.channels[in][a], this.channels[out][b]);
          }
        }
      }
    }
    this.constantCost = constant;
  }

  /**
   * The problem over channel groups {@code minGroup..groups} of every slot ({@link
   * Slot#groupChannels}), scored by {@code credits[slot][group - 1]}.
   */
  public static SpaceProblem ofGroups(ChannelSpace space, int groups, int minGroup, double[][] credits,
      LayerwiseCost cost) {
    if (groups < 1 || minGroup < 1 || minGroup > groups) {
      throw new IllegalArgumentException("expected 1 <= minGroup <= groups, found " + minGroup + ", " + groups);
    }
    int n = space.slots().size();
    if (credits.length != n) {
      throw new IllegalArgumentException("expected credits for " + n + " slots, found " + credits.length);
    }
    int[][] ch = new int[n][groups - minGroup + 1];
    double[][] sc = new double[n][groups - minGroup + 1];
    for (int s = 0; s < n; s++) {
      if (credits[s].length != groups) {
        throw new IllegalArgumentException("slot " + s + ": expected " + groups + " credits (one per group), found "
            + credits[s].length);
      }
      for (int g = minGroup; g <= groups; g++) {
        ch[s][g - minGroup] = space.slots().get(s).groupChannels(g, groups);
        sc[s][g - minGroup] = credits[s][g - 1];
      }
    }
    return new SpaceProblem(space, ch, sc, cost);
  }

  private SpaceProblem(SpaceProblem p, double costScale) {
    this.space = p.space;
    this.channels = p.channels;
    this.score = p.score;
    this.dims = p.dims;
    this.unaryCost = new double[p.unaryCost.length][];
    for (int s = 0; s < unaryCost.length; s++) {
      unaryCost[s] = p.unaryCost[s].clone();
      for (int k = 0; k < unaryCost[s].length; k++) {
        unaryCost[s][k] *= costScale;
      }
    }
    for (Map.Entry<Long, double[][]> e : p.pairCost.entrySet()) {
      double[][] t = new double[e.getValue().length][];
      for (int a = 0; a < t.length; a++) {
        t[a] = e.getValue()[a].clone();
        for (int b = 0; b < t[a].length; b++) {
          t[a][b] *= costScale;
        }
      }
      pairCost.put(e.getKey(), t);
    }
    this.constantCost = p.constantCost * costScale;
  }

  /**
   * This problem with every cost multiplied by {@code factor}. The searches use costs as fractions
   * of the largest configuration's, so that the multiplier's start (10) and bisection resolution
   * mean the same for MACs, parameters and milliseconds whatever the scale of the credits.
   */
  public SpaceProblem scaledCost(double factor) {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("cost scale must be finite and > 0, found " + factor);
    }
    return new SpaceProblem(this, factor);
  }

  /** The assignment with every slot at its last candidate (the largest group for {@link #ofGroups}). */
  public int[] last() {
    int[] c = new int[dims.length];
    for (int s = 0; s < c.length; s++) {
      c[s] = dims[s] - 1;
    }
    return c;
  }

  private static double term(LayerwiseCost cost, LayerSpec l, int cin, int cout) {
    double v = cost.layerCost(l, cin, cout);
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("cost " + cost.name() + " of layer " + l.name() + " at (" + cin + ", " + cout
          + ") is " + v + "; expected a finite number");
    }
    return v;
  }

  /** The channel space. */
  public ChannelSpace space() {
    return space;
  }

  /** Number of candidates of slot {@code s}. */
  public int choices(int s) {
    return dims[s];
  }

  /** Candidate channel counts of slot {@code s}. */
  public int[] channels(int s) {
    return channels[s].clone();
  }

  /** The configuration of an assignment (candidate index per slot). */
  public ChannelConfig config(int[] choices) {
    check(choices);
    int[] c = new int[choices.length];
    for (int s = 0; s < c.length; s++) {
      c[s] = channels[s][choices[s]];
    }
    return ChannelConfig.of(c);
  }

  @Override
  public double score(int[] choices) {
    check(choices);
    double v = 0;
    for (int s = 0; s < choices.length; s++) {
      v += score[s][choices[s]];
    }
    return v;
  }

  @Override
  public double cost(int[] choices) {
    check(choices);
    double v = constantCost;
    for (int s = 0; s < choices.length; s++) {
      v += unaryCost[s][choices[s]];
    }
    for (Map.Entry<Long, double[][]> e : pairCost.entrySet()) {
      int a = (int) (e.getKey() >>> 32);
      int b = (int) (long) e.getKey();
      v += e.getValue()[choices[a]][choices[b]];
    }
    return v;
  }

  @Override
  public int[] solve(double gamma) {
    checkGamma(gamma);
    return VariableElimination.maximize(dims, factors(gamma, 1.0, 1.0));
  }

  /** The assignment of least cost (ties to the better score). */
  public int[] cheapest() {
    return VariableElimination.maximize(dims, factors(1.0, 1e-12, 1.0));
  }

  /** {@code out[s][k]} = p(c_s = k) for {@code p(c) ∝ exp((score(c) - gamma·cost(c)) / temperature)}. */
  public double[][] marginals(double gamma, double temperature) {
    checkGamma(gamma);
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, found " + temperature);
    }
    return VariableElimination.marginals(dims, factors(gamma, 1.0 / temperature, 1.0 / temperature));
  }

  /**
   * A sampler of whole configurations from {@code p(c) ∝ exp((score(c) - gamma·cost(c)) /
   * temperature)}, exact (the joint, not independent per-slot marginals).
   */
  public Function<RandomGenerator, int[]> jointSampler(double gamma, double temperature) {
    checkGamma(gamma);
    if (!(temperature > 0) || Double.isInfinite(temperature)) {
      throw new IllegalArgumentException("temperature must be finite and > 0, found " + temperature);
    }
    VariableElimination.JointSampler js =
        VariableElimination.jointSampler(dims, factors(gamma, 1.0 / temperature, 1.0 / temperature));
    return js::sample;
  }

  /** Score of candidate {@code k} of slot {@code s}. */
  double scoreAt(int s, int k) {
    return score[s][k];
  }

  /** The cost terms over one slot: {@code [slot][candidate]} (a copy). */
  double[][] unaryCosts() {
    double[][] out = new double[unaryCost.length][];
    for (int s = 0; s < out.length; s++) {
      out[s] = unaryCost[s].clone();
    }
    return out;
  }

  /**
   * The cost terms over two slots, keyed by {@code (a << 32) | b} with {@code a} the input slot and
   * {@code b} the output slot, each {@code [choice of a][choice of b]} (copies).
   */
  Map<Long, double[][]> pairCosts() {
    Map<Long, double[][]> out = new LinkedHashMap<>();
    for (Map.Entry<Long, double[][]> e : pairCost.entrySet()) {
      double[][] t = new double[e.getValue().length][];
      for (int a = 0; a < t.length; a++) {
        t[a] = e.getValue()[a].clone();
      }
      out.put(e.getKey(), t);
    }
    return out;
  }

  /** The cost of the layers whose channel counts are all fixed. */
  double constantCost() {
    return constantCost;
  }

  /** Factors of {@code scoreWeight·score - gamma·costWeight·cost}. */
  private List<Factor> factors(double gamma, double scoreWeight, double costWeight) {
    List<Factor> fs = new ArrayList<>();
    for (int s = 0; s < dims.length; s++) {
      double[] u = new double[dims[s]];
      for (int k = 0; k < u.length; k++) {
        u[k] = scoreWeight * score[s][k] - gamma * costWeight * unaryCost[s][k];
      }
      fs.add(Factor.unary(s, u));
    }
    for (Map.Entry<Long, double[][]> e : pairCost.entrySet()) {
      int a = (int) (e.getKey() >>> 32);
      int b = (int) (long) e.getKey();
      double[][] t = e.getValue();
      double[][] v = new double[t.length][t[0].length];
      for (int i = 0; i < t.length; i++) {
        for (int j = 0; j < t[i].length; j++) {
          v[i][j] = -gamma * costWeight * t[i][j];
        }
      }
      fs.add(Factor.pair(a, b, v));
    }
    return fs;
  }

  private static void checkGamma(double gamma) {
    if (!(gamma >= 0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("gamma must be finite and >= 0, found " + gamma);
    }
  }

  private void check(int[] choices) {
    if (choices.length != dims.length) {
      throw new IllegalArgumentException("expected " + dims.length + " choices, found " + choices.length);
    }
    for (int s = 0; s < dims.length; s++) {
      if (choices[s] < 0 || choices[s] >= dims[s]) {
        throw new IllegalArgumentException("slot " + s + ": choice " + choices[s] + " outside [0, " + dims[s] + ")");
      }
    }
  }
}
