package org.slimj.cli.search;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slimj.cli.BackendOptions;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.io.FoundConfig;
import org.slimj.search.io.SearchResultFile;
import org.slimj.search.multiplatform.MultiPlatformObjective;
import org.slimj.search.multiplatform.Platform;
import org.slimj.search.multiplatform.Platforms;
import org.slimj.search.ows.SpaceProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj search multiplatform}: one network for several platforms (Wang &amp; Blaschko,
 * NLDL 2022): each platform's OWS optimum under its own budget, its validation accuracy after BN
 * calibration, and the objective {@code Σ_p share_p · accuracy(c*_p)}.
 */
@Command(
    name = "multiplatform",
    mixinStandardHelpOptions = true,
    description = "Each platform's OWS configuration under its budget, its held-out accuracy, and the share-weighted"
        + " accuracy.")
public final class MultiPlatformSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BackendOptions backend;

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
      description = "A checkpoint trained with --mode ows, aows or multiplatform.")
  Path checkpoint;

  @Option(names = "--platform", required = true, paramLabel = "NAME=COST@BUDGET[:SHARE]", description = "A platform:"
      + " COST is macs, params or latency:TABLE; BUDGET in its unit or a percentage (50%%) of the largest"
      + " configuration's cost. Repeat.")
  List<String> platforms;

  @Option(names = "--crp-alpha", paramLabel = "A", description = "Shares from a Chinese restaurant process of"
      + " concentration A (when --platform gives none; default: equal shares).")
  Double crpAlpha;

  @Option(names = "--crp-seed", paramLabel = "S", description = "Seed of the Chinese restaurant process (default: ${DEFAULT-VALUE}).")
  long crpSeed = 1;

  @Mixin OwsSolverOptions solver;

  @Option(names = "--calibrate-batches", description = "Training batches for BN calibration per configuration (default: ${DEFAULT-VALUE}).")
  int calibrateBatches = 16;

  @Option(names = "--batch", description = "Batch size of calibration and evaluation (default: ${DEFAULT-VALUE}).")
  int batch = 128;

  @Option(names = "--data", paramLabel = "DIR|sample", description = "Data (default: as the checkpoint was trained).")
  String data;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the search-result JSON here.")
  Path out;

  @Option(names = "--json", description = "Print the search-result JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    solver.validate();
    if (calibrateBatches < 1 || batch < 1) {
      throw new IllegalArgumentException("expected --calibrate-batches >= 1 and --batch >= 1, found " + calibrateBatches
          + " and " + batch);
    }
    OwsCheckpoint ck = OwsCheckpoint.read(checkpoint);
    ChannelSpace space = ck.loaded().model().space();
    List<Platform> ps = Platforms.parse(platforms, space, OwsCheckpoint::layerwise, crpAlpha, crpSeed);
    CheckpointData held = CheckpointData.of(checkpoint, ck.loaded(), data);
    Kernels kernels = backend.choose().kernels();
    List<FoundConfig> found = new ArrayList<>();
    double[] acc = new double[ps.size()];
    for (int i = 0; i < ps.size(); i++) {
      Platform p = ps.get(i);
      double full = p.cost().cost(space, space.max());
      SpaceProblem prob = ck.problem(p.cost()).scaledCost(1 / full);
      double least = prob.cost(prob.cheapest()) * full + p.cost().fixedCost(space);
      if (p.budget() < least) {
        throw new IllegalArgumentException(String.format(Locale.ROOT, "platform %s: budget %.6g %s is below the cheapest"
            + " configuration of the trained groups (%.6g %s)", p.name(), p.budget(), p.cost().unit(), least,
            p.cost().unit()));
      }
      FoundConfig ows = solver.solve(p.cost(), space, prob, p.budget(), full);
      acc[i] = held.evaluateOnValidation(kernels, ows.config(), calibrateBatches, batch).accuracy();
      Map<String, Object> how = new LinkedHashMap<>();
      how.put("platform", p.name());
      how.put("share", p.share());
      how.put("ows_credit", ows.score());
      how.putAll(ows.how());
      found.add(new FoundConfig(p.name() + ":" + ows.label(), ows.config(), ows.costs(), acc[i], "val_top1", how));
    }
    double objective = MultiPlatformObjective.weighted(ps, acc);
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("checkpoint", checkpoint.toString());
    settings.put("platforms", platforms);
    settings.put("shares", ps.stream().map(Platform::share).toList());
    settings.put("crp_alpha", crpAlpha);
    settings.put("crp_seed", crpAlpha == null ? null : crpSeed);
    settings.put("groups", ck.groups());
    settings.put("min_group", ck.minGroup());
    solver.describe(settings);
    settings.put("calibrate_batches", calibrateBatches);
    settings.put("data", held.description());
    settings.put("weighted_val_top1", objective);
    Map<String, Object> doc = SearchResultFile.document("multiplatform", ck.loaded().spec().toMetadata(), settings, space,
        found);
    if (out != null) {
      SearchResultFile.write(out, doc);
    }
    if (json) {
      o.println(SearchResultFile.toJson(doc));
    } else {
      o.println("data: " + held.description());
      for (int i = 0; i < ps.size(); i++) {
        Platform p = ps.get(i);
        FoundConfig f = found.get(i);
        o.printf(Locale.ROOT, "%-12s share %.3f  %s = %.6g (budget %.6g %s)  val accuracy %6.2f%%  config %s%n", p.name(),
            p.share(), p.cost().name(), f.costs().get(p.cost().name()), p.budget(), p.cost().unit(), 100 * acc[i],
            java.util.Arrays.toString(f.config().toArray()));
      }
      o.printf(Locale.ROOT, "share-weighted validation accuracy: %.2f%%%n", 100 * objective);
      if (out != null) {
        o.println("result: " + out);
      }
    }
    return 0;
  }
}
