package org.slimj.cli.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slimj.datasets.FashionMnist;
import org.slimj.datasets.FashionMnistSource;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.search.cost.CostModel;
import org.slimj.search.cost.CostSpecs;

/**
 * The demo as a sequence of ordinary slimj commands run in this JVM: train, profile platforms,
 * validate their latency tables, search (greedy and OWS, per platform), evaluate, report. Each
 * command's output lands in the output directory; the report lists the commands.
 */
public final class DemoPipeline {
  private final DemoSettings s;
  private final PrintWriter terminal;
  private final CommandRunner runner;
  private final List<String> commands = new ArrayList<>();
  private final List<String> timings = new ArrayList<>();
  private int stepNo;
  private final List<String> computeOptions;
  private final boolean noProgress;

  /** A pipeline with settings {@code s}, printing progress to {@code terminal}. */
  public DemoPipeline(DemoSettings s, PrintWriter terminal) {
    this(s, terminal, List.of(), false);
  }

  /**
   * A pipeline whose computing steps (train, search, eval; not the platform profiles, which set
   * their own) also get {@code computeOptions} (e.g. {@code --backend vector --threads 2}), and
   * whose training and greedy steps print no progress when {@code noProgress}.
   */
  public DemoPipeline(DemoSettings s, PrintWriter terminal, List<String> computeOptions, boolean noProgress) {
    this.computeOptions = List.copyOf(computeOptions);
    this.noProgress = noProgress;
    this.s = s;
    this.terminal = terminal;
    this.runner = new CommandRunner(terminal);
  }

  /**
   * A platform: a backend and thread count whose latency table the demo measures.
   *
   * @param name platform name (file stem)
   * @param backend backend
   * @param threads threads
   */
  record Platform(String name, String backend, int threads) {}

  /** Runs every step; returns the report's path. */
  public Path run() throws IOException {
    long t0 = System.nanoTime();
    Path out = s.out();
    Files.createDirectories(out);
    List<String> data = s.data() == null ? List.of() : List.of("--data", s.data());
    FashionMnistSource src = FashionMnist.resolve(Optional.ofNullable(s.data()));
    int trainCount = src.load().train().count();
    int usable = s.limitTrain() > 0 ? Math.min(s.limitTrain(), trainCount * 9 / 10) : trainCount * 9 / 10;
    int epochs = s.epochs() > 0 ? s.epochs() : Math.max(2, Math.min(15, (int) Math.ceil((double) s.imagesToSee() / usable)));
    List<String> model = List.of("--model", DemoSettings.MODEL, "--max-width", DemoSettings.MAX_WIDTH);

    Path train = out.resolve("train");
    Path ckpt = train.resolve("checkpoint.safetensors");
    List<String> trainArgs = new ArrayList<>(List.of("train"));
    trainArgs.addAll(model);
    trainArgs.addAll(List.of("--mode", "ows", "--width-range", DemoSettings.WIDTH_RANGE, "--widths", "0.5",
        "--epochs", Integer.toString(epochs), "--limit-train", Integer.toString(usable), "--batch", "128",
        "--lr", "0.1", "--seed", Long.toString(s.seed()), "--out", train.toString()));
    trainArgs.addAll(data);
    step("train the supernet (" + epochs + " epochs)", trainArgs, train.resolve("train.out"));

    List<Platform> platforms = platforms();
    List<Path> tables = new ArrayList<>();
    for (Platform p : platforms) {
      Path table = out.resolve("platforms").resolve(p.name() + ".json");
      List<String> a = new ArrayList<>(List.of("profile"));
      a.addAll(model);
      a.addAll(List.of("--backend", p.backend(), "--threads", Integer.toString(p.threads()), "--batch", "1", "--grid",
          Integer.toString(s.gridPoints()), "--platform", p.name(), "--out", table.toString()));
      a.addAll(s.profileOptions());
      if (s.quick()) {
        a.addAll(List.of("--calibration-configs", "4"));
      }
      step("latency table of " + p.name(), a, out.resolve("platforms").resolve(p.name() + ".out"));
      List<String> v = new ArrayList<>(List.of("profile", "validate", "--table", table.toString()));
      v.addAll(model);
      v.addAll(List.of("--configs", Integer.toString(s.validationConfigs()), "--seed", Long.toString(s.seed()), "--json"));
      v.addAll(s.profileOptions());
      step("validate " + p.name() + " end to end", v, out.resolve("platforms").resolve(p.name() + "-validation.json"));
      tables.add(table);
    }

    Path search = out.resolve("search");
    List<String> common = List.of("--checkpoint", ckpt.toString(), "--seed", Long.toString(s.seed()));
    List<String> g = new ArrayList<>(List.of("search", "greedy"));
    g.addAll(common);
    g.addAll(List.of("--cost", "macs", "--targets", s.targets(), "--batch", Integer.toString(s.searchBatch()),
        "--out", search.resolve("greedy.json").toString()));
    for (Path t : tables) {
      g.addAll(List.of("--also-cost", "latency:" + t));
    }
    g.addAll(data);
    step("AutoSlim greedy slimming under MACs and every platform's latency targets", g, search.resolve("greedy.out"));
    List<String> om = new ArrayList<>(List.of("search", "ows"));
    om.addAll(List.of("--checkpoint", ckpt.toString(), "--cost", "macs", "--budgets", s.targets(), "--out",
        search.resolve("ows-macs.json").toString()));
    step("OWS dynamic programming under MACs budgets", om, search.resolve("ows-macs.out"));
    for (int i = 0; i < platforms.size(); i++) {
      Platform p = platforms.get(i);
      List<String> o = new ArrayList<>(List.of("search", "ows"));
      o.addAll(List.of("--checkpoint", ckpt.toString(), "--cost", "latency:" + tables.get(i), "--budgets",
          s.targets(), "--out", search.resolve("ows-" + p.name() + ".json").toString()));
      step("OWS under latency budgets of " + p.name(), o, search.resolve("ows-" + p.name() + ".out"));
    }
    List<String> mp = new ArrayList<>(List.of("search", "multiplatform", "--checkpoint", ckpt.toString()));
    for (int i = 0; i < platforms.size(); i++) {
      mp.addAll(List.of("--platform", platforms.get(i).name() + "=latency:" + tables.get(i) + "@" + DemoSettings.MULTI_BUDGET));
    }
    mp.addAll(List.of("--crp-alpha", "1", "--crp-seed", Long.toString(s.seed()), "--out",
        search.resolve("multiplatform.json").toString()));
    mp.addAll(data);
    step("multi-platform objective (shares from a Chinese restaurant process)", mp, search.resolve("multiplatform.out"));

    Path eval = out.resolve("eval");
    List<String> ev = new ArrayList<>(List.of("eval", "--checkpoint", ckpt.toString(), "--json"));
    step("evaluate uniform widths", concat(ev, List.of("--widths", DemoSettings.UNIFORM_WIDTHS)), eval.resolve("uniform.json"));
    List<String> searches = new ArrayList<>(List.of("greedy", "ows-macs"));
    for (Platform p : platforms) {
      searches.add("ows-" + p.name());
    }
    for (String name : searches) {
      step("evaluate " + name, concat(ev, List.of("--results", search.resolve(name + ".json").toString())),
          eval.resolve(name + ".json"));
    }

    terminal.println("slimj demo: writing the report");
    ChannelSpace space = Checkpoint.load(ckpt).model().space();
    DemoReport r = new DemoReport(out, space);
    r.text("# slimj demo report");
    r.text(String.format(Locale.ROOT, "Model %s at maximum width %s (%d slots), nonuniform supernet over widths %s of the"
        + " base network, trained %d epochs on %s (seed %d). Accuracy is on the test set after BN calibration;"
        + " searches used only the validation split held out of training.", DemoSettings.MODEL, DemoSettings.MAX_WIDTH,
        space.slots().size(), DemoSettings.WIDTH_RANGE, epochs, src.description(), s.seed()));
    List<EvalRows.Row> uniform = EvalRows.read(eval.resolve("uniform.json"));
    List<EvalRows.Row> greedy = EvalRows.read(eval.resolve("greedy.json"));
    List<DemoReport.Series> byMacs = List.of(
        new DemoReport.Series("uniform width", uniform, true),
        new DemoReport.Series("AutoSlim greedy (MACs)", labelled(greedy, "macs<="), false),
        new DemoReport.Series("OWS (MACs)", EvalRows.read(eval.resolve("ows-macs.json")), false));
    r.text("## Accuracy against MACs");
    r.accuracyAgainst("accuracy vs MACs", CostSpecs.parse("macs"), 1e6, "M", byMacs, "accuracy-vs-macs");
    for (int i = 0; i < platforms.size(); i++) {
      Platform p = platforms.get(i);
      CostModel lat = CostSpecs.parse("latency:" + tables.get(i));
      r.text("## Accuracy against latency on " + p.name() + " (" + p.backend() + ", " + p.threads() + " thread(s), batch 1)");
      r.accuracyAgainst("accuracy vs latency, " + p.name(), lat, 1, "ms", List.of(
          new DemoReport.Series("uniform width", uniform, true),
          new DemoReport.Series("OWS (" + p.name() + ")", EvalRows.read(eval.resolve("ows-" + p.name() + ".json")), false),
          new DemoReport.Series("AutoSlim greedy (" + p.name() + ")", labelled(greedy, lat.name() + "<="), false)),
          "accuracy-vs-latency-" + p.name());
    }
    r.text("## Latency tables and their validation\n\n" + DemoFacts.platforms(out.resolve("platforms"),
        platforms.stream().map(Platform::name).toList()));
    r.text("## Targets not reached\n\nA target below the cheapest configuration the supernet was trained on (a"
        + " platform whose latency does not shrink as far as its MACs) has no configuration:\n\n"
        + DemoFacts.unreached(search, searches));
    r.text("## One network for all platforms\n\n" + DemoFacts.multiPlatform(search.resolve("multiplatform.json")));
    r.text("## Commands\n\nEvery step is an ordinary command; rerun any of them alone:\n\n```\n" + String.join("\n", commands)
        + "\n```");
    r.text("## Wall time\n\n" + String.join("\n", timings) + String.format(Locale.ROOT, "\n- total: %.1f s",
        (System.nanoTime() - t0) / 1e9));
    Path report = r.write();
    terminal.printf(Locale.ROOT, "slimj demo: done in %.1f s; report %s%n", (System.nanoTime() - t0) / 1e9, report);
    return report;
  }

  private List<Platform> platforms() {
    List<Platform> p = new ArrayList<>();
    p.add(new Platform("scalar-1t", "scalar", 1));
    p.add(new Platform("vector-1t", "vector", 1));
    p.add(new Platform("vector-2t", "vector", 2));
    return p;
  }

  private void step(String title, List<String> given, Path outFile) throws IOException {
    List<String> args = withOptions(given);
    stepNo++;
    terminal.printf(Locale.ROOT, "slimj demo [%d] %s%n", stepNo, title);
    terminal.flush();
    long t = System.nanoTime();
    Path log = outFile.resolveSibling(outFile.getFileName().toString().replaceFirst("\\.[a-z]+$", "") + ".log");
    runner.run(args, outFile, log);
    double sec = (System.nanoTime() - t) / 1e9;
    commands.add("./slimj " + String.join(" ", args) + " > " + outFile);
    timings.add(String.format(Locale.ROOT, "- %s: %.1f s", title, sec));
  }

  /** {@code args} with the compute and progress options of the commands that take them. */
  private List<String> withOptions(List<String> args) {
    String cmd = args.get(0);
    String sub = args.size() > 1 ? args.get(1) : "";
    boolean computes = cmd.equals("train") || cmd.equals("eval")
        || (cmd.equals("search") && (sub.equals("greedy") || sub.equals("multiplatform")));
    List<String> a = new ArrayList<>(args);
    if (computes) {
      a.addAll(computeOptions);
    }
    if (noProgress && (cmd.equals("train") || sub.equals("greedy"))) {
      a.add("--no-progress");
    }
    return a;
  }

  private static List<EvalRows.Row> labelled(List<EvalRows.Row> rows, String prefix) {
    return rows.stream().filter(r -> r.label().startsWith(prefix)).toList();
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> c = new ArrayList<>(a);
    c.addAll(b);
    return c;
  }
}
