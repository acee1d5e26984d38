package org.slimj.engine.export;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slimj.engine.space.Activation;
import org.slimj.engine.graph.OpKind;
import org.slimj.engine.io.Json;
import org.slimj.engine.io.JsonException;

/**
 * The JSON description of an exported network ({@code model.json}): enough, with the tensors of
 * {@code model.safetensors}, for any tool to rebuild and run it.
 *
 * <pre>{@code
 * {"format": "slimj-exported-network", "version": 1,
 *  "input": {"channels": 1, "height": 28, "width": 28}, "classes": 10,
 *  "normalization": {"mean": "input.mean", "std": "input.std"},      (optional)
 *  "layers": [
 *    {"name": "stem.conv", "kind": "conv", "input": -1, "kernel": 3, "stride": 1, "padding": 1,
 *     "cin": 1, "cout": 12, "activation": "relu", "weight": "stem.conv.weight", "bias": "stem.conv.bias"},
 *    {"name": "blocks.1.add", "kind": "add", "input": 7, "residual": 4, "cin": 24, "cout": 24, "activation": "none"},
 *    ...],
 *  "source": {...}}                                                    (provenance, free-form)
 * }</pre>
 *
 * <p>Layers run in order; {@code input} (and {@code residual} of an add) index earlier layers, -1
 * being the network input (NCHW, already normalised by {@code (x - mean[c]) / std[c]} when a
 * normalization is given). Kinds: {@code conv} (weight {@code [cout, cin, k, k]}), {@code
 * depthwise} (weight {@code [c, 1, k, k]}), {@code linear} (weight {@code [cout, cin]} on {@code
 * [N, cin]}), each with an optional bias {@code [cout]} and then the activation ({@code none},
 * {@code relu}, {@code relu6}); {@code add} (input + residual, then the activation); {@code
 * shortcut} (subsample by the stride, keep the first min(cin, cout) channels, zero channels up to
 * cout); {@code pool} (global average, {@code [N, C, H, W] -> [N, C]}); {@code flatten} ({@code
 * [N, C, H, W] -> [N, C*H*W]}). Convolutions pad with zeros on each side and use the stride on
 * both axes; output size {@code (h + 2 pad - k) / stride + 1}. The last layer's output is the
 * logits {@code [N, classes]}. Batch norm is already folded into the convolutions.
 *
 * @param inChannels image channels
 * @param height image height
 * @param width image width
 * @param classes number of classes (the last layer's output features)
 * @param meanTensor name of the per-channel normalization mean tensor {@code [C]}, or null
 * @param stdTensor name of the per-channel normalization standard deviation tensor, or null
 * @param layers the layers in execution order
 * @param source where the network came from (free-form JSON values: strings, integers, lists, maps)
 */
public record NetworkSpec(int inChannels, int height, int width, int classes, String meanTensor, String stdTensor,
    List<ExportedLayer> layers, Map<String, Object> source) {

  /** The {@code format} value. */
  public static final String FORMAT = "slimj-exported-network";

  /** The {@code version} this code writes and reads. */
  public static final int VERSION = 1;

  /** Largest channel / feature count accepted. */
  static final int MAX_CHANNELS = 1 << 20;

  /** Largest image side accepted. */
  static final int MAX_SIDE = 1 << 14;

  /** Largest kernel accepted. */
  static final int MAX_KERNEL = 64;

  /** Largest number of values of one layer's output for one image (64 MiB of floats). */
  public static final long MAX_ACTIVATION = 1L << 24;

  /**
   * Largest number of values of all layers' outputs for one image (128 MiB of floats): the runner
   * keeps them all, so a batch of N images needs N times this. A ResNet-50 at 224x224 holds about
   * 2^24.
   */
  public static final long MAX_TOTAL_ACTIVATION = 1L << 25;

  /**
   * Largest number of multiply-adds of the whole network for one image (about 69 G; a ResNet-50 at
   * 224x224 needs 4 G): a description that asks for more would run for hours, not fail.
   */
  public static final long MAX_MACS = 1L << 36;

  /** Largest number of layers accepted. */
  static final int MAX_LAYERS = 100_000;

  /**
   * The shape of one layer's output for one image: {@code [c, h, w]} when {@code rank == 4}, {@code
   * [c]} when {@code rank == 2}.
   *
   * @param rank 4 (images) or 2 (features)
   * @param c channels or features
   * @param h height (1 for rank 2)
   * @param w width (1 for rank 2)
   */
  public record Shape(int rank, int c, int h, int w) {
    /** Values per image. */
    public long volume() {
      return (long) c * h * w;
    }

    @Override
    public String toString() {
      return rank == 4 ? "[N, " + c + ", " + h + ", " + w + "]" : "[N, " + c + "]";
    }
  }

  public NetworkSpec {
    layers = List.copyOf(layers);
    source = source == null ? Map.of() : new LinkedHashMap<>(source);
  }

  /**
   * Checks the whole description (fields in range, inputs index earlier layers, channel counts
   * agree along the graph, kernels fit, the output is {@code [N, classes]}) and returns each
   * layer's output shape.
   *
   * @throws IllegalArgumentException naming the layer and field that is wrong
   */
  public List<Shape> validate() {
    requireRange(inChannels, 1, MAX_CHANNELS, "input.channels");
    requireRange(height, 1, MAX_SIDE, "input.height");
    requireRange(width, 1, MAX_SIDE, "input.width");
    requireRange(classes, 1, MAX_CHANNELS, "classes");
    if ((meanTensor == null) != (stdTensor == null)) {
      throw new IllegalArgumentException("normalization: expected both mean and std tensors, found only one");
    }
    if (layers.isEmpty() || layers.size() > MAX_LAYERS) {
      throw new IllegalArgumentException("layers: expected 1 to " + MAX_LAYERS + " layers, found " + layers.size());
    }
    Shape in = new Shape(4, inChannels, height, width);
    List<Shape> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    Set<String> tensors = new HashSet<>();
    if (meanTensor != null) {
      tensors.add(meanTensor);
      if (!tensors.add(stdTensor)) {
        throw new IllegalArgumentException("normalization: mean and std name the same tensor '" + meanTensor + "'");
      }
    }
    long total = 0;
    long macs = 0;
    for (int i = 0; i < layers.size(); i++) {
      ExportedLayer l = layers.get(i);
      String where = "layers[" + i + "]" + (l.name() == null ? "" : " (" + l.name() + ")");
      if (l.name() == null || l.name().isEmpty() || !names.add(l.name())) {
        throw new IllegalArgumentException(where + ".name: expected a non-empty unique name, found "
            + (l.name() == null ? "none" : "'" + l.name() + "'"));
      }
      for (String t : new String[] {l.weight(), l.bias()}) {
        if (t != null && (t.isEmpty() || !tensors.add(t))) {
          throw new IllegalArgumentException(where + ": tensor name '" + t + "' is empty or used twice");
        }
      }
      Shape x = inputShape(l.input(), i, in, out, where + ".input");
      Shape y = outputShape(l, x, i, in, out, where);
      if (y.volume() > MAX_ACTIVATION) {
        throw new IllegalArgumentException(where + ": output " + y + " has more than " + MAX_ACTIVATION
            + " values per image");
      }
      total += y.volume();
      if (total > MAX_TOTAL_ACTIVATION) {
        throw new IllegalArgumentException(where + ": the outputs up to this layer hold " + total
            + " values per image, expected at most " + MAX_TOTAL_ACTIVATION + " (" + (MAX_TOTAL_ACTIVATION * 4 >> 20)
            + " MiB)");
      }
      macs += macs(l, y);
      if (macs > MAX_MACS) {
        throw new IllegalArgumentException(where + ": the layers up to this one need " + macs
            + " multiply-adds per image, expected at most " + MAX_MACS);
      }
      out.add(y);
    }
    Shape last = out.get(out.size() - 1);
    if (last.rank() != 2 || last.c() != classes) {
      throw new IllegalArgumentException("layers: the last layer's output must be [N, classes] = [N, " + classes
          + "], found " + last);
    }
    return out;
  }

  private static Shape inputShape(int index, int i, Shape in, List<Shape> out, String where) {
    if (index < -1 || index >= i) {
      throw new IllegalArgumentException(where + ": expected -1 (network input) or an earlier layer in [0, " + i
          + "), found " + index);
    }
    return index == -1 ? in : out.get(index);
  }

  private static Shape outputShape(ExportedLayer l, Shape x, int i, Shape in, List<Shape> out, String where) {
    if (l.kind() == null) {
      throw new IllegalArgumentException(where + ".kind: missing");
    }
    if (l.activation() == null) {
      throw new IllegalArgumentException(where + ".activation: missing");
    }
    requireRange(l.cin(), 1, MAX_CHANNELS, where + ".cin");
    requireRange(l.cout(), 1, MAX_CHANNELS, where + ".cout");
    if (l.cin() != x.c()) {
      throw new IllegalArgumentException(where + ".cin: the input " + x + " has " + x.c() + " channels, found cin "
          + l.cin());
    }
    boolean weighted = l.kind().hasWeight();
    if (weighted != (l.weight() != null) || (!weighted && l.bias() != null)) {
      throw new IllegalArgumentException(where + ": a " + l.kind().jsonName() + " layer "
          + (weighted ? "needs a weight tensor" : "has no weight or bias tensor") + ", found weight "
          + l.weight() + ", bias " + l.bias());
    }
    if (l.kind() != OpKind.ADD && l.residual() != -2) {
      throw new IllegalArgumentException(where + ".residual: only an add has a residual link");
    }
    boolean activates = l.kind() == OpKind.CONV || l.kind() == OpKind.DEPTHWISE || l.kind() == OpKind.LINEAR
        || l.kind() == OpKind.ADD;
    if (!activates && l.activation() != Activation.NONE) {
      throw new IllegalArgumentException(where + ".activation: a " + l.kind().jsonName()
          + " layer has none, found " + l.activation().jsonName());
    }
    switch (l.kind()) {
      case CONV, DEPTHWISE -> {
        requireRank(x, 4, where);
        requireRange(l.kernel(), 1, MAX_KERNEL, where + ".kernel");
        requireRange(l.stride(), 1, MAX_SIDE, where + ".stride");
        requireRange(l.pad(), 0, MAX_KERNEL, where + ".padding");
        if (x.h() + 2 * l.pad() < l.kernel() || x.w() + 2 * l.pad() < l.kernel()) {
          throw new IllegalArgumentException(where + ".kernel: " + l.kernel() + " is larger than the padded input "
              + (x.h() + 2 * l.pad()) + "x" + (x.w() + 2 * l.pad()));
        }
        if (l.kind() == OpKind.DEPTHWISE && l.cout() != l.cin()) {
          throw new IllegalArgumentException(where + ".cout: a depthwise layer keeps its " + l.cin()
              + " channels, found cout " + l.cout());
        }
        return new Shape(4, l.cout(), (x.h() + 2 * l.pad() - l.kernel()) / l.stride() + 1,
            (x.w() + 2 * l.pad() - l.kernel()) / l.stride() + 1);
      }
      case LINEAR -> {
        requireRank(x, 2, where);
        return new Shape(2, l.cout(), 1, 1);
      }
      case ADD -> {
        Shape r = inputShape(l.residual(), i, in, out, where + ".residual");
        if (!r.equals(x) || l.cout() != l.cin()) {
          throw new IllegalArgumentException(where + ": an add needs inputs of one shape and cout = cin, found "
              + x + " + " + r + ", cout " + l.cout());
        }
        return x;
      }
      case SHORTCUT -> {
        requireRank(x, 4, where);
        requireRange(l.stride(), 1, MAX_SIDE, where + ".stride");
        return new Shape(4, l.cout(), (x.h() - 1) / l.stride() + 1, (x.w() - 1) / l.stride() + 1);
      }
      case POOL -> {
        requireRank(x, 4, where);
        if (l.cout() != l.cin()) {
          throw new IllegalArgumentException(where + ".cout: pooling keeps " + l.cin() + " channels, found "
              + l.cout());
        }
        return new Shape(2, l.cout(), 1, 1);
      }
      case FLATTEN -> {
        requireRank(x, 4, where);
        if (l.cout() != x.volume()) {
          throw new IllegalArgumentException(where + ".cout: flattening " + x + " gives " + x.volume()
              + " features, found " + l.cout());
        }
        return new Shape(2, l.cout(), 1, 1);
      }
    }
    throw new AssertionError(l.kind());
  }

  /** Multiply-adds of layer {@code l} with output {@code y} for one image (every factor is already bounded). */
  private static long macs(ExportedLayer l, Shape y) {
    return switch (l.kind()) {
      case CONV -> y.volume() * l.cin() * l.kernel() * l.kernel();
      case DEPTHWISE -> y.volume() * l.kernel() * l.kernel();
      case LINEAR -> (long) l.cin() * l.cout();
      default -> y.volume();
    };
  }

  private static void requireRank(Shape x, int rank, String where) {
    if (x.rank() != rank) {
      throw new IllegalArgumentException(where + ": expected an input of rank " + rank + ", found " + x);
    }
  }

  private static void requireRange(int v, int lo, int hi, String where) {
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(where + ": expected an integer in [" + lo + ", " + hi + "], found " + v);
    }
  }

  /**
   * The tensors the layers and the normalization need, by name, with their shapes, in layer order.
   */
  public Map<String, int[]> tensorShapes() {
    Map<String, int[]> m = new LinkedHashMap<>();
    if (meanTensor != null) {
      m.put(meanTensor, new int[] {inChannels});
      m.put(stdTensor, new int[] {inChannels});
    }
    for (ExportedLayer l : layers) {
      if (l.weight() != null) {
        m.put(l.weight(), switch (l.kind()) {
          case CONV -> new int[] {l.cout(), l.cin(), l.kernel(), l.kernel()};
          case DEPTHWISE -> new int[] {l.cout(), 1, l.kernel(), l.kernel()};
          default -> new int[] {l.cout(), l.cin()};
        });
      }
      if (l.bias() != null) {
        m.put(l.bias(), new int[] {l.cout()});
      }
    }
    return m;
  }

  /** The document as JSON, one layer per line. */
  public String toJson() {
    StringBuilder b = new StringBuilder("{\n");
    b.append("  \"format\": ").append(Json.write(FORMAT)).append(",\n");
    b.append("  \"version\": ").append(VERSION).append(",\n");
    Map<String, Object> input = new LinkedHashMap<>();
    input.put("channels", inChannels);
    input.put("height", height);
    input.put("width", width);
    b.append("  \"input\": ").append(Json.write(input)).append(",\n");
    b.append("  \"classes\": ").append(classes).append(",\n");
    if (meanTensor != null) {
      Map<String, Object> n = new LinkedHashMap<>();
      n.put("mean", meanTensor);
      n.put("std", stdTensor);
      b.append("  \"normalization\": ").append(Json.write(n)).append(",\n");
    }
    b.append("  \"layers\": [\n");
    for (int i = 0; i < layers.size(); i++) {
      b.append("    ").append(Json.write(layers.get(i).toJson())).append(i + 1 < layers.size() ? ",\n" : "\n");
    }
    b.append("  ],\n");
    b.append("  \"source\": ").append(Json.write(source)).append("\n}\n");
    return b.toString();
  }

  /**
   * Parses and validates {@code model.json}; {@code file} names it in errors.
   *
   * @throws ExportFormatException naming the file and the field that is wrong
   */
  public static NetworkSpec parse(String text, String file) throws ExportFormatException {
    try {
      Map<String, Object> root = object(Json.parse(text), "the document");
      requireKeys(root, "the document", Set.of("format", "version", "input", "classes", "layers"),
          Set.of("normalization", "source"));
      String format = string(root, "format", "");
      if (!FORMAT.equals(format)) {
        throw new IllegalArgumentException("format: expected '" + FORMAT + "', found '" + format + "'");
      }
      int version = integer(root, "version", "");
      if (version != VERSION) {
        throw new IllegalArgumentException("version: expected " + VERSION + ", found " + version);
      }
      Map<String, Object> input = object(root.get("input"), "input");
      requireKeys(input, "input", Set.of("channels", "height", "width"), Set.of());
      String mean = null;
      String std = null;
      if (root.containsKey("normalization")) {
        Map<String, Object> n = object(root.get("normalization"), "normalization");
        requireKeys(n, "normalization", Set.of("mean", "std"), Set.of());
        mean = string(n, "mean", "normalization.");
        std = string(n, "std", "normalization.");
      }
      Object ls = root.get("layers");
      if (!(ls instanceof List<?> list)) {
        throw new IllegalArgumentException("layers: expected an array, found " + describe(ls));
      }
      List<ExportedLayer> layers = new ArrayList<>();
      for (int i = 0; i < list.size(); i++) {
        layers.add(layer(list.get(i), "layers[" + i + "]"));
      }
      Map<String, Object> source = root.containsKey("source") ? object(root.get("source"), "source") : Map.of();
      NetworkSpec spec = new NetworkSpec(integer(input, "channels", "input."), integer(input, "height", "input."),
          integer(input, "width", "input."), integer(root, "classes", ""), mean, std, layers, source);
      spec.validate();
      return spec;
    } catch (JsonException | IllegalArgumentException e) {
      throw new ExportFormatException(file, e.getMessage(), e);
    }
  }

  private static ExportedLayer layer(Object o, String where) {
    Map<String, Object> m = object(o, where);
    Object nameValue = m.get("name");
    String w = where + (nameValue instanceof String s ? " (" + s + ")" : "");
    OpKind kind = OpKind.parse(string(m, "kind", w + "."), w + ".kind");
    Set<String> required = new HashSet<>(Set.of("name", "kind", "input", "cin", "cout", "activation"));
    switch (kind) {
      case CONV, DEPTHWISE -> required.addAll(Set.of("kernel", "stride", "padding", "weight"));
      case LINEAR -> required.add("weight");
      case ADD -> required.add("residual");
      case SHORTCUT -> required.add("stride");
      default -> { }
    }
    requireKeys(m, w, required, kind.hasWeight() ? Set.of("bias") : Set.of());
    return new ExportedLayer(
        string(m, "name", w + "."),
        kind,
        integer(m, "input", w + "."),
        kind == OpKind.ADD ? integer(m, "residual", w + ".") : -2,
        m.containsKey("kernel") ? integer(m, "kernel", w + ".") : 0,
        m.containsKey("stride") ? integer(m, "stride", w + ".") : 0,
        m.containsKey("padding") ? integer(m, "padding", w + ".") : 0,
        integer(m, "cin", w + "."),
        integer(m, "cout", w + "."),
        Activation.parse(string(m, "activation", w + "."), w + ".activation"),
        m.containsKey("weight") ? string(m, "weight", w + ".") : null,
        m.containsKey("bias") ? string(m, "bias", w + ".") : null);
  }

  private static void requireKeys(Map<String, Object> m, String where, Set<String> required, Set<String> optional) {
    for (String k : required) {
      if (!m.containsKey(k)) {
        throw new IllegalArgumentException(where + ": missing field '" + k + "'");
      }
    }
    for (String k : m.keySet()) {
      if (!required.contains(k) && !optional.contains(k)) {
        throw new IllegalArgumentException(where + ": unknown field '" + k + "'");
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Object o, String where) {
    if (!(o instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(where + ": expected an object, found " + describe(o));
    }
    return (Map<String, Object>) o;
  }

  private static String string(Map<String, Object> m, String key, String prefix) {
    Object v = m.get(key);
    if (!(v instanceof String s)) {
      throw new IllegalArgumentException(prefix + key + ": expected a string, found " + describe(v));
    }
    return s;
  }

  private static int integer(Map<String, Object> m, String key, String prefix) {
    Object v = m.get(key);
    if (!(v instanceof Long n) || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(prefix + key + ": expected an integer, found " + describe(v));
    }
    return (int) (long) n;
  }

  private static String describe(Object o) {
    if (o == null) {
      return "nothing";
    }
    String s = o instanceof String str ? "'" + str + "'" : o.toString();
    return s.length() > 60 ? s.substring(0, 60) + "..." : s;
  }
}
