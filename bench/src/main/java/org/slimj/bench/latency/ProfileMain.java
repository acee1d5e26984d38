package org.slimj.bench.latency;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.search.latency.LatencyTable;
import org.slimj.search.latency.LatencyTableFile;

/**
 * Profiles a latency table from the bench module alone, so a machine with only a JDK can make one
 * with the shaded jar and send it back as a platform:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp benchmarks.jar org.slimj.bench.latency.ProfileMain \
 *     --model mobilenetv2 --input 32 --in-channels 3 --classes 10 --backend vector --threads 4 \
 *     --batch 1 --grid 4 --out arm-4t.json [--platform NAME] [--clock wall|thread-cpu]
 * </pre>
 *
 * The options and the table are those of {@code ./slimj profile} (default timings).
 */
public final class ProfileMain {
  private static final Set<String> KNOWN = Set.of("--model", "--max-width", "--input", "--in-channels", "--classes",
      "--backend", "--threads", "--batch", "--grid", "--out", "--platform", "--clock", "--seed");

  private ProfileMain() {}

  /** Runs a profile; exits with 2 on bad arguments. */
  public static void main(String[] args) throws IOException {
    Map<String, String> o = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      if (!KNOWN.contains(args[i]) || i + 1 >= args.length) {
        System.err.println("profile: expected --option value pairs among " + KNOWN + ", found '" + args[i] + "'");
        System.exit(2);
      }
      o.put(args[i], args[i + 1]);
    }
    if (!o.containsKey("--model") || !o.containsKey("--out")) {
      System.err.println("profile: --model and --out are required");
      System.exit(2);
    }
    ModelSpec spec = new ModelSpec(o.get("--model"), Double.parseDouble(o.getOrDefault("--max-width", "1.0")),
        Integer.parseInt(o.getOrDefault("--in-channels", "1")), Integer.parseInt(o.getOrDefault("--input", "28")),
        Integer.parseInt(o.getOrDefault("--classes", "10")), BnKind.SHARED,
        new double[] {Double.parseDouble(o.getOrDefault("--max-width", "1.0"))});
    int threads = Integer.parseInt(o.getOrDefault("--threads", "1"));
    int batch = Integer.parseInt(o.getOrDefault("--batch", "1"));
    int grid = Integer.parseInt(o.getOrDefault("--grid", "4"));
    long seed = Long.parseLong(o.getOrDefault("--seed", "1"));
    TimingClock clock = TimingClock.parse(o.getOrDefault("--clock", "wall"));
    Backends.Choice choice = Backends.choose(o.getOrDefault("--backend", "auto"), threads);
    System.err.println("slimj: " + choice.reason());
    Kernels k = choice.kernels();
    clock.requireUsableWith(k.threads());
    MedianTimer timer = new MedianTimer(40, 25, 5, clock);
    double warmup = 4;
    String method = timer.describe() + "; whole-network warm-up " + warmup + " s; grid " + grid
        + " points per axis, linear from the smallest of 10 channel groups to the maximum, bilinear between; scale and"
        + " fixed term fitted to 8 whole-network runs; model " + spec + "; ProfileMain";
    LatencyTable t = new LatencyProfiler(k, batch, grid, timer, warmup).profile(new NetworkRunner(k, spec, batch, seed),
        Platform.here(o.get("--platform"), k.name(), k.threads(), batch, clock, method), 8, seed, System.out::println);
    LatencyTableFile.write(Path.of(o.get("--out")), t);
    System.out.println("wrote " + o.get("--out") + ": " + t.entries().size() + " entries, platform " + t.name());
  }
}
