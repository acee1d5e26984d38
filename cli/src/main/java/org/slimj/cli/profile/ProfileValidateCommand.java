package org.slimj.cli.profile;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slimj.bench.latency.LatencyValidation;
import org.slimj.bench.latency.NetworkRunner;
import org.slimj.bench.latency.Platform;
import org.slimj.bench.latency.TimingClock;
import org.slimj.cli.ModelOptions;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.search.latency.LatencyTable;
import org.slimj.search.latency.LatencyTableFile;
import org.slimj.search.latency.Provenance;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ./slimj profile validate}: predicted against measured whole-network latency of random
 * configurations on the table's platform (backend, threads and batch from its provenance), and the
 * mean absolute percentage error. Refuses a table measured on another machine, JVM or backend.
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Measure random configurations end to end on the table's backend, threads and batch, and print the",
      "table's prediction, the measurement (ms per image) and the mean absolute percentage error."
    })
public final class ProfileValidateCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  @Mixin TimingOptions timing;

  @Option(names = "--table", paramLabel = "FILE", required = true, description = "Latency table to check.")
  Path table;

  @Option(names = "--configs", paramLabel = "N", description = "Random configurations (default: ${DEFAULT-VALUE}).")
  int configs = 20;

  @Option(names = "--seed", description = "Seed of the configurations (default: ${DEFAULT-VALUE}).")
  long seed = 7;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    if (configs < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--configs: expected >= 1, found " + configs);
    }
    LatencyTable t = LatencyTableFile.read(table);
    Provenance p = t.provenance();
    Backends.Choice choice = Backends.choose(p.backend(), p.threads());
    System.err.println("slimj: " + choice.reason());
    Kernels k = choice.kernels();
    TimingClock clock = TimingClock.parse(p.clock());
    clock.requireUsableWith(k.threads());
    Provenance here = Platform.here(null, k.name(), k.threads(), p.batch(), clock, "");
    if (!p.sameMachineAs(here)) {
      throw new IllegalArgumentException(table + ": measured on another platform (cpu '" + p.cpu() + "', jvm "
          + p.jvm() + ", " + p.backend() + " " + p.threads() + "t) than this one (cpu '" + here.cpu() + "', jvm "
          + here.jvm() + ", " + here.backend() + " " + here.threads() + "t); validate it where it was measured");
    }
    ModelSpec ms = modelOptions.spec(BnKind.SHARED, new double[] {modelOptions.maxWidth()});
    NetworkRunner runner = new NetworkRunner(k, ms, p.batch(), 1);
    long start = System.nanoTime();
    LatencyValidation.Result r = LatencyValidation.run(t, runner, p.batch(), configs, seed, timing.timer(clock),
        timing.warmupSeconds);
    double seconds = (System.nanoTime() - start) / 1e9;
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      List<Map<String, Object>> rows = new ArrayList<>();
      for (LatencyValidation.Row row : r.rows()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config", row.config().toArray());
        m.put("predicted_ms", row.predictedMs());
        m.put("measured_ms", row.measuredMs());
        m.put("abs_percent_error", row.absPercentError());
        rows.add(m);
      }
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("table", table.toString());
      doc.put("platform", t.name());
      doc.put("backend", p.backend());
      doc.put("threads", p.threads());
      doc.put("batch", p.batch());
      doc.put("clock", p.clock());
      doc.put("model", ms.toString());
      doc.put("seed", seed);
      doc.put("mape_percent", r.mape());
      doc.put("seconds", seconds);
      doc.put("results", rows);
      out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(doc));
      return 0;
    }
    out.printf(Locale.ROOT, "%s on %s (%s, %d thread(s), batch %d, %s clock), %d random configurations, seed %d%n",
        ms, t.name(), p.backend(), p.threads(), p.batch(), p.clock(), configs, seed);
    out.printf(Locale.ROOT, "%12s %12s %8s  %s%n", "predicted ms", "measured ms", "error %", "configuration");
    for (LatencyValidation.Row row : r.rows()) {
      out.printf(Locale.ROOT, "%12.4f %12.4f %8.2f  %s%n", row.predictedMs(), row.measuredMs(), row.absPercentError(),
          java.util.Arrays.toString(row.config().toArray()));
    }
    out.printf(Locale.ROOT, "MAPE %.2f%% over %d configurations (%.1f s)%n", r.mape(), configs, seconds);
    return 0;
  }
}
