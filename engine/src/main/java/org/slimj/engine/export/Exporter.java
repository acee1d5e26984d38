package org.slimj.engine.export;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slimj.engine.graph.TracedLayer;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/**
 * Turns a slimmable model at one configuration into a standalone network: the trace of its
 * forward pass ({@link SlimModel#trace}) with every weight sliced to the active channels and batch
 * norm folded into the convolutions ({@link BnFolding}), using the statistics eval-mode forward
 * would use at that configuration (switchable BN: the switch's; universal BN: the configuration's
 * calibrated statistics, so calibrate first; shared BN: the running statistics).
 */
public final class Exporter {
  private Exporter() {}

  /**
   * A network ready to write: its description and its tensors (contiguous, in layer order).
   *
   * @param spec the description
   * @param tensors every tensor the description names
   */
  public record ExportedModel(NetworkSpec spec, Map<String, Tensor> tensors) {}

  /**
   * Exports {@code model} at {@code cfg} for images {@code [inChannels, inputSize, inputSize]}.
   *
   * @param normalization {@code {mean, std}} per image channel applied to the inputs the model was
   *     trained on, or null
   * @param source provenance recorded in the description (strings, integers, lists, maps); the
   *     configuration is added as {@code config} and {@code switch_index}
   * @throws IllegalStateException if a batch norm has no statistics for {@code cfg}
   */
  public static ExportedModel export(SlimModel model, ChannelConfig cfg, int inChannels, int inputSize,
      float[][] normalization, Map<String, Object> source) {
    List<TracedLayer> trace = model.trace(cfg);
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    String mean = null;
    String std = null;
    if (normalization != null) {
      if (normalization.length != 2 || normalization[0].length != inChannels
          || normalization[1].length != inChannels) {
        throw new IllegalArgumentException("normalization: expected {mean, std} of " + inChannels
            + " channels each");
      }
      mean = "input.mean";
      std = "input.std";
      tensors.put(mean, Tensor.of(normalization[0].clone(), inChannels));
      tensors.put(std, Tensor.of(normalization[1].clone(), inChannels));
    }
    List<ExportedLayer> layers = new ArrayList<>();
    for (TracedLayer l : trace) {
      String weight = null;
      String bias = null;
      if (l.kind().hasWeight()) {
        BnFolding.Folded f = BnFolding.fold(l, cfg);
        weight = l.name() + ".weight";
        tensors.put(weight, f.weight());
        if (f.bias() != null) {
          bias = l.name() + ".bias";
          tensors.put(bias, f.bias());
        }
      }
      layers.add(new ExportedLayer(l.name(), l.kind(), l.input(), l.residual(), l.kernel(), l.stride(), l.pad(),
          l.cin(), l.cout(), l.activation(), weight, bias));
    }
    Map<String, Object> src = new LinkedHashMap<>(source == null ? Map.of() : source);
    List<Object> config = new ArrayList<>();
    for (int c : cfg.toArray()) {
      config.add(c);
    }
    src.put("config", config);
    src.put("switch_index", cfg.switchIndex());
    NetworkSpec spec = new NetworkSpec(inChannels, inputSize, inputSize, model.classes(), mean, std, layers, src);
    spec.validate();
    return new ExportedModel(spec, tensors);
  }
}
