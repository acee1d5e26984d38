package org.slimj.engine.models;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.slimj.engine.nn.slim.BnKind;

/**
 * Everything needed to rebuild a model: architecture name, maximum width multiplier, input
 * channels and size, classes, batch-norm flavour and width list. Stored in checkpoint metadata.
 *
 * @param architecture {@code mobilenetv1}, {@code mobilenetv2}, {@code resnet20}, {@code resnet56}
 *     (any {@code resnet<6n+2>}) or {@code smallcnn}
 * @param maxWidth maximum width multiplier
 * @param inChannels image channels
 * @param inputSize image height = width
 * @param classes number of classes
 * @param bn batch-norm flavour
 * @param widthList width list
 */
public record ModelSpec(
    String architecture, double maxWidth, int inChannels, int inputSize, int classes, BnKind bn, double[] widthList) {

  public ModelSpec {
    architecture = architecture.trim().toLowerCase(Locale.ROOT);
    widthList = widthList.clone();
  }

  /** The architectures known. */
  public static final String KNOWN = "mobilenetv1, mobilenetv2, resnet20, resnet56 (resnet<6n+2>), smallcnn";

  /** Builds the model with initial weights from {@code rng}. */
  public SlimModel build(RandomGenerator rng) {
    String a = architecture;
    if (a.equals("mobilenetv2")) {
      return new MobileNetV2(maxWidth, inChannels, inputSize, classes, bn, widthList, rng);
    }
    if (a.equals("mobilenetv1")) {
      return new MobileNetV1(maxWidth, inChannels, inputSize, classes, bn, widthList, rng);
    }
    if (a.equals("smallcnn")) {
      int[] base = {(int) Math.round(16 * maxWidth), (int) Math.round(32 * maxWidth), (int) Math.round(64 * maxWidth)};
      return new SmallCnn(inChannels, inputSize, classes, base, bn, widthList, rng);
    }
    if (a.startsWith("resnet")) {
      int depth;
      try {
        depth = Integer.parseInt(a.substring(6));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("model: expected one of " + KNOWN + ", found '" + architecture + "'", e);
      }
      return new ResNetCifar(depth, maxWidth, inChannels, inputSize, classes, bn, widthList, rng);
    }
    throw new IllegalArgumentException("model: expected one of " + KNOWN + ", found '" + architecture + "'");
  }

  /** The spec as string key/values (for checkpoint metadata). */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("model.architecture", architecture);
    m.put("model.max_width", Double.toString(maxWidth));
    m.put("model.in_channels", Integer.toString(inChannels));
    m.put("model.input_size", Integer.toString(inputSize));
    m.put("model.classes", Integer.toString(classes));
    m.put("model.bn", bn.name().toLowerCase(Locale.ROOT));
    m.put("model.width_list", Arrays.toString(widthList));
    return m;
  }

  /** Reads a spec written by {@link #toMetadata()}; {@code source} names the file in errors. */
  public static ModelSpec fromMetadata(Map<String, String> m, String source) {
    try {
      String wl = require(m, "model.width_list", source).trim();
      if (!wl.startsWith("[") || !wl.endsWith("]")) {
        throw new IllegalArgumentException("model.width_list: expected [w1, w2, ...], found " + wl);
      }
      double[] widths = Arrays.stream(wl.substring(1, wl.length() - 1).split(","))
          .map(String::trim).filter(s -> !s.isEmpty()).mapToDouble(Double::parseDouble).toArray();
      ModelSpec spec = new ModelSpec(
          require(m, "model.architecture", source),
          Double.parseDouble(require(m, "model.max_width", source)),
          Integer.parseInt(require(m, "model.in_channels", source)),
          Integer.parseInt(require(m, "model.input_size", source)),
          Integer.parseInt(require(m, "model.classes", source)),
          BnKind.valueOf(require(m, "model.bn", source).toUpperCase(Locale.ROOT)),
          widths);
      spec.requireBounded();
      return spec;
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad model spec in metadata: " + e.getMessage(), e);
    }
  }

  /** Largest maximum width a file may describe. */
  public static final double MAX_WIDTH = 4.0;

  /** Largest number of classes a file may describe. */
  public static final int MAX_CLASSES = 10_000;

  /** Largest image side a file may describe. */
  public static final int MAX_INPUT = 4096;

  /** Largest number of image channels a file may describe. */
  public static final int MAX_IN_CHANNELS = 64;

  /** Deepest CIFAR ResNet a file may describe (He et al. go to 1202). */
  public static final int MAX_RESNET_DEPTH = 1202;

  /**
   * Checks that the spec read from a file describes a model small enough to build before anything
   * is allocated: max width in (0, {@link #MAX_WIDTH}], at most {@link #MAX_IN_CHANNELS} image
   * channels, sides up to {@link #MAX_INPUT}, 2 to {@link #MAX_CLASSES} classes, 1 to 64 widths,
   * ResNets up to depth {@link #MAX_RESNET_DEPTH}.
   *
   * @throws IllegalArgumentException naming the field, the range and the value
   */
  public void requireBounded() {
    if (!(maxWidth > 0 && maxWidth <= MAX_WIDTH)) {
      throw new IllegalArgumentException("model.max_width: expected a number in (0, " + MAX_WIDTH + "], found " + maxWidth);
    }
    bounded("model.in_channels", inChannels, 1, MAX_IN_CHANNELS);
    bounded("model.input_size", inputSize, 1, MAX_INPUT);
    bounded("model.classes", classes, 2, MAX_CLASSES);
    bounded("model.width_list entries", widthList.length, 1, 64);
    String depth = architecture.startsWith("resnet") ? architecture.substring(6) : "";
    if (!depth.isEmpty() && depth.chars().allMatch(Character::isDigit)) {
      int d = depth.length() > 9 ? Integer.MAX_VALUE : Integer.parseInt(depth);
      bounded("model.architecture depth", d, 8, MAX_RESNET_DEPTH);
    }
  }

  private static void bounded(String key, int v, int lo, int hi) {
    if (v < lo || v > hi) {
      throw new IllegalArgumentException(key + ": expected " + lo + " to " + hi + ", found " + v);
    }
  }

  private static String require(Map<String, String> m, String key, String source) {
    String v = m.get(key);
    if (v == null) {
      throw new IllegalArgumentException("metadata has no '" + key + "' (" + source + ")");
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ModelSpec s && s.architecture.equals(architecture) && s.maxWidth == maxWidth
        && s.inChannels == inChannels && s.inputSize == inputSize && s.classes == classes && s.bn == bn
        && Arrays.equals(s.widthList, widthList);
  }

  @Override
  public int hashCode() {
    return architecture.hashCode() * 31 + Arrays.hashCode(widthList);
  }

  @Override
  public String toString() {
    return architecture + "(max width " + maxWidth + ", " + inChannels + "x" + inputSize + "x" + inputSize + ", "
        + classes + " classes, " + bn.name().toLowerCase(Locale.ROOT) + " BN, widths " + Arrays.toString(widthList) + ")";
  }
}
