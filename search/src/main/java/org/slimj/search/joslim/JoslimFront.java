package org.slimj.search.joslim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * The candidates of Joslim's final front (the reference code's {@code eval_checkpoints.py}): the
 * first {@code layers} successive non-dominated layers of the visited configurations in (stored
 * held-out loss, cost ratio) — layer 1 is the Pareto front, layer 2 the front of the rest, and so on,
 * which makes the choice less sensitive to the noise of one held-out batch — plus the smallest and
 * the full configuration. Width vectors that decode to the same channel counts count once.
 */
public final class JoslimFront {
  private JoslimFront() {}

  /**
   * One candidate.
   *
   * @param config channel counts
   * @param alpha width multipliers
   * @param costRatio cost ratio to the full configuration
   * @param storedLoss held-out loss at the last re-scoring (NaN for min/max added without one)
   * @param source {@code history}, {@code min} or {@code max}
   * @param step training step at which it was proposed (−1 for min/max added)
   */
  public record Candidate(ChannelConfig config, double[] alpha, double costRatio, double storedLoss, String source,
      long step) {}

  /** The candidates of the first non-dominated layer only. */
  public static List<Candidate> candidates(JoslimHistory history, WidthProposer proposer) {
    return candidates(history, proposer, 1);
  }

  /** The candidates of {@code history}'s first {@code layers} non-dominated layers, by increasing cost. */
  public static List<Candidate> candidates(JoslimHistory history, WidthProposer proposer, int layers) {
    if (layers < 1) {
      throw new IllegalArgumentException("Joslim front: expected at least 1 non-dominated layer, found " + layers);
    }
    WidthEncoding enc = proposer.encoding();
    Map<ChannelConfig, Candidate> unique = new LinkedHashMap<>();
    for (Visit v : history.visits()) {
      ChannelConfig c = enc.decode(v.alpha());
      Candidate old = unique.get(c);
      if (Double.isFinite(v.loss()) && (old == null || v.loss() < old.storedLoss())) {
        unique.put(c, new Candidate(c, v.alpha(), proposer.costOf(v.alpha()), v.loss(), "history", v.step()));
      }
    }
    List<Candidate> all = new ArrayList<>(unique.values());
    double[] loss = new double[all.size()];
    double[] cost = new double[all.size()];
    for (int i = 0; i < all.size(); i++) {
      loss[i] = all.get(i).storedLoss();
      cost[i] = all.get(i).costRatio();
    }
    List<Candidate> out = new ArrayList<>();
    for (int layer = 0; layer < layers; layer++) {
      List<Integer> front = ParetoFront.nonDominated(loss, cost);
      if (front.isEmpty()) {
        break;
      }
      for (int i : front) {
        out.add(all.get(i));
        loss[i] = Double.NaN;
      }
    }
    addIfMissing(out, enc.minimum(), "min", proposer);
    addIfMissing(out, enc.uniform(1.0), "max", proposer);
    out.sort((x, y) -> Double.compare(x.costRatio(), y.costRatio()));
    return out;
  }

  private static void addIfMissing(List<Candidate> out, double[] alpha, String source, WidthProposer proposer) {
    ChannelConfig c = proposer.encoding().decode(alpha);
    for (Candidate k : out) {
      if (k.config().equals(c)) {
        return;
      }
    }
    out.add(new Candidate(c, alpha, proposer.costOf(alpha), Double.NaN, source, -1));
  }
}
