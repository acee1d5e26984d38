package org.slimj.search.latency;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerSpec;
import org.slimj.search.cost.LayerwiseCost;

/**
 * A platform's latency model as a table (AOWS, Berman et al. CVPR 2020 §3.1): a network's latency
 * is the sum of its layers' terms, each looked up by the layer's {@link LayerSignature} and
 * bilinearly interpolated between measured (cin, cout) grid points ({@link LatencyGrid}), plus one
 * fixed term for what no layer owns (the model's own per-call work, measured end to end when the
 * table was made). A layer's term is its convolution (or linear map) with its batch norm,
 * activation, residual add and preceding global pooling, run in evaluation mode.
 *
 * <p>Unit: milliseconds <b>per image</b> (the time of one call on a batch of {@link
 * Provenance#batch()} images, divided by the batch). Layer terms alone ({@link #layerCost}) miss
 * the fixed term; {@link #cost} includes it. The fixed term does not depend on the configuration,
 * so exact searches over the layer terms find the same optimum.
 */
public final class LatencyTable implements LayerwiseCost {
  private final Provenance provenance;
  private final Map<LayerSignature, LatencyGrid> entries;
  private final double fixedMs;

  /** A table of {@code entries} (copied) plus {@code fixedMs} per image, measured as {@code provenance} says. */
  public LatencyTable(Provenance provenance, Map<LayerSignature, LatencyGrid> entries, double fixedMs) {
    if (provenance == null) {
      throw new IllegalArgumentException("latency table: provenance is required");
    }
    if (!Double.isFinite(fixedMs)) {
      throw new IllegalArgumentException("latency table: fixed term must be finite, found " + fixedMs);
    }
    this.provenance = provenance;
    this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    this.fixedMs = fixedMs;
  }

  /** How and where the table was measured. */
  public Provenance provenance() {
    return provenance;
  }

  /** The entries, in the order they were measured. */
  public Map<LayerSignature, LatencyGrid> entries() {
    return entries;
  }

  /** The fixed term, ms per image (may be negative when layers measured alone run slower than in the network). */
  public double fixedMs() {
    return fixedMs;
  }

  /** This table with another fixed term. */
  public LatencyTable withFixedMs(double fixed) {
    return new LatencyTable(provenance, entries, fixed);
  }

  @Override
  public String name() {
    return "latency:" + provenance.platform();
  }

  @Override
  public String unit() {
    return "ms";
  }

  @Override
  public double layerCost(LayerSpec layer, int cin, int cout) {
    LatencyGrid g = entries.get(LayerSignature.of(layer));
    if (g == null) {
      throw new IllegalArgumentException(
          "latency table " + name() + " has no entry for layer " + layer.name() + " (" + LayerSignature.of(layer)
              + "); profile this model on the platform");
    }
    return g.at(cin, cout);
  }

  @Override
  public double cost(ChannelSpace space, ChannelConfig cfg) {
    return LayerwiseCost.super.cost(space, cfg) + fixedMs;
  }

  /** Layers of {@code space} whose signature has no entry (empty when the table covers the space). */
  public List<String> missing(ChannelSpace space) {
    List<String> out = new ArrayList<>();
    for (LayerSpec l : space.layers()) {
      if (!entries.containsKey(LayerSignature.of(l))) {
        out.add(l.name() + " (" + LayerSignature.of(l) + ")");
      }
    }
    return out;
  }

  /** Checks that the table covers every layer of {@code space}; the message lists what is missing. */
  public void requireCovers(ChannelSpace space) {
    List<String> m = missing(space);
    if (!m.isEmpty()) {
      throw new IllegalArgumentException("latency table " + name() + " has no entry for " + m.size() + " layer(s): "
          + String.join(", ", m));
    }
  }
}
