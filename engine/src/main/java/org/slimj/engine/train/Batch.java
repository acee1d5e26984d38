package org.slimj.engine.train;

import org.slimj.engine.tensor.Tensor;

/**
 * A batch of images [N, C, H, W] and their integer labels.
 *
 * @param images the images
 * @param labels one label per image
 */
public record Batch(Tensor images, int[] labels) {
  public Batch {
    if (images.rank() != 4 || images.dim(0) != labels.length) {
      throw new IllegalArgumentException(
          "batch: expected images [N, C, H, W] with N = " + labels.length + " labels, found " + images);
    }
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }
}
