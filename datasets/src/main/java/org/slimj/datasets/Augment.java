package org.slimj.datasets;

import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * Training-time augmentation, each part enabled on its own: a random crop with zero padding (pad
 * every side by {@code padding} pixels, then cut an H×W window at a random offset) and a random
 * horizontal flip (with probability 1/2). Images are written as floats {@code pixel / 255}, the
 * padding as 0, ready for {@link Normalization}.
 *
 * <p>A crop offset is written here as a shift {@code (dy, dx)} in {@code [-padding, padding]}:
 * output pixel {@code (y, x)} is input pixel {@code (y + dy, x + dx)}, or 0 outside the image;
 * shift (0, 0) is the centre window, the image itself. The flip mirrors the cropped window.
 *
 * @param padding pixels of zero padding on each side for the random crop; 0 disables the crop
 * @param flip whether to flip horizontally with probability 1/2
 */
public record Augment(int padding, boolean flip) {
  /** No augmentation: images are only converted to floats. */
  public static final Augment NONE = new Augment(0, false);

  /** Checks that the padding is not negative. */
  public Augment {
    if (padding < 0) {
      throw new IllegalArgumentException("padding must be at least 0, found " + padding);
    }
  }

  /**
   * Writes image {@code index} of {@code data} into {@code dst} at {@code dstOffset} (C×H×W
   * floats), drawing from {@code rng} in this order: the vertical then the horizontal shift (only
   * when {@code padding > 0}), then the flip (only when enabled).
   */
  public void apply(ImageDataset data, int index, float[] dst, int dstOffset, RandomGenerator rng) {
    int dy = 0;
    int dx = 0;
    if (padding > 0) {
      dy = rng.nextInt(2 * padding + 1) - padding;
      dx = rng.nextInt(2 * padding + 1) - padding;
    }
    boolean mirror = flip && rng.nextBoolean();
    write(data, index, dst, dstOffset, dy, dx, mirror);
  }

  /**
   * Writes image {@code index} shifted by {@code (dy, dx)} (zero where the window leaves the
   * image) and, if {@code mirror}, flipped horizontally; values are {@code pixel / 255}.
   */
  public static void write(ImageDataset data, int index, float[] dst, int dstOffset, int dy, int dx, boolean mirror) {
    if (index < 0 || index >= data.count()) {
      throw new IndexOutOfBoundsException("image index " + index + " outside 0.." + (data.count() - 1));
    }
    int c = data.channels();
    int h = data.height();
    int w = data.width();
    byte[] src = data.pixelArray();
    int srcBase = index * data.imageSize();
    for (int ch = 0; ch < c; ch++) {
      for (int y = 0; y < h; y++) {
        int out = dstOffset + (ch * h + y) * w;
        int sy = y + dy;
        if (sy < 0 || sy >= h) {
          Arrays.fill(dst, out, out + w, 0f);
          continue;
        }
        int in = srcBase + (ch * h + sy) * w;
        for (int x = 0; x < w; x++) {
          int sx = (mirror ? w - 1 - x : x) + dx;
          dst[out + x] = sx < 0 || sx >= w ? 0f : (src[in + sx] & 0xFF) / 255f;
        }
      }
    }
  }

  /** Flips the C×H×W image at {@code offset} of {@code buf} horizontally, in place. */
  public static void flipInPlace(float[] buf, int offset, int channels, int height, int width) {
    for (int row = 0; row < channels * height; row++) {
      int a = offset + row * width;
      int b = a + width - 1;
      while (a < b) {
        float t = buf[a];
        buf[a++] = buf[b];
        buf[b--] = t;
      }
    }
  }
}
