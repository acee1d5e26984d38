package org.slimj.engine.ops;

import java.util.Arrays;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * Batch normalization over the channel axis of {@code [N, C, H, W]} or {@code [N, C]} inputs, in
 * training mode (batch statistics) or evaluation mode (given statistics); both are differentiable.
 *
 * <p>The affine parameters are read from entries {@code [paramOffset, paramOffset + C)} of {@code
 * gamma} and {@code beta}, so a caller may pack several parameter sets in one tensor (switchable
 * BN) or use the leading prefix of one set allocated at the maximum width (universal BN, {@code
 * paramOffset = 0}). Backward writes only into those entries of the parameter gradients.
 *
 * <p>Both modes reduce to the kernel {@code y = x * scale[c] + shift[c]} with {@code scale = gamma
 * / sqrt(var + eps)} and {@code shift = beta - mean * scale}; the O(C) computation of scale and
 * shift is done here.
 */
public final class BatchNorm {
  private BatchNorm() {}

  /**
   * Training-mode batch norm: normalizes each channel with its batch mean and biased variance (over
   * N and the spatial positions), then applies {@code gamma} and {@code beta}. Writes the batch
   * mean and biased variance into {@code batchMean[0..C)} and {@code batchVar[0..C)} so the caller
   * can update its running statistics. Backward is the full gradient through the batch statistics.
   *
   * @param ctx kernels and tape (recorded only if {@code x}, {@code gamma} or {@code beta} needs a
   *     gradient); the mode flag of {@code ctx} is not consulted
   * @param x input {@code [N, C, H, W]} or {@code [N, C]}
   * @param gamma scale, rank 1, at least {@code paramOffset + C} entries
   * @param beta shift, same shape as {@code gamma}
   * @param paramOffset first entry of {@code gamma} and {@code beta} used
   * @param eps added to the variance, at least 0
   * @param batchMean receives the batch mean, length at least C
   * @param batchVar receives the biased batch variance, length at least C
   * @return a new contiguous tensor shaped like {@code x}
   * @throws IllegalArgumentException if a shape or argument does not fit
   */
  public static Tensor forwardTrain(
      Context ctx,
      Tensor x,
      Tensor gamma,
      Tensor beta,
      int paramOffset,
      float eps,
      float[] batchMean,
      float[] batchVar) {
    int c = checkArguments(x, gamma, beta, paramOffset, eps, "BatchNorm.forwardTrain");
    requireLength(batchMean, c, "BatchNorm.forwardTrain batchMean");
    requireLength(batchVar, c, "BatchNorm.forwardTrain batchVar");
    int n = x.dim(0);
    int hw = spatial(x);
    Kernels k = ctx.kernels();
    k.batchNormStats(n, c, hw, x.data(), x.offset(), batchMean, batchVar);
    float[] mean = ctx.scratch(c);
    System.arraycopy(batchMean, 0, mean, 0, c);
    float[] invStd = invStd(batchVar, c, eps, ctx.scratch(c));
    Tensor y = normalize(ctx, x, gamma, beta, paramOffset, c, mean, invStd);

    if (ctx.records(x, gamma, beta)) {
      boolean needX = x.requiresGrad();
      boolean needG = gamma.requiresGrad();
      boolean needB = beta.requiresGrad();
      ctx.tape()
          .record(
              y,
              dy ->
                  backwardTrain(
                      ctx, x, gamma, beta, paramOffset, c, mean, invStd, needX, needG, needB, dy));
    }
    return y;
  }

  /**
   * Training-mode backward through the batch statistics, by {@link Kernels#batchNormBackward}.
   * Gamma and beta gradients go to scratch buffers when the parameter needs none.
   */
  private static void backwardTrain(
      Context ctx,
      Tensor x,
      Tensor gamma,
      Tensor beta,
      int paramOffset,
      int c,
      float[] mean,
      float[] invStd,
      boolean needX,
      boolean needG,
      boolean needB,
      float[] dy) {
    Kernels k = ctx.kernels();
    int n = x.dim(0);
    int hw = spatial(x);
    float[] dGamma = needG ? gamma.grad() : ctx.scratch(c);
    float[] dBeta = needB ? beta.grad() : ctx.scratch(c);
    k.batchNormBackward(
        n,
        c,
        hw,
        x.data(),
        x.offset(),
        dy,
        0,
        mean,
        invStd,
        gamma.data(),
        gamma.offset() + paramOffset,
        needX ? x.grad() : null,
        0,
        dGamma,
        needG ? paramOffset : 0,
        dBeta,
        needB ? paramOffset : 0);
  }

  /**
   * Evaluation-mode batch norm: normalizes each channel with {@code runningMean[c]} and {@code
   * runningVar[c]} (entries {@code [0, C)}), then applies {@code gamma} and {@code beta}.
   * Differentiable: {@code dx = dy * gamma * invStd}, {@code dGamma = sum(dy * xhat)}, {@code dBeta
   * = sum(dy)}; the statistics are constants.
   *
   * @param ctx kernels and tape (recorded only if {@code x}, {@code gamma} or {@code beta} needs a
   *     gradient); the mode flag of {@code ctx} is not consulted
   * @param x input {@code [N, C, H, W]} or {@code [N, C]}
   * @param gamma scale, rank 1, at least {@code paramOffset + C} entries
   * @param beta shift, same shape as {@code gamma}
   * @param paramOffset first entry of {@code gamma} and {@code beta} used
   * @param runningMean per-channel mean, length at least C
   * @param runningVar per-channel variance, length at least C
   * @param eps added to the variance, at least 0
   * @return a new contiguous tensor shaped like {@code x}
   * @throws IllegalArgumentException if a shape or argument does not fit
   */
  public static Tensor forwardEval(
      Context ctx,
      Tensor x,
      Tensor gamma,
      Tensor beta,
      int paramOffset,
      float[] runningMean,
      float[] runningVar,
      float eps) {
    int c = checkArguments(x, gamma, beta, paramOffset, eps, "BatchNorm.forwardEval");
    requireLength(runningMean, c, "BatchNorm.forwardEval runningMean");
    requireLength(runningVar, c, "BatchNorm.forwardEval runningVar");
    float[] mean = ctx.scratch(c);
    System.arraycopy(runningMean, 0, mean, 0, c);
    float[] invStd = invStd(runningVar, c, eps, ctx.scratch(c));
    Tensor y = normalize(ctx, x, gamma, beta, paramOffset, c, mean, invStd);

    if (ctx.records(x, gamma, beta)) {
      boolean needX = x.requiresGrad();
      boolean needG = gamma.requiresGrad();
      boolean needB = beta.requiresGrad();
      ctx.tape()
          .record(
              y,
              dy ->
                  backwardEval(
                      ctx, x, gamma, beta, paramOffset, c, mean, invStd, needX, needG, needB, dy));
    }
    return y;
  }

  /**
   * Evaluation-mode backward: gamma and beta gradients as in training mode without the terms
   * through the statistics ({@code batchNormBackward} with no dx), and dx = dy * scale[c].
   */
  private static void backwardEval(
      Context ctx,
      Tensor x,
      Tensor gamma,
      Tensor beta,
      int paramOffset,
      int c,
      float[] mean,
      float[] invStd,
      boolean needX,
      boolean needG,
      boolean needB,
      float[] dy) {
    Kernels k = ctx.kernels();
    int n = x.dim(0);
    int hw = spatial(x);
    if (needG || needB) {
      float[] dGamma = needG ? gamma.grad() : ctx.scratch(c);
      float[] dBeta = needB ? beta.grad() : ctx.scratch(c);
      k.batchNormBackward(
          n,
          c,
          hw,
          x.data(),
          x.offset(),
          dy,
          0,
          mean,
          invStd,
          gamma.data(),
          gamma.offset() + paramOffset,
          null,
          0,
          dGamma,
          needG ? paramOffset : 0,
          dBeta,
          needB ? paramOffset : 0);
    }
    if (needX) {
      float[] scale = ctx.scratch(c);
      float[] g = gamma.data();
      int go = gamma.offset() + paramOffset;
      for (int ch = 0; ch < c; ch++) {
        scale[ch] = g[go + ch] * invStd[ch];
      }
      float[] zero = ctx.scratch(c);
      boolean fresh = x.gradOrNull() == null;
      float[] dx = x.grad();
      if (fresh) {
        // A new gradient buffer is all zeros: writing dy * scale into it equals adding.
        k.batchNormApply(n, c, hw, dy, 0, scale, zero, dx, 0);
      } else {
        float[] tmp = ctx.scratch(x.size());
        k.batchNormApply(n, c, hw, dy, 0, scale, zero, tmp, 0);
        k.axpy(x.size(), 1f, tmp, 0, dx, 0);
      }
    }
  }

  /** y = (x - mean) * invStd * gamma + beta as one per-channel affine kernel call. */
  private static Tensor normalize(
      Context ctx,
      Tensor x,
      Tensor gamma,
      Tensor beta,
      int paramOffset,
      int c,
      float[] mean,
      float[] invStd) {
    float[] scale = ctx.scratch(c);
    float[] shift = ctx.scratch(c);
    float[] g = gamma.data();
    float[] b = beta.data();
    int go = gamma.offset() + paramOffset;
    int bo = beta.offset() + paramOffset;
    for (int ch = 0; ch < c; ch++) {
      scale[ch] = g[go + ch] * invStd[ch];
      shift[ch] = b[bo + ch] - mean[ch] * scale[ch];
    }
    Tensor y = ctx.newTensor(x.shape());
    ctx.kernels().batchNormApply(
        x.dim(0), c, spatial(x), x.data(), x.offset(), scale, shift, y.data(), y.offset());
    return y;
  }

  private static float[] invStd(float[] var, int c, float eps, float[] inv) {
    for (int ch = 0; ch < c; ch++) {
      inv[ch] = (float) (1.0 / Math.sqrt((double) var[ch] + eps));
    }
    return inv;
  }

  /** Positions per (sample, channel): H * W for rank 4, 1 for rank 2. */
  private static int spatial(Tensor x) {
    return x.rank() == 4 ? x.dim(2) * x.dim(3) : 1;
  }

  /** Checks the shared arguments and returns the channel count C. */
  private static int checkArguments(
      Tensor x, Tensor gamma, Tensor beta, int paramOffset, float eps, String op) {
    if (x.rank() != 2 && x.rank() != 4) {
      throw new IllegalArgumentException(
          op
              + " input x: expected rank 4 [N, C, H, W] or rank 2 [N, C], found shape "
              + Arrays.toString(x.shape()));
    }
    if (x.size() == 0) {
      throw new IllegalArgumentException(
          op + " input x: expected a non-empty tensor, found shape " + Arrays.toString(x.shape()));
    }
    int c = x.dim(1);
    Shapes.requireRank(gamma, 1, op + " gamma");
    Shapes.requireShape(beta, op + " beta (must match gamma)", gamma.shape());
    if (paramOffset < 0 || (long) paramOffset + c > gamma.dim(0)) {
      throw new IllegalArgumentException(
          op
              + ": expected gamma/beta entries [paramOffset, paramOffset + C) = ["
              + paramOffset
              + ", "
              + ((long) paramOffset + c)
              + ") within [0, "
              + gamma.dim(0)
              + "), found"
              + " paramOffset "
              + paramOffset
              + " and C "
              + c);
    }
    if (!(eps >= 0f) || Float.isInfinite(eps)) {
      throw new IllegalArgumentException(op + " eps: expected a finite value >= 0, found " + eps);
    }
    return c;
  }

  private static void requireLength(float[] a, int c, String what) {
    if (a == null) {
      throw new IllegalArgumentException(
          what + ": expected an array of length >= " + c + ", found null");
    }
    if (a.length < c) {
      throw new IllegalArgumentException(
          what + ": expected length >= " + c + " (channels), found " + a.length);
    }
  }
}
