package org.slimj.datasets;

import java.util.List;

/**
 * An immutable in-memory set of labelled images: unsigned-byte pixels laid out N×C×H×W
 * (row-major, one image after another) and one class label per image.
 *
 * <p>Pixels stay bytes (60,000 Fashion-MNIST images take 47 MB); the {@link Batcher} converts
 * them to floats one batch at a time. The name says which data this is and where it came from,
 * e.g. {@code "Fashion-MNIST train (full set, /usr/share/datasets/fashion-mnist)"}.
 */
public final class ImageDataset {
  private final String name;
  private final byte[] pixels;
  private final int[] labels;
  private final int channels;
  private final int height;
  private final int width;
  private final List<String> classNames;

  /** Takes ownership of the arrays (no copy): only for readers in this package. */
  ImageDataset(
      String name, byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames) {
    if (channels < 1 || height < 1 || width < 1) {
      throw new IllegalArgumentException(
          "image dimensions must be at least 1, found " + channels + "x" + height + "x" + width);
    }
    if (classNames.isEmpty()) {
      throw new IllegalArgumentException("a data set needs at least one class");
    }
    long expected = (long) labels.length * channels * height * width;
    if (pixels.length != expected) {
      throw new IllegalArgumentException(
          "pixel array of " + name + ": expected " + labels.length + " images of " + channels + "x" + height + "x"
              + width + " = " + expected + " bytes, found " + pixels.length);
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classNames.size()) {
        throw new IllegalArgumentException(
            "label of image " + i + " of " + name + ": expected 0.." + (classNames.size() - 1) + ", found "
                + labels[i]);
      }
    }
    this.name = name;
    this.pixels = pixels;
    this.labels = labels;
    this.channels = channels;
    this.height = height;
    this.width = width;
    this.classNames = List.copyOf(classNames);
  }

  /**
   * A data set from copies of the given arrays. {@code pixels} holds {@code labels.length} images
   * of {@code channels×height×width} unsigned bytes; labels must lie in {@code [0, classNames.size())}.
   */
  public static ImageDataset of(
      String name, byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames) {
    return new ImageDataset(name, pixels.clone(), labels.clone(), channels, height, width, classNames);
  }

  /** Class names {@code "0"}, {@code "1"}, ... for data sets whose classes have no names. */
  public static List<String> numberedClasses(int classes) {
    String[] names = new String[classes];
    for (int k = 0; k < classes; k++) {
      names[k] = Integer.toString(k);
    }
    return List.of(names);
  }

  /** Which data this is and where it came from. */
  public String name() {
    return name;
  }

  /** Number of images. */
  public int count() {
    return labels.length;
  }

  /** Channels per image (1 for grayscale, 3 for RGB). */
  public int channels() {
    return channels;
  }

  /** Image height in pixels. */
  public int height() {
    return height;
  }

  /** Image width in pixels. */
  public int width() {
    return width;
  }

  /** Bytes per image: channels × height × width. */
  public int imageSize() {
    return channels * height * width;
  }

  /** Number of classes; labels lie in {@code [0, classes())}. */
  public int classes() {
    return classNames.size();
  }

  /** Human-readable class names, indexed by label. */
  public List<String> classNames() {
    return classNames;
  }

  /** Label of image {@code i}. */
  public int label(int i) {
    return labels[i];
  }

  /** A copy of all labels. */
  public int[] labels() {
    return labels.clone();
  }

  /** Pixel {@code offset} (in C×H×W order) of image {@code i}, as an unsigned value 0..255. */
  public int pixel(int i, int offset) {
    if (offset < 0 || offset >= imageSize()) {
      throw new IndexOutOfBoundsException("pixel offset " + offset + " outside an image of " + imageSize() + " bytes");
    }
    return pixels[i * imageSize() + offset] & 0xFF;
  }

  /** Copies the bytes of image {@code i} into {@code dst} at {@code dstOffset}. */
  public void copyImage(int i, byte[] dst, int dstOffset) {
    System.arraycopy(pixels, checkedIndex(i) * imageSize(), dst, dstOffset, imageSize());
  }

  /** Number of images of each class. */
  public int[] classCounts() {
    int[] counts = new int[classes()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /** The images at {@code indices}, in that order (repeats allowed), named after this set. */
  public ImageDataset subset(int[] indices) {
    return subset(indices, name + " [" + indices.length + " of " + count() + "]");
  }

  /** The images at {@code indices}, in that order (repeats allowed), under {@code newName}. */
  public ImageDataset subset(int[] indices, String newName) {
    int size = imageSize();
    byte[] p = new byte[Math.multiplyExact(indices.length, size)];
    int[] l = new int[indices.length];
    for (int j = 0; j < indices.length; j++) {
      int i = checkedIndex(indices[j]);
      System.arraycopy(pixels, i * size, p, j * size, size);
      l[j] = labels[i];
    }
    return new ImageDataset(newName, p, l, channels, height, width, classNames);
  }

  /** The pixel array itself, for the fast paths of this package; never modified. */
  byte[] pixelArray() {
    return pixels;
  }

  private int checkedIndex(int i) {
    if (i < 0 || i >= labels.length) {
      throw new IndexOutOfBoundsException("image index " + i + " outside 0.." + (labels.length - 1) + " of " + name);
    }
    return i;
  }

  @Override
  public String toString() {
    return name + ": " + count() + " images " + channels + "x" + height + "x" + width + ", " + classes() + " classes";
  }
}
