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
import org.slimj.search.cost.MemoryFootprintCost;
import org.slimj.search.cost.PeakActivationMemory;
import org.slimj.search.latency.LatencyTable;
import org.slimj.search.latency.LatencyTableFile;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ./slimj info}: per-layer channels, MACs, parameters and memory of a model at a width or
 * configuration, with every cost model's total (and latency from a table when one is given).
 */
@Command(
    name = "info",
    mixinStandardHelpOptions = true,
    description = {"Per layer: kind, input size, channels in/out, MACs, parameters and memory (weights + output map,"
        + " float32 bytes), with totals. MACs follow the papers' convention (conv and linear multiply-adds; BN"
        + " excluded). Also the peak live activation memory of batch-1 inference, and latency (ms per image) from"
        + " --latency-table."})
public final class InfoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin ModelOptions modelOptions;

  static final class Which {
    @Option(names = "--width", paramLabel = "W", description = "Uniform width multiplier (default: the --max-width).")
    Double width;

    @Option(names = "--config", paramLabel = "FILE", description = "JSON file with one channel count per slot.")
    Path config;
  }

  @ArgGroup(exclusive = true)
  Which which;

  @Option(names = "--latency-table", paramLabel = "FILE",
      description = "Latency table (./slimj profile) to add the predicted latency per layer and in total.")
  Path latencyTable;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    org.slimj.engine.models.ModelSpec ms = modelOptions.spec(BnKind.UNIVERSAL, new double[] {modelOptions.maxWidth});
    SlimModel m = ms.build(new SplittableRandom(0));
    ChannelSpace space = m.space();
    ChannelConfig cfg;
    if (which != null && which.config != null) {
      cfg = ConfigFiles.read(which.config, ms);
    } else {
      double w = which != null && which.width != null ? which.width : modelOptions.maxWidth;
      if (!(w > 0) || w > modelOptions.maxWidth + 1e-9) {
        throw new IllegalArgumentException("--width: expected a value in (0, " + modelOptions.maxWidth + "], found " + w);
      }
      cfg = space.uniform(w);
    }
    space.validate(cfg);
    LatencyTable table = null;
    if (latencyTable != null) {
      table = LatencyTableFile.read(latencyTable);
      table.requireCovers(space);
    }
    MemoryFootprintCost memory = new MemoryFootprintCost();
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
      r.put("memory_bytes", (long) memory.layerCost(l, l.cin(cfg), l.cout(cfg)));
      if (table != null) {
        r.put("latency_ms", table.layerCost(l, l.cin(cfg), l.cout(cfg)));
      }
      layers.add(r);
    }
    long macs = space.macs(cfg);
    long params = space.params(cfg);
    long memoryBytes = (long) memory.cost(space, cfg);
    long peakBytes = (long) new PeakActivationMemory().cost(space, cfg);
    Double latency = table != null ? table.cost(space, cfg) : null;
    if (json) {
      Map<String, Object> doc = new LinkedHashMap<>();
      doc.put("model", modelOptions.model);
      doc.put("config", cfg.toArray());
      doc.put("macs", macs);
      doc.put("params", params);
      doc.put("memory_bytes", memoryBytes);
      doc.put("peak_memory_bytes", peakBytes);
      if (table != null) {
        Map<String, Object> lat = new LinkedHashMap<>();
        lat.put("cost", table.name());
        lat.put("ms_per_image", latency);
        lat.put("scale", table.scale());
        lat.put("fixed_ms", table.fixedMs());
        lat.put("backend", table.provenance().backend());
        lat.put("threads", table.provenance().threads());
        lat.put("batch", table.provenance().batch());
        doc.put("latency", lat);
      }
      doc.put("layers", layers);
      out.println(new GsonBuilder().disableHtmlEscaping().create().toJson(doc));
      return 0;
    }
    out.printf(Locale.ROOT, "%-28s %-9s %6s %6s %6s %6s %14s %10s %12s%s%n", "layer", "kind", "k/s", "input", "cin",
        "cout", "MACs", "params", "memory B", table != null ? "   latency ms" : "");
    for (Map<String, Object> r : layers) {
      out.printf(Locale.ROOT, "%-28s %-9s %6s %6d %6d %6d %,14d %,10d %,12d%s%n", r.get("name"), r.get("kind"),
          r.get("kernel") + "/" + r.get("stride"), r.get("input_size"), r.get("cin"), r.get("cout"), r.get("macs"),
          r.get("params"), r.get("memory_bytes"),
          table != null ? String.format(Locale.ROOT, " %13.4f", (Double) r.get("latency_ms")) : "");
    }
    out.printf(Locale.ROOT, "%ntotal: %,d MACs (%.2f M), %,d parameters (%.3f M); configuration %s%n", macs, macs / 1e6,
        params, params / 1e6, java.util.Arrays.toString(cfg.toArray()));
    out.printf(Locale.ROOT, "memory: %,d bytes weights + feature maps (%.2f MB), peak live activations %,d bytes"
        + " (%.2f MB, batch 1)%n", memoryBytes, memoryBytes / 1e6, peakBytes, peakBytes / 1e6);
    if (table != null) {
      out.printf(Locale.ROOT, "latency: %.4f ms per image on %s (%s, %d thread(s), batch %d; layer terms scaled by"
          + " %.3f, fixed term %.4f ms)%n", latency, table.name(), table.provenance().backend(),
          table.provenance().threads(), table.provenance().batch(), table.scale(), table.fixedMs());
    }
    return 0;
  }
}
