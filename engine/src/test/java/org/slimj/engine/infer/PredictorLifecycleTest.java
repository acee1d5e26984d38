package org.slimj.engine.infer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slimj.engine.export.ExportFixtures;
import org.slimj.engine.io.Checkpoint;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.tensor.Tensor;

/** Predictors that own their threads, refuse uncalibrated universal BN, and preprocess typed input. */
class PredictorLifecycleTest {
  private static final double[] LIST = {0.25, 0.5, 0.75, 1.0};

  @TempDir Path dir;

  @Test
  void aPredictorOwningItsThreadsStopsThemOnClose() throws Exception {
    SplittableRandom rng = new SplittableRandom(41);
    ModelSpec spec = new ModelSpec("smallcnn", 0.5, 3, 16, 10, BnKind.SHARED, new double[] {1.0});
    SlimModel model = spec.build(rng);
    Path file = dir.resolve("checkpoint.safetensors");
    Checkpoint.save(file, spec, model, null, Map.of());
    Tensor x = ExportFixtures.images(2, 3, 16, rng);
    float[] logits;
    try (SlimPredictor p = Predictor.checkpoint(file, "vector", 2, null)) {
      logits = p.predict(x).logits();
      p.close();
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.predict(x));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
    try (Backends.Owned b = Backends.open("vector", 1); SlimPredictor q = Predictor.checkpoint(file, b.kernels(), null)) {
      assertArrayEquals(logits, q.predict(x).logits(), 1e-5f);
    }
  }

  @Test
  void universalBatchNormWithoutCalibrationIsRefused() {
    SplittableRandom rng = new SplittableRandom(42);
    Kernels k = Backends.choose("scalar", 1).kernels();
    SmallCnn model = new SmallCnn(3, 16, 10, new int[] {8, 12, 16}, BnKind.UNIVERSAL, LIST, rng);
    Tensor x = ExportFixtures.images(1, 3, 16, rng);
    SlimPredictor refusing = new SlimPredictor(model, 3, 16, k, null, null);
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> refusing.predict(x, 0.5));
    assertTrue(e.getMessage().contains("no calibrated statistics") && e.getMessage().contains("TRAINING_STATISTICS"),
        e.getMessage());
    SlimPredictor explicit = new SlimPredictor(model, 3, 16, k, null, SlimPredictor.Calibration.TRAINING_STATISTICS);
    assertEquals(1, explicit.predict(x, 0.5).size());
    // once prepared, the configuration has statistics: the refusing predictor now runs it too
    assertEquals(1, refusing.predict(x, 0.5).size());
  }

  @Test
  void preprocessingScalesAndNormalisesAsRecorded() {
    Predictor p = new Predictor() {
      @Override
      public int[] inputShape() {
        return new int[] {2, 1, 2};
      }

      @Override
      public int classes() {
        return 2;
      }

      @Override
      public float[][] normalization() {
        return new float[][] {{0.5f, 0f}, {0.25f, 1f}};
      }

      @Override
      public org.slimj.engine.nn.slim.ChannelConfig defaultConfig() {
        return null;
      }

      @Override
      public Prediction predict(Tensor images, org.slimj.engine.nn.slim.ChannelConfig cfg) {
        return Prediction.ofLogits(images.dim(0), 2, new float[images.dim(0) * 2]);
      }
    };
    ImagePreprocessor pre = ImagePreprocessor.of(p);
    assertArrayEquals(new float[] {-2f, 2f, 0f, 1f}, pre.fromPixels(new byte[] {0, (byte) 255, 0, (byte) 255}));
    assertArrayEquals(new float[] {0f, 1f, 0.5f, 0.25f}, pre.fromUnitRange(new float[] {0.5f, 0.75f, 0.5f, 0.25f}));
    assertArrayEquals(new int[] {2, 2, 1, 2}, pre.batch(new float[4], new float[4]).shape());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pre.fromUnitRange(new float[3]));
    assertTrue(e.getMessage().contains("2 x 1 x 2 = 4"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> pre.fromUnitRange(new float[] {0, 0, 2, 0}));
    assertTrue(e.getMessage().contains("[0, 1]"), e.getMessage());
  }
}
