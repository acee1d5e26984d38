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
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.cost.LayerwiseCost;
import org.slimj.search.io.FoundConfig;
import org.slimj.search.io.SearchResultFile;
import org.slimj.search.ows.SpaceProblem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj search ows}: the OWS decode (AOWS, Berman et al., CVPR 2020, §3.2) of a checkpoint
 * trained with {@code --mode ows|aows|multiplatform}: for each budget, the configuration that
 * maximises the total loss credit under the cost budget: by default the constrained optimum (costs
 * in buckets), or with {@code --solver lagrangian} AOWS's maximiser of credit minus gamma times cost,
 * gamma found by bisection ({@link OwsSolverOptions}).
 */
@Command(
    name = "ows",
    mixinStandardHelpOptions = true,
    description = "OWS: the configuration of highest total loss credit under each cost budget (exact DP over the"
        + " channel space with costs in buckets, or AOWS's Lagrangian bisection).")
public final class OwsSearchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--checkpoint", required = true, paramLabel = "FILE",
      description = "A checkpoint trained with --mode ows, aows or multiplatform.")
  Path checkpoint;

  @Option(names = "--cost", paramLabel = "COST", description = "macs, params or latency:TABLE (default: ${DEFAULT-VALUE}).")
  String cost = "macs";

  @Option(names = "--budgets", paramLabel = "LIST",
      description = "Budgets as fractions of the cost of the largest configuration (default: ${DEFAULT-VALUE}).")
  String budgets = "0.75,0.5,0.25";

  @Option(names = "--budgets-absolute", paramLabel = "LIST", description = "Budgets in the cost's unit (replace --budgets).")
  String budgetsAbsolute;

  @Option(names = "--groups", description = "Channel groups per slot; must be the training's (default: the checkpoint's).")
  Integer groups;

  @Mixin OwsSolverOptions solver;

  @Option(names = "--out", paramLabel = "FILE", description = "Write the search-result JSON here.")
  Path out;

  @Option(names = "--json", description = "Print the search-result JSON instead of a table.")
  boolean json;

  @Override
  public Integer call() throws IOException {
    PrintWriter o = spec.commandLine().getOut();
    solver.validate();
    OwsCheckpoint ck = OwsCheckpoint.read(checkpoint);
    if (groups != null && groups != ck.groups()) {
      throw new IllegalArgumentException("--groups " + groups + ": the credits of " + checkpoint + " are over "
          + ck.groups() + " groups");
    }
    LayerwiseCost c = OwsCheckpoint.layerwise(cost);
    ChannelSpace space = ck.loaded().model().space();
    double full = c.cost(space, space.max());
    SpaceProblem p = ck.problem(c).scaledCost(1 / full);
    double[] bs = budgetsAbsolute != null ? parse(budgetsAbsolute, "--budgets-absolute") : parse(budgets, "--budgets");
    if (budgetsAbsolute == null) {
      for (int i = 0; i < bs.length; i++) {
        bs[i] *= full;
      }
    }
    double least = p.cost(p.cheapest()) * full + c.fixedCost(space);
    List<FoundConfig> found = new ArrayList<>();
    List<String> unreached = new ArrayList<>();
    for (double b : bs) {
      if (b < least) {
        // reported in the result (like greedy's unreached targets); an error only when no budget is reachable
        String why = String.format(Locale.ROOT, "budget %.6g %s is below the cheapest configuration of the trained"
            + " groups (%.6g %s)", b, c.unit(), least, c.unit());
        unreached.add(why);
        spec.commandLine().getErr().println("slimj: note: " + why + "; no configuration for it");
        continue;
      }
      found.add(solver.solve(c, space, p, b, full));
    }
    if (found.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", unreached));
    }
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("checkpoint", checkpoint.toString());
    settings.put("cost", c.name());
    settings.put("unit", c.unit());
    settings.put("cost_of_max", full);
    settings.put("groups", ck.groups());
    settings.put("min_group", ck.minGroup());
    settings.put("budgets", bs);
    solver.describe(settings);
    settings.put("train_mode", ck.run().mode() == null ? null : ck.run().mode().cliName());
    Map<String, Object> doc = SearchResultFile.document("ows", ck.loaded().spec().toMetadata(), settings, space, found);
    doc.put("unreached", unreached);
    if (out != null) {
      SearchResultFile.write(out, doc);
    }
    if (json) {
      o.println(SearchResultFile.toJson(doc));
    } else {
      o.printf(Locale.ROOT, "OWS over %s (%d slots, groups %d..%d), cost %s: max %.6g %s, solver %s%n", ck.loaded()
          .spec().architecture(), space.slots().size(), ck.minGroup(), ck.groups(), c.name(), full, c.unit(),
          solver.name());
      for (FoundConfig f : found) {
        o.printf(Locale.ROOT, "%-22s %s = %.6g (%.1f%%)  credit %+.5f  %s  config %s%n", f.label(), c.name(),
            f.costs().get(c.name()), 100 * f.costs().get(c.name()) / full, f.score(), OwsSolverOptions.summary(f),
            java.util.Arrays.toString(f.config().toArray()));
      }
      if (out != null) {
        o.println("result: " + out);
      }
    }
    return 0;
  }

  static double[] parse(String list, String option) {
    String[] parts = list.split(",");
    double[] v = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        v[i] = Double.parseDouble(parts[i].trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + ": expected numbers separated by commas, found '" + list + "'", e);
      }
      if (!(v[i] > 0) || Double.isInfinite(v[i])) {
        throw new IllegalArgumentException(option + ": expected positive numbers, found " + parts[i].trim());
      }
    }
    return v;
  }
}
