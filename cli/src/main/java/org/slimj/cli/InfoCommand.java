package org.slimj.cli;

import com.google.gson.GsonBuilder;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerSpec;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ./slimj info}: per-layer channels, MACs and parameters of a model at a width or configuration. */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = "Per layer: kind, input size, channels in/out, MACs and parameters, with totals. MACs follow"
        + " the papers' convention (conv and linear multiply-adds; BN excluded).")
public final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  static final class Which {
    @Option(names = "--width", paramLabel = "W", description = "Uniform width multiplier (default 1.0).")
    Double width;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file with one channel count per slot.")
    Path config;
  }

  @ArgGroup(exclusive = true)
  Which which;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    SlimModel m = modelOptions.spec(BnKind.UNIVERSAL, new double[] {modelOptions.maxWidth}).build(new SplittableRandom(0));
    ChannelSpace space = m.space();
    ChannelConfig cfg;
    if (which != null && which.config != null) {
      cfg = ConfigFiles.read(which.config);
    } else {
      double w = which != null && which.width != null ? which.width : 1.0;
      if (!(w > 0) || w > modelOptions.maxWidth + 1e-9) {
        throw new IllegalArgumentException("--width: expected a value in (0, " + modelOptions.maxWidth + "], found " + w);
      }
      cfg = space.uniform(w);
    }
    space.validate(cfg);
    List<Map<String, Object>> layers = new ArrayList<>();
    for (LayerSpec l : space.layers()) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("name", l.name());
      r.put("kind", l.kind().name().toLowerCase(Locale.ROOT));
      r.put("kernel", l.kernel());
      r.put("stride", l.stride());
      r.put("input_size", l.inputSize());
      r.put("cin", l.cin(cfg));
      r.put("cout", l.cout(cfg));
      r.put("macs", l.macs(cfg));
      r.put("params", l.params(cfg));
      layers.add(r);
    }
    long macs = space.macs(cfg);
    long params = space.params(cfg);
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("model", modelOptions.model);
      doc.put("config", cfg.toArray());
      doc.put("macs", macs);
      doc.put("params", params);
      doc.put("layers", layers);
      out.println(new GsonBuilder().create().toJson(doc));
      return 0;
    }
    out.printf(Locale.ROOT, "%-28s %-9s %6s %6s %6s %6s %14s %10s%n", "layer", "kind", "k/s", "input", "cin", "cout",
        "MACs", "params");
    for (Map<String, Object> r : layers) {
      out.printf(Locale.ROOT, "%-28s %-9s %6s %6d %6d %6d %,14d %,10d%n", r.get("name"), r.get("kind"),
          r.get("kernel") + "/" + r.get("stride"), r.get("input_size"), r.get("cin"), r.get("cout"), r.get("macs"),
          r.get("params"));
    }
    out.printf(Locale.ROOT, "%ntotal: %,d MACs (%.2f M), %,d parameters (%.3f M); configuration %s%n", macs, macs / 1e6,
        params, params / 1e6, java.util.Arrays.toString(cfg.toArray()));
    return 0;
  }
}
