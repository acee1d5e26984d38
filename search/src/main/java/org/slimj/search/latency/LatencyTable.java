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
 * is the sum of its layers' terms plus one fixed term. A layer's term is {@code scale} times the
 * entry of the layer's {@link LayerSignature}, bilinearly interpolated between measured (cin, cout)
 * grid points ({@link LatencyGrid}); the entry is the time of the layer's convolution (or linear
 * map) with its batch norm, activation, residual add and preceding global pooling, run alone in
 * evaluation mode. {@code scale} and the fixed term are fitted to whole-network runs when the
 * table is made: a layer runs slower inside the network than alone (its weights and input are no
 * longer in cache), about in proportion to its time, and the network has per-call work no layer
 * owns.
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
  private final double scale;

  /**
   * A table of {@code entries} (copied), scale 1, plus {@code fixedMs} per image.
   *
   * @throws IllegalArgumentException if {@code fixedMs} is negative or not finite
   */
  public LatencyTable(Provenance provenance, Map<LayerSignature, LatencyGrid> entries, double fixedMs) {
    this(provenance, entries, 1.0, fixedMs);
  }

  /**
   * A table of {@code entries} (copied) whose layer terms are {@code scale} times the entries, plus
   * {@code fixedMs} per image, measured as {@code provenance} says.
   */
  public LatencyTable(Provenance provenance, Map<LayerSignature, LatencyGrid> entries, double scale, double fixedMs) {
    if (provenance == null) {
      throw new IllegalArgumentException("latency table: provenance is required");
    }
    if (!Double.isFinite(fixedMs) || fixedMs < 0) {
      throw new IllegalArgumentException("latency table: expected a finite fixed term >= 0 ms (a network takes at least"
          + " its layers' time, so no prediction may be negative), found " + fixedMs);
    }
    if (!(scale > 0) || !Double.isFinite(scale)) {
      throw new IllegalArgumentException("latency table: scale must be positive and finite, found " + scale);
    }
    this.scale = scale;
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

  /** The fixed term, ms per image, never negative: every prediction is at least the layers' time. */
  public double fixedMs() {
    return fixedMs;
  }

  /** The factor from an entry (a layer timed alone) to the layer's term (inside the network). */
  public double scale() {
    return scale;
  }

  /** This table with another scale and fixed term. */
  public LatencyTable withFit(double newScale, double fixed) {
    return new LatencyTable(provenance, entries, newScale, fixed);
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
    return scale * g.at(cin, cout);
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
