package org.slimj.engine.train;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.slimj.engine.TestBackends;
import org.slimj.engine.tensor.Tensor;

/** Training data for tests: seeded Gaussian images with uniform labels, the same for every epoch's seed. */
public final class RandomBatches {
  private RandomBatches() {}

  /**
   * {@code steps} batches per epoch of {@code batch} images of {@code 1 x size x size} and labels in
   * {@code [0, 10)}, drawn from {@code Seeds.forStep(seed, 9, epoch)}: the same batches wherever they
   * are asked for.
   */
  public static BatchSource source(long seed, int steps, int batch, int size) {
    return new BatchSource() {
      @Override
      public Iterable<Batch> epoch(int epoch) {
        SplittableRandom r = Seeds.forStep(seed, 9, epoch);
        return () -> IntStream.range(0, steps).mapToObj(i -> {
          Tensor x = Tensor.zeros(batch, 1, size, size);
          TestBackends.randn(x, r);
          int[] y = new int[batch];
          for (int j = 0; j < batch; j++) {
            y[j] = r.nextInt(10);
          }
          return new Batch(x, y);
        }).iterator();
      }

      @Override
      public int batchesPerEpoch() {
        return steps;
      }
    };
  }
}
