package org.slimj.engine.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slimj.engine.dist.Collective;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.tensor.Tensor;

/**
 * The parts of synchronous data-parallel training that talk to the other ranks: the shard of each
 * global batch this rank trains on, one all-reduce of the step's gradients (with its losses and
 * counts), and keeping the replicas' weights and batch-norm buffers equal.
 *
 * <p>Every loss of a step is a mean over the images it saw, so rank r's gradient is {@code (1/n_r)
 * Σ g_i} over its {@code n_r} images. Each rank multiplies by {@code n_r} before the sum and divides
 * by {@code N = Σ n_r} after it, which gives {@code (1/N) Σ g_i} over the whole batch: the gradient
 * one worker computes on the global batch, up to float reassociation, whatever the shard sizes.
 * Batch norm normalises with each rank's own shard statistics (as the slimmable papers' multi-GPU
 * training does); running statistics are averaged over the ranks at each epoch end.
 */
final class DataParallel {
  private final SlimModel model;
  private final Sgd optimizer;
  private final Collective collective;
  private float[] buffer = new float[0];

  DataParallel(SlimModel model, Sgd optimizer, Collective collective) {
    this.model = model;
    this.optimizer = optimizer;
    this.collective = collective;
  }

  /**
   * Rank r's contiguous shard of {@code global}: images {@code [r·N/size, (r+1)·N/size)}, a view of
   * the same storage (no copy), so that the shards of all ranks concatenated are the global batch.
   */
  static Batch shard(Batch global, int rank, int size) {
    int n = global.size();
    int from = (int) ((long) rank * n / size);
    int to = (int) ((long) (rank + 1) * n / size);
    if (to <= from) {
      throw new IllegalArgumentException("data-parallel training: a batch of " + n + " images cannot give each of "
          + size + " workers at least one image (expected --batch >= " + size + ")");
    }
    Tensor x = global.images();
    int per = x.size() / n;
    Tensor view = Tensor.view(x.data(), x.offset() + from * per, to - from, x.dim(1), x.dim(2), x.dim(3));
    return new Batch(view, Arrays.copyOfRange(global.labels(), from, to));
  }

  /** This rank's shard of {@code global}. */
  Batch shard(Batch global) {
    return shard(global, collective.rank(), collective.size());
  }

  /** Makes every rank start from rank 0's weights, batch-norm buffers and momentum buffers (one broadcast). */
  void broadcastState() {
    List<Tensor> all = new ArrayList<>();
    for (Parameter p : model.parameters()) {
      all.add(p.tensor());
    }
    all.addAll(bnBuffers());
    for (float[] v : optimizer.state().values()) {
      all.add(Tensor.of(v, v.length));
    }
    float[] packed = pack(all);
    collective.broadcast(packed, 0);
    unpack(packed, all, 1f);
  }

  /**
   * Sums the gradients of this step over all ranks, scaled to the whole batch's mean (see the class
   * comment), in one all-reduce that also carries the losses and correct counts; returns the step
   * result of the whole batch. {@code images} is this rank's shard size.
   */
  StepResult allReduce(StepResult local, int images) {
    List<float[]> grads = new ArrayList<>();
    int total = 0;
    for (Parameter p : optimizer.parameters()) {
      float[] g = p.tensor().gradOrNull();
      if (g != null) {
        grads.add(g);
        total += g.length;
      }
    }
    int losses = local.losses().length;
    int length = total + losses + 2;
    if (buffer.length != length) {
      buffer = new float[length];
    }
    float n = images;
    int at = 0;
    for (float[] g : grads) {
      for (int i = 0; i < g.length; i++) {
        buffer[at + i] = g[i] * n;
      }
      at += g.length;
    }
    for (int i = 0; i < losses; i++) {
      buffer[at + i] = local.losses()[i] * n;
    }
    buffer[length - 2] = local.firstCorrect();
    buffer[length - 1] = n;
    collective.allReduceSum(buffer);
    float all = buffer[length - 1];
    at = 0;
    for (float[] g : grads) {
      for (int i = 0; i < g.length; i++) {
        g[i] = buffer[at + i] / all;
      }
      at += g.length;
    }
    float[] meanLosses = new float[losses];
    for (int i = 0; i < losses; i++) {
      meanLosses[i] = buffer[at + i] / all;
    }
    return new StepResult(local.configs(), meanLosses, Math.round(buffer[length - 2]));
  }

  /** Replaces every rank's batch-norm running statistics with their mean over the ranks (one all-reduce). */
  void averageBatchNormBuffers() {
    List<Tensor> buffers = bnBuffers();
    if (buffers.isEmpty()) {
      return;
    }
    float[] packed = pack(buffers);
    collective.allReduceSum(packed);
    unpack(packed, buffers, 1f / collective.size());
  }

  private List<Tensor> bnBuffers() {
    List<Tensor> buffers = new ArrayList<>();
    for (SlimBatchNorm bn : model.batchNorms()) {
      for (float[] v : new java.util.TreeMap<>(bn.buffers()).values()) {
        buffers.add(Tensor.of(v, v.length));
      }
    }
    return buffers;
  }

  private static float[] pack(List<Tensor> tensors) {
    long n = 0;
    for (Tensor t : tensors) {
      n += t.size();
    }
    if (n > Integer.MAX_VALUE - 8) {
      throw new IllegalStateException("data-parallel training: the state has " + n + " values, more than one array holds");
    }
    float[] packed = new float[(int) n];
    int at = 0;
    for (Tensor t : tensors) {
      System.arraycopy(t.data(), t.offset(), packed, at, t.size());
      at += t.size();
    }
    return packed;
  }

  private static void unpack(float[] packed, List<Tensor> tensors, float scale) {
    int at = 0;
    for (Tensor t : tensors) {
      float[] d = t.data();
      int off = t.offset();
      for (int i = 0; i < t.size(); i++) {
        d[off + i] = packed[at + i] * scale;
      }
      at += t.size();
    }
  }
}
