package org.slimj.engine.train;

/**
 * Supplies the batches of each training epoch. A source may refill the same tensors for every
 * batch (so a batch is valid only until the next one is requested); the order of an epoch must be
 * a function of the epoch number and the source's seed, so a resumed run sees the same batches.
 */
public interface BatchSource {
  /** The batches of epoch {@code epoch} (0-based), in order. */
  Iterable<Batch> epoch(int epoch);

  /** Number of batches per epoch. */
  int batchesPerEpoch();
}
