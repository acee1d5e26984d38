package org.slimj.serve;

import org.slimj.engine.infer.ImagePreprocessor;
import org.slimj.engine.infer.Prediction;
import org.slimj.engine.infer.Predictor;

/** Runs one batch of preprocessed images at one point of the front. */
@FunctionalInterface
public interface BatchRunner {
  /** The prediction for {@code images} (each one preprocessed image) at front point {@code point}. */
  Prediction run(float[][] images, int point);

  /**
   * Runs batches with {@code predictor} at the configurations of {@code front}'s points ({@code
   * pre} stacks the images); an exported network, whose configuration is fixed, uses {@link #fixed}.
   */
  static BatchRunner of(Predictor predictor, WidthFront front, ImagePreprocessor pre) {
    return (images, point) -> predictor.predict(pre.batch(images), front.get(point).config());
  }

  /** Runs every batch with {@code predictor} at its default configuration (an exported network). */
  static BatchRunner fixed(Predictor predictor, ImagePreprocessor pre) {
    return (images, point) -> predictor.predict(pre.batch(images));
  }
}
