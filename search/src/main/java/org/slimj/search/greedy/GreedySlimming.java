package org.slimj.search.greedy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.Slot;
import org.slimj.search.cost.CostModel;
import org.slimj.search.io.FoundConfig;

/**
 * AutoSlim's greedy slimming (Yu &amp; Huang, "Network Slimming by Slimmable Networks", arXiv
 * 1903.11728, §3.3): start from the maximum configuration; at each step try every slot one channel
 * group narrower, keep the candidate with the lowest error, and emit the configuration the first
 * time its cost is at most the next target, until every target is met.
 *
 * <p>Each slot's channels are divided into {@code groups} equal groups ({@link
 * Slot#groupChannels}); a slot's state is its group index, from {@code groups} down to {@code
 * minGroup}. Slots already tie every layer joined by a residual add, and a depthwise layer follows
 * its input slot, so removing a group from a slot slims all of them together. A group index whose
 * channel count equals the current one (small slots, where groups round to the same count) is
 * skipped, so every step changes the configuration.
 *
 * <p>Ties are broken deterministically: lowest error, then lowest cost after the step, then lowest
 * slot index. A target is met when the cost is at most the target (a budget); the configuration
 * emitted is the first on the path that meets it, as AutoSlim does. Targets that are met already
 * by the maximum configuration are emitted at step 0; several targets crossed by one step all get
 * that step's configuration. The search stops when every target is met, or when no slot can lose
 * a group (the remaining targets are then reported as unreached).
 */
public final class GreedySlimming {
  /**
   * A budget to meet.
   *
   * @param label what the found configuration is called in the result, e.g. {@code macs<=0.5x}
   * @param budget the cost must be at most this
   */
  public record Target(String label, double budget) {
    public Target {
      Objects.requireNonNull(label, "label");
      if (Double.isNaN(budget) || Double.isInfinite(budget)) {
        throw new IllegalArgumentException("target " + label + ": expected a finite budget, found " + budget);
      }
    }

    /** A target labelled {@code <costName><=<budget>}, e.g. {@code macs<=1500000}. */
    public static Target atMost(String costName, double budget) {
      String b = budget == Math.rint(budget) && Math.abs(budget) < 1e15
          ? Long.toString((long) budget) : String.format(java.util.Locale.ROOT, "%.6g", budget);
      return new Target(costName + "<=" + b, budget);
    }
  }

  /**
   * One configuration on the greedy path.
   *
   * @param step 0 for the maximum configuration, then 1, 2, ...
   * @param slot the slot that lost a group at this step (-1 at step 0)
   * @param config the configuration after the step
   * @param groups each slot's group index after the step
   * @param cost its cost under the search's cost model
   * @param error its error
   * @param candidates candidates evaluated at this step (1 at step 0)
   */
  public record Step(int step, int slot, ChannelConfig config, int[] groups, double cost, double error, int candidates) {
    public Step {
      groups = groups.clone();
    }

    @Override
    public int[] groups() {
      return groups.clone();
    }
  }

  /**
   * What the search found.
   *
   * @param found one configuration per met target, in target order
   * @param trajectory every configuration on the greedy path, from the maximum
   * @param unreached targets not met when the search could slim no further
   * @param evaluations calls to the evaluator
   */
  public record Result(List<FoundConfig> found, List<Step> trajectory, List<Target> unreached, int evaluations) {
    public Result {
      found = List.copyOf(found);
      trajectory = List.copyOf(trajectory);
      unreached = List.copyOf(unreached);
    }
  }

  /** Receives each step as it is taken (e.g. to print progress). */
  @FunctionalInterface
  public interface Listener {
    /** Called after step {@code s}; {@code maxSteps} is the number of steps from the maximum to the minimum. */
    void step(Step s, int maxSteps);
  }

  private final ChannelSpace space;
  private final CostModel cost;
  private final List<Target> targets;
  private final int groups;
  private final int minGroup;
  private final List<CostModel> reported;
  private final String scoreName;
  private final List<AlsoTargets> also;

  /**
   * Targets under a further cost, met along the same greedy path (the path depends on the errors
   * alone, apart from ties, which the main cost breaks), so one search serves several platforms.
   *
   * @param cost the further cost
   * @param targets its budgets in descending order
   */
  public record AlsoTargets(CostModel cost, List<Target> targets) {
    public AlsoTargets {
      Objects.requireNonNull(cost, "cost");
      targets = List.copyOf(targets);
      for (int i = 1; i < targets.size(); i++) {
        if (targets.get(i).budget() > targets.get(i - 1).budget()) {
          throw new IllegalArgumentException("greedy slimming: expected " + cost.name()
              + " targets in descending order, found " + targets.get(i - 1).budget() + " before " + targets.get(i).budget());
        }
      }
    }
  }

  /**
   * A search of {@code space} under {@code cost}.
   *
   * @param space the channel space
   * @param cost the cost the targets constrain
   * @param targets budgets in descending order (at least one)
   * @param groups channel groups per slot (AutoSlim: 10)
   * @param minGroup smallest group index a slot may keep, in [1, groups]
   * @param reported further costs written with each found configuration (e.g. MACs and parameters)
   * @param scoreName what the evaluator's error is, for the result (e.g. {@code val_top1_error})
   */
  public GreedySlimming(ChannelSpace space, CostModel cost, List<Target> targets, int groups, int minGroup,
      List<CostModel> reported, String scoreName) {
    this(space, cost, targets, groups, minGroup, reported, scoreName, List.of());
  }

  /** As above, also emitting configurations for the targets of further costs met along the same path. */
  public GreedySlimming(ChannelSpace space, CostModel cost, List<Target> targets, int groups, int minGroup,
      List<CostModel> reported, String scoreName, List<AlsoTargets> also) {
    this.also = List.copyOf(also);
    this.space = Objects.requireNonNull(space, "space");
    this.cost = Objects.requireNonNull(cost, "cost");
    this.targets = List.copyOf(targets);
    this.reported = List.copyOf(reported);
    this.scoreName = Objects.requireNonNull(scoreName, "scoreName");
    if (this.targets.isEmpty()) {
      throw new IllegalArgumentException("greedy slimming: expected at least one target, found none");
    }
    for (int i = 1; i < this.targets.size(); i++) {
      if (this.targets.get(i).budget() > this.targets.get(i - 1).budget()) {
        throw new IllegalArgumentException("greedy slimming: expected targets in descending order, found "
            + this.targets.get(i - 1).budget() + " before " + this.targets.get(i).budget());
      }
    }
    if (groups < 1 || minGroup < 1 || minGroup > groups) {
      throw new IllegalArgumentException(
          "greedy slimming: expected groups >= 1 and 1 <= minGroup <= groups, found groups " + groups + ", minGroup "
              + minGroup);
    }
    this.groups = groups;
    this.minGroup = minGroup;
  }

  /** Runs the search, asking {@code evaluator} for errors and telling {@code listener} (may be null) each step. */
  public Result run(ErrorEvaluator evaluator, Listener listener) {
    Objects.requireNonNull(evaluator, "evaluator");
    List<Slot> slots = space.slots();
    int n = slots.size();
    int[] k = new int[n];
    java.util.Arrays.fill(k, groups);
    int maxSteps = 0;
    for (int i = 0; i < n; i++) {
      for (int g = groups; (g = next(slots.get(i), g)) > 0; ) {
        maxSteps++;
      }
    }
    int[] calls = {0};
    ErrorEvaluator counted = new ErrorEvaluator() {
      @Override
      public double error(ChannelConfig c) {
        return errors(List.of(c))[0];
      }

      @Override
      public double[] errors(List<ChannelConfig> cs) {
        calls[0] += cs.size();
        return ErrorEvaluator.checked(evaluator.errors(cs), cs);
      }
    };

    List<Step> path = new ArrayList<>();
    List<FoundConfig> found = new ArrayList<>();
    ChannelConfig cfg = space.max();
    Step current = new Step(0, -1, cfg, k, cost.cost(space, cfg), counted.error(cfg), 1);
    path.add(current);
    if (listener != null) {
      listener.step(current, maxSteps);
    }
    int t = emit(current, 0, found, calls[0]);
    int[] ta = new int[also.size()];
    emitAlso(current, ta, found, calls[0]);
    while (t < targets.size() || alsoPending(ta)) {
      int bestSlot = -1;
      int bestGroup = 0;
      ChannelConfig bestCfg = null;
      double bestErr = 0;
      double bestCost = 0;
      List<Integer> candSlots = new ArrayList<>();
      List<Integer> candGroups = new ArrayList<>();
      List<ChannelConfig> cands = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        int g = next(slots.get(i), k[i]);
        if (g < 0) {
          continue;
        }
        int[] c = cfg.toArray();
        c[i] = slots.get(i).groupChannels(g, groups);
        candSlots.add(i);
        candGroups.add(g);
        cands.add(ChannelConfig.of(c));
      }
      // one call per step: a farmed evaluator spreads the candidates over its workers
      double[] errs = cands.isEmpty() ? new double[0] : counted.errors(cands);
      int candidates = cands.size();
      for (int j = 0; j < candidates; j++) {
        ChannelConfig cand = cands.get(j);
        double e = errs[j];
        double cc = cost.cost(space, cand);
        if (bestSlot < 0 || e < bestErr || (e == bestErr && cc < bestCost)) {
          bestSlot = candSlots.get(j);
          bestGroup = candGroups.get(j);
          bestCfg = cand;
          bestErr = e;
          bestCost = cc;
        }
      }
      if (bestSlot < 0) {
        break;
      }
      k[bestSlot] = bestGroup;
      cfg = bestCfg;
      current = new Step(path.size(), bestSlot, cfg, k, bestCost, bestErr, candidates);
      path.add(current);
      if (listener != null) {
        listener.step(current, maxSteps);
      }
      t = emit(current, t, found, calls[0]);
      emitAlso(current, ta, found, calls[0]);
    }
    List<Target> unreached = new ArrayList<>(targets.subList(t, targets.size()));
    for (int a = 0; a < also.size(); a++) {
      unreached.addAll(also.get(a).targets().subList(ta[a], also.get(a).targets().size()));
    }
    return new Result(found, path, unreached, calls[0]);
  }

  /** The next smaller group index of {@code slot} below {@code g} with fewer channels, or -1 if none is allowed. */
  private int next(Slot slot, int g) {
    int c = slot.groupChannels(g, groups);
    for (int h = g - 1; h >= minGroup; h--) {
      if (slot.groupChannels(h, groups) < c) {
        return h;
      }
    }
    return -1;
  }

  private boolean alsoPending(int[] ta) {
    for (int a = 0; a < also.size(); a++) {
      if (ta[a] < also.get(a).targets().size()) {
        return true;
      }
    }
    return false;
  }

  /** Emits {@code s} for the further costs' targets it meets, advancing {@code ta}. */
  private void emitAlso(Step s, int[] ta, List<FoundConfig> found, int evaluations) {
    for (int a = 0; a < also.size(); a++) {
      AlsoTargets at = also.get(a);
      double c = at.cost().cost(space, s.config());
      while (ta[a] < at.targets().size() && c <= at.targets().get(ta[a]).budget()) {
        found.add(found(s, at.targets().get(ta[a]), at.cost(), c, evaluations));
        ta[a]++;
      }
    }
  }

  /** Emits {@code s} for every target from index {@code t} on that it meets; returns the next unmet target. */
  private int emit(Step s, int t, List<FoundConfig> found, int evaluations) {
    while (t < targets.size() && s.cost() <= targets.get(t).budget()) {
      found.add(found(s, targets.get(t), cost, s.cost(), evaluations));
      t++;
    }
    return t;
  }

  private FoundConfig found(Step s, Target target, CostModel by, double byCost, int evaluations) {
    Map<String, Double> costs = new LinkedHashMap<>();
    costs.put(by.name(), byCost);
    costs.putIfAbsent(cost.name(), s.cost());
    for (CostModel m : reported) {
      costs.putIfAbsent(m.name(), m.cost(space, s.config()));
    }
    Map<String, Object> how = new LinkedHashMap<>();
    how.put("method", "autoslim-greedy");
    how.put("target_cost", by.name());
    how.put("target", target.budget());
    how.put("step", s.step());
    how.put("groups", s.groups());
    how.put("evaluations", evaluations);
    return new FoundConfig(target.label(), s.config(), costs, s.error(), scoreName, how);
  }
}
