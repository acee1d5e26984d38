package org.slimj.cli.search;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.train.OwsCredits;
import org.slimj.search.cost.CostModel;
import org.slimj.search.cost.CostSpecs;
import org.slimj.search.cost.LayerwiseCost;
import org.slimj.search.ows.SpaceProblem;

/**
 * A checkpoint trained with {@code --mode ows|aows|multiplatform} read for the OWS search: the
 * model, its channel groups, the smallest group trained, and the credits.
 *
 * @param loaded the checkpoint
 * @param run what the checkpoint records about its run
 * @param groups channel groups per slot
 * @param minGroup smallest group the training drew
 * @param credits credit per slot and group ({@code [slot][group - 1]})
 */
record OwsCheckpoint(Checkpoint.Loaded loaded, org.slimj.cli.train.RunRecord run, int groups, int minGroup,
    double[][] credits) {

  /** Reads {@code file}; errors name the file and what is missing. */
  static OwsCheckpoint read(Path file) throws IOException {
    Checkpoint.Loaded l = Checkpoint.load(file);
    Map<String, String> m = l.metadata();
    try {
      org.slimj.cli.train.RunRecord run = org.slimj.cli.train.RunRecord.of(l, file);
      if (run.groups() == 0) {
        throw new IllegalArgumentException("checkpoint metadata has no 'train.groups' (an OWS search needs a nonuniform"
            + " run's channel groups)");
      }
      int groups = run.groups();
      int minGroup = run.trainedMinGroup(groups);
      double[][] credits = OwsCredits.read(m, l.model().space().slots().size(), groups);
      return new OwsCheckpoint(l, run, groups, minGroup, credits);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }


  /** The OWS problem of this checkpoint's credits under {@code cost}. */
  SpaceProblem problem(LayerwiseCost cost) {
    return SpaceProblem.ofGroups(loaded.model().space(), groups, minGroup, credits, cost);
  }

  /** The cost model named {@code spec}, which must be a sum of per-layer terms. */
  static LayerwiseCost layerwise(String spec) {
    CostModel c = CostSpecs.parse(spec);
    if (!(c instanceof LayerwiseCost lc)) {
      throw new IllegalArgumentException("cost " + c.name() + " is not a sum of per-layer terms; the OWS search needs"
          + " one (macs, params or a latency table)");
    }
    return lc;
  }
}
