package org.slimj.engine.export;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.nn.slim.UniversalBatchNorm2d;
import org.slimj.engine.space.Slot;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.Calibrator;

/** Models with non-trivial batch norm (random gamma, beta and statistics) for export tests. */
public final class ExportFixtures {
  private ExportFixtures() {}

  /**
   * Gives every BN layer random gamma in [0.5, 1.5], beta N(0, 0.3²) and (shared / switchable)
   * running mean N(0, 0.3²) and variance in [0.5, 2].
   */
  public static void randomizeBatchNorm(SlimModel model, SplittableRandom rng) {
    for (Parameter p : model.parameters()) {
      if (p.name().contains(".bn.")) {
        Tensor t = p.tensor();
        boolean gamma = p.name().endsWith("weight");
        for (int i = 0; i < t.size(); i++) {
          t.set(i, gamma ? (float) (0.5 + rng.nextDouble()) : (float) (0.3 * rng.nextGaussian()));
        }
      }
    }
    for (SlimBatchNorm bn : model.batchNorms()) {
      for (Map.Entry<String, float[]> e : bn.buffers().entrySet()) {
        float[] v = e.getValue();
        boolean var = e.getKey().endsWith("running_var");
        for (int i = 0; i < v.length; i++) {
          v[i] = var ? (float) (0.5 + 1.5 * rng.nextDouble()) : (float) (0.3 * rng.nextGaussian());
        }
      }
    }
  }

  /** Random images N(0, 1). */
  public static Tensor images(int n, int c, int size, SplittableRandom rng) {
    Tensor x = Tensor.zeros(n, c, size, size);
    TestBackends.randn(x, rng);
    return x;
  }

  /** Calibration batches of random images. */
  public static List<Batch> batches(int count, int n, int c, int size, SplittableRandom rng) {
    List<Batch> b = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      b.add(new Batch(images(n, c, size, rng), new int[n]));
    }
    return b;
  }

  /** Calibrates universal BN at {@code cfg} on random batches; nothing for the other flavours. */
  public static void calibrateIfUniversal(SlimModel model, Kernels k, ChannelConfig cfg, int c, int size,
      SplittableRandom rng) {
    if (model.batchNorms().get(0) instanceof UniversalBatchNorm2d) {
      Calibrator.calibrate(model, k, cfg, batches(2, 4, c, size, rng));
    }
  }

  /** A random configuration with every slot in [1, max]. */
  public static ChannelConfig randomConfig(SlimModel model, SplittableRandom rng) {
    List<Slot> slots = model.space().slots();
    int[] c = new int[slots.size()];
    for (int i = 0; i < c.length; i++) {
      c[i] = 1 + rng.nextInt(slots.get(i).max());
    }
    return ChannelConfig.of(c);
  }

  /** Eval-mode logits of the slimmable model. */
  public static float[] slimLogits(SlimModel model, Kernels k, Tensor x, ChannelConfig cfg) {
    return model.forward(Context.inference(k), x, cfg).toArray();
  }
}
