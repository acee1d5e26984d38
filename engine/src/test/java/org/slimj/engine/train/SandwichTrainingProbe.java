package org.slimj.engine.train;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.MobileNetV2;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.optim.Sgd;

/**
 * A few steps of US training (sandwich of 4 widths, inplace distillation, universal BN) of a small
 * MobileNet v2 on seeded data, summarised as a digest of every weight and batch-norm buffer bit:
 * run in this JVM and in forked ones to compare results across runs and JIT tiers.
 */
public final class SandwichTrainingProbe {
  private SandwichTrainingProbe() {}

  /** Trains from {@code seed} for {@code steps} steps of batch {@code batch} and returns the digest (hex). */
  public static String train(Kernels k, long seed, int steps, int batch, int size) {
    SlimModel m = new MobileNetV2(1.0, 1, size, 10, BnKind.UNIVERSAL, new double[] {0.25, 1.0}, new SplittableRandom(seed));
    Sgd sgd = new Sgd(m.parameters(), 0.9, true, 1e-4);
    LrSchedule sched = new LrSchedule(0.05, 1, steps, LrSchedule.Shape.COSINE);
    BatchSource data = RandomBatches.source(seed, steps, batch, size);
    new TrainingRun(m, k, new SandwichStrategy(0.25, 1.0, 4, 0.1f, true), sgd, sched, seed)
        .run(data, 0, 1, 0, new TrainingRun.Listener() {});
    return digest(m);
  }

  /** SHA-256 over every parameter's and batch-norm buffer's float bits, in a fixed order. */
  static String digest(SlimModel m) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (Parameter p : m.parameters()) {
        update(d, p.tensor().toArray());
      }
      for (var bn : m.batchNorms()) {
        for (var e : new TreeMap<>(bn.buffers()).entrySet()) {
          update(d, e.getValue());
        }
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void update(MessageDigest d, float[] values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length);
    for (float v : values) {
      b.putInt(Float.floatToRawIntBits(v));
    }
    d.update(b.array());
  }

  /** Args: backend, threads, seed, steps, batch, input size; prints {@code digest=<hex>}. */
  public static void main(String[] args) {
    Kernels k = Backends.choose(args[0], Integer.parseInt(args[1])).kernels();
    System.out.println("digest=" + train(k, Long.parseLong(args[2]), Integer.parseInt(args[3]),
        Integer.parseInt(args[4]), Integer.parseInt(args[5])));
    System.exit(0);
  }
}
