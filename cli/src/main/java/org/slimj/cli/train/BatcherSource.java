package org.slimj.cli.train;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.slimj.datasets.Batcher;
import org.slimj.engine.tensor.Tensor;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.BatchSource;

/**
 * Adapts a {@link Batcher} (float buffers reused for every batch) to the engine's {@link
 * BatchSource}: each batch is a view of the batcher's buffer, valid until the next one.
 */
public final class BatcherSource implements BatchSource {
  private final Batcher batcher;

  /** Wraps {@code batcher}. */
  public BatcherSource(Batcher batcher) {
    this.batcher = batcher;
  }

  @Override
  public Iterable<Batch> epoch(int epoch) {
    return () -> {
      batcher.startEpoch(epoch);
      return iterator();
    };
  }

  /** The batches from the current position of the batcher to the end of its epoch. */
  public Iterator<Batch> iterator() {
    return new Iterator<>() {
      boolean ready;
      boolean more;

      @Override
      public boolean hasNext() {
        if (!ready) {
          more = batcher.next();
          ready = true;
        }
        return more;
      }

      @Override
      public Batch next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        ready = false;
        return current();
      }
    };
  }

  /** The batch the batcher holds now. */
  Batch current() {
    var d = batcher.data();
    int n = batcher.size();
    Tensor x = Tensor.view(batcher.images(), 0, n, d.channels(), d.height(), d.width());
    int[] labels = batcher.labels();
    if (labels.length != n) {
      labels = java.util.Arrays.copyOf(labels, n);
    }
    return new Batch(x, labels);
  }

  /** Every batch of one pass in file order (for evaluation and calibration), as a one-shot iterable. */
  public static Iterable<Batch> once(Batcher batcher, int maxBatches) {
    BatcherSource s = new BatcherSource(batcher);
    return () -> {
      batcher.startEpoch(0);
      Iterator<Batch> it = s.iterator();
      return new Iterator<>() {
        int taken;

        @Override
        public boolean hasNext() {
          return taken < maxBatches && it.hasNext();
        }

        @Override
        public Batch next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          taken++;
          return it.next();
        }
      };
    };
  }

  @Override
  public int batchesPerEpoch() {
    return batcher.batchesPerEpoch();
  }
}
