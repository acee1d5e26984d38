package org.slimj.engine.export;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slimj.engine.space.Activation;
import org.slimj.engine.graph.OpKind;

/**
 * One layer of an exported network (an entry of {@code layers} in {@code model.json}): a
 * convolution with its folded bias, a fully connected layer, or a parameter-free op, reading the
 * output of an earlier layer (or the network input, -1).
 *
 * @param name dotted layer path
 * @param kind what the layer computes
 * @param input index of the layer read, -1 for the network input
 * @param residual for {@code add}: index of the earlier output added to the input (-1: network
 *     input); -2 for other kinds
 * @param kernel kernel size (conv, depthwise), else 0
 * @param stride stride (conv, depthwise, shortcut), else 0
 * @param pad zero padding on each side (conv, depthwise), else 0
 * @param cin input channels (features)
 * @param cout output channels (features)
 * @param activation applied to the output
 * @param weight name of the weight tensor (conv, depthwise, linear), else null
 * @param bias name of the bias tensor, or null for none
 */
public record ExportedLayer(
    String name,
    OpKind kind,
    int input,
    int residual,
    int kernel,
    int stride,
    int pad,
    int cin,
    int cout,
    Activation activation,
    String weight,
    String bias) {

  /** The layer as a JSON-ready map with only the fields its kind uses. */
  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("kind", kind.jsonName());
    m.put("input", input);
    if (kind == OpKind.ADD) {
      m.put("residual", residual);
    }
    if (kind == OpKind.CONV || kind == OpKind.DEPTHWISE) {
      m.put("kernel", kernel);
      m.put("stride", stride);
      m.put("padding", pad);
    }
    if (kind == OpKind.SHORTCUT) {
      m.put("stride", stride);
    }
    m.put("cin", cin);
    m.put("cout", cout);
    m.put("activation", activation.jsonName());
    if (weight != null) {
      m.put("weight", weight);
    }
    if (bias != null) {
      m.put("bias", bias);
    }
    return m;
  }
}
