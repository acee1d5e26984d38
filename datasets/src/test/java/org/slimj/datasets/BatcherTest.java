package org.slimj.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Epoch coverage, seeded order, reused buffers and the content of the batches. */
class BatcherTest {
  private static final long SEED = 1234;

  /** The data-set indices of every batch of epoch {@code epoch}, batch after batch. */
  private static List<int[]> epoch(Batcher b, int epoch) {
    b.startEpoch(epoch);
    List<int[]> batches = new ArrayList<>();
    while (b.next()) {
      int[] rows = new int[b.size()];
      for (int r = 0; r < rows.length; r++) {
        rows[r] = b.index(r);
      }
      batches.add(rows);
    }
    return batches;
  }

  private static int[] flat(List<int[]> batches) {
    return batches.stream().flatMapToInt(Arrays::stream).toArray();
  }

  @Test
  void everyIndexExactlyOncePerEpochWithAPartialLastBatch() {
    ImageDataset d = TestData.indexed(103, 5);
    Batcher b = Batcher.training(d, 10, Augment.NONE, Normalization.identity(1), SEED, false);
    assertEquals(11, b.batchesPerEpoch());
    for (int e = 0; e < 3; e++) {
      List<int[]> batches = epoch(b, e);
      assertEquals(11, batches.size(), "epoch " + e + " seed " + SEED);
      assertEquals(3, batches.get(10).length, "last batch, epoch " + e);
      int[] all = flat(batches);
      int[] sorted = all.clone();
      Arrays.sort(sorted);
      for (int i = 0; i < 103; i++) {
        assertEquals(i, sorted[i], "epoch " + e + " seed " + SEED);
      }
      assertFalse(Arrays.equals(sorted, all), "the order is shuffled, epoch " + e + " seed " + SEED);
    }
    // after the partial last batch: rows past size() are cleared
    b.startEpoch(0);
    for (int i = 0; i < 11; i++) {
      assertTrue(b.next());
    }
    assertEquals(3, b.size());
    assertEquals(-1, b.labels()[3]);
    assertEquals(0f, b.images()[3 * 4]);
    assertFalse(b.next());
    assertEquals(0, b.size());
  }

  @Test
  void dropLastSkipsThePartialBatch() {
    ImageDataset d = TestData.indexed(103, 5);
    Batcher b = Batcher.training(d, 10, Augment.NONE, Normalization.identity(1), SEED, true);
    assertEquals(10, b.batchesPerEpoch());
    List<int[]> batches = epoch(b, 0);
    assertEquals(10, batches.size());
    int[] all = flat(batches);
    assertEquals(100, all.length);
    assertEquals(100, Arrays.stream(all).distinct().count(), "no index twice, seed " + SEED);
  }

  @Test
  void orderDependsOnlyOnSeedAndEpoch() {
    ImageDataset d = TestData.indexed(64, 4);
    Batcher a = Batcher.training(d, 8, Augment.NONE, Normalization.identity(1), SEED, false);
    Batcher b = Batcher.training(d, 8, Augment.NONE, Normalization.identity(1), SEED, false);
    int[] a0 = flat(epoch(a, 0));
    int[] a1 = flat(epoch(a, 1));
    int[] a5 = flat(epoch(a, 5));
    // b visits epochs in another order: each epoch's order must not depend on what came before
    assertArrayEquals(a5, flat(epoch(b, 5)), "epoch 5, seed " + SEED);
    assertArrayEquals(a0, flat(epoch(b, 0)), "epoch 0, seed " + SEED);
    assertArrayEquals(a1, flat(epoch(b, 1)), "epoch 1, seed " + SEED);
    assertFalse(Arrays.equals(a0, a1), "epochs 0 and 1 differ, seed " + SEED);
    Batcher c = Batcher.training(d, 8, Augment.NONE, Normalization.identity(1), SEED + 1, false);
    assertFalse(Arrays.equals(a0, flat(epoch(c, 0))), "seeds " + SEED + " and " + (SEED + 1) + " differ");
  }

  @Test
  void buffersAreReusedAndHoldTheBatch() {
    ImageDataset d = TestData.random(50, 3, 4, 4, 7, SEED);
    Normalization n = Normalization.computedFrom(d);
    Batcher b = Batcher.training(d, 16, Augment.NONE, n, SEED, false);
    float[] images = b.images();
    int[] labels = b.labels();
    assertEquals(16 * 48, images.length);
    float[] expected = new float[48];
    int batches = 0;
    while (b.next()) {
      assertSame(images, b.images(), "same image buffer in batch " + batches);
      assertSame(labels, b.labels(), "same label buffer in batch " + batches);
      for (int r = 0; r < b.size(); r++) {
        int i = b.index(r);
        assertEquals(d.label(i), labels[r]);
        Augment.write(d, i, expected, 0, 0, 0, false);
        n.applyInPlace(expected, 0, 16);
        assertArrayEquals(expected, Arrays.copyOfRange(images, r * 48, r * 48 + 48), "row " + r + " seed " + SEED);
      }
      batches++;
    }
    assertEquals(4, batches);
  }

  @Test
  void steadyStateAllocatesNothingPerBatch() {
    ImageDataset d = TestData.random(2000, 1, 28, 28, 10, SEED);
    Batcher b = Batcher.training(d, 50, new Augment(2, true), Normalization.computedFrom(d), SEED, false);
    while (b.next()) {
      // warm up
    }
    b.startEpoch(1);
    long before = TestData.allocatedBytes();
    int batches = 0;
    while (b.next()) {
      batches++;
    }
    long allocated = TestData.allocatedBytes() - before;
    assertEquals(40, batches);
    assertTrue(allocated < 4096, "allocated " + allocated + " bytes over " + batches + " batches");
  }

  @Test
  void trainingAugmentsWithFlipsAndEvaluationDoesNot() {
    ImageDataset d = TestData.random(40, 1, 3, 5, 2, SEED);
    Batcher train = Batcher.training(d, 40, new Augment(0, true), Normalization.identity(1), SEED, false);
    assertTrue(train.next());
    float[] plain = new float[15];
    float[] mirrored = new float[15];
    int flips = 0;
    for (int r = 0; r < 40; r++) {
      float[] row = Arrays.copyOfRange(train.images(), r * 15, r * 15 + 15);
      Augment.write(d, train.index(r), plain, 0, 0, 0, false);
      Augment.write(d, train.index(r), mirrored, 0, 0, 0, true);
      boolean isPlain = Arrays.equals(row, plain);
      boolean isMirrored = Arrays.equals(row, mirrored);
      assertTrue(isPlain || isMirrored, "row " + r + " is the image or its mirror, seed " + SEED);
      flips += isMirrored ? 1 : 0;
    }
    assertTrue(flips > 5 && flips < 35, "about half flipped, found " + flips + " of 40, seed " + SEED);

    Batcher eval = Batcher.evaluation(d, 7, Normalization.identity(1));
    int next = 0;
    while (eval.next()) {
      for (int r = 0; r < eval.size(); r++) {
        assertEquals(next, eval.index(r), "evaluation keeps file order");
        Augment.write(d, next, plain, 0, 0, 0, false);
        assertArrayEquals(plain, Arrays.copyOfRange(eval.images(), r * 15, r * 15 + 15), "image " + next);
        next++;
      }
    }
    assertEquals(40, next);
  }
}
