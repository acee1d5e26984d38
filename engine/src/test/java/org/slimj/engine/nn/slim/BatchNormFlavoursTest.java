package org.slimj.engine.nn.slim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.BnCalibration;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.ScalarKernels;
import org.slimj.engine.tensor.Tensor;

/** Switchable BN keeps each width's statistics and parameters apart; universal BN shares gamma/beta. */
class BatchNormFlavoursTest {
  private final Kernels k = new ScalarKernels();

  private static Tensor randn(SplittableRandom rng, float shift, int... shape) {
    Tensor t = Tensor.zeros(shape);
    TestBackends.randn(t, rng);
    for (int i = 0; i < t.size(); i++) {
      t.set(i, t.get(i) * 2f + shift);
    }
    return t;
  }

  private static float[] channelMeans(Tensor x) {
    int n = x.dim(0), c = x.dim(1), hw = x.size() / (n * c);
    float[] m = new float[c];
    for (int i = 0; i < n; i++) {
      for (int ch = 0; ch < c; ch++) {
        for (int j = 0; j < hw; j++) {
          m[ch] += x.get((i * c + ch) * hw + j) / (n * hw);
        }
      }
    }
    return m;
  }

  /** Unbiased (divide by N·H·W − 1) variance of each channel, in double precision, as PyTorch tracks it. */
  private static float[] channelVariances(Tensor x) {
    int n = x.dim(0), c = x.dim(1), hw = x.size() / (n * c);
    float[] m = channelMeans(x);
    float[] v = new float[c];
    for (int ch = 0; ch < c; ch++) {
      double s = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < hw; j++) {
          double d = x.get((i * c + ch) * hw + j) - m[ch];
          s += d * d;
        }
      }
      v[ch] = (float) (s / (n * hw - 1));
    }
    return v;
  }

  @Test
  void switchableKeepsStatisticsAndParametersOfEachWidthApart() {
    long seed = 21;
    SplittableRandom rng = new SplittableRandom(seed);
    SwitchableBatchNorm2d bn = new SwitchableBatchNorm2d("bn", new int[] {4, 8});
    ChannelConfig narrow = ChannelConfig.of(4).withSwitchIndex(0);
    Tensor x = randn(rng, 3f, 2, 4, 3, 3);
    Tape tape = new Tape();
    Tensor y = bn.forward(Context.train(k, tape, null), x, narrow);
    tape.backward(y, randn(rng, 0f, 2, 4, 3, 3).toArray());

    float[] m = channelMeans(x);
    for (int c = 0; c < 4; c++) {
      assertEquals(0.1f * m[c], bn.runningMean(0)[c], 1e-5f, "seed " + seed + " running mean of switch 0, channel " + c);
    }
    assertArrayEquals(new float[8], bn.runningMean(1), "switch 1 statistics must not move (seed " + seed + ")");
    float[] ones = new float[8];
    java.util.Arrays.fill(ones, 1f);
    assertArrayEquals(ones, bn.runningVar(1), "switch 1 variance must not move");
    assertTrue(bn.gamma(0).gradOrNull() != null, "switch 0 gamma gets a gradient");
    assertNull(bn.gamma(1).gradOrNull(), "switch 1 gamma must get no gradient");
    assertNull(bn.beta(1).gradOrNull(), "switch 1 beta must get no gradient");

    // eval uses the switch's own running statistics
    Tensor e = bn.forward(Context.inference(k), x, narrow);
    float[] rm = bn.runningMean(0), rv = bn.runningVar(0);
    for (int i = 0; i < x.size(); i++) {
      int c = (i / 9) % 4;
      float expect = (x.get(i) - rm[c]) / (float) Math.sqrt(rv[c] + SlimBatchNorm.EPS);
      assertEquals(expect, e.get(i), 1e-4f, "eval output " + i + " seed " + seed);
    }
  }

  @Test
  void switchableRejectsConfigurationsOutsideItsList() {
    SwitchableBatchNorm2d bn = new SwitchableBatchNorm2d("bn", new int[] {4, 8});
    Tensor x = Tensor.zeros(2, 4, 2, 2);
    var e = assertThrows(IllegalArgumentException.class,
        () -> bn.forward(Context.inference(k), x, ChannelConfig.of(4)));
    assertTrue(e.getMessage().contains("switch index"), e.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class,
        () -> bn.forward(Context.inference(k), x, ChannelConfig.of(8).withSwitchIndex(1)));
    assertTrue(e2.getMessage().contains("expects 8 channels"), e2.getMessage());
  }

  @Test
  void universalSharesGammaAndBetaAcrossWidths() {
    long seed = 22;
    SplittableRandom rng = new SplittableRandom(seed);
    UniversalBatchNorm2d shared = new UniversalBatchNorm2d("bn", 8);
    Tensor x4 = randn(rng, 1f, 3, 4, 2, 2);
    Tensor x8 = randn(rng, -1f, 3, 8, 2, 2);
    float[] g4 = randn(rng, 0f, 3, 4, 2, 2).toArray();
    float[] g8 = randn(rng, 0f, 3, 8, 2, 2).toArray();
    Tape tape = new Tape();
    Context ctx = Context.train(k, tape, null);
    tape.backward(shared.forward(ctx, x4, ChannelConfig.of(4)), g4);
    tape.backward(shared.forward(ctx, x8, ChannelConfig.of(8)), g8);

    UniversalBatchNorm2d a = new UniversalBatchNorm2d("a", 8);
    tape.backward(a.forward(ctx, x4, ChannelConfig.of(4)), g4);
    UniversalBatchNorm2d b = new UniversalBatchNorm2d("b", 8);
    tape.backward(b.forward(ctx, x8, ChannelConfig.of(8)), g8);
    for (int c = 0; c < 8; c++) {
      float expect = b.gamma().grad()[c] + (c < 4 ? a.gamma().grad()[c] : 0f);
      assertEquals(expect, shared.gamma().grad()[c], 1e-5f, "seed " + seed + " shared gamma gradient " + c);
      float expectB = b.beta().grad()[c] + (c < 4 ? a.beta().grad()[c] : 0f);
      assertEquals(expectB, shared.beta().grad()[c], 1e-5f, "seed " + seed + " shared beta gradient " + c);
    }
    assertEquals(0f, a.gamma().grad()[5], 0f, "narrow width leaves the rest of gamma untouched");
  }

  @Test
  void universalNeedsCalibrationAndKeepsItPerConfiguration() {
    long seed = 23;
    SplittableRandom rng = new SplittableRandom(seed);
    UniversalBatchNorm2d bn = new UniversalBatchNorm2d("bn", 8);
    ChannelConfig c4 = ChannelConfig.of(4);
    ChannelConfig c6 = ChannelConfig.of(6);
    Tensor x = randn(rng, 2f, 2, 4, 3, 3);
    assertThrows(IllegalStateException.class, () -> bn.forward(Context.inference(k), x, c4));

    Tensor b1 = randn(rng, 2f, 2, 4, 3, 3);
    Tensor b2 = randn(rng, -3f, 5, 4, 3, 3);
    for (int i = 0; i < b2.size(); i++) {
      b2.set(i, b2.get(i) * 1.5f);
    }
    BnCalibration cal = new BnCalibration();
    Context cctx = Context.calibrate(k, cal);
    bn.forward(cctx, b1, c4);
    bn.forward(cctx, b2, c4);
    bn.installCalibration(c4, cal);
    float[] m1 = channelMeans(b1), m2 = channelMeans(b2);
    float[][] s = bn.statistics(c4);
    float[] v1 = channelVariances(b1), v2 = channelVariances(b2);
    for (int c = 0; c < 4; c++) {
      assertEquals((m1[c] + m2[c]) / 2, s[0][c], 1e-5f, "cumulative (equal-weight) average of batch means, channel " + c);
      assertEquals((v1[c] + v2[c]) / 2, s[1][c], 1e-4f * (v1[c] + v2[c]),
          "cumulative (equal-weight) average of the batches' unbiased variances (PyTorch's running_var with momentum=None), channel " + c + " (seed " + seed + ")");
    }
    assertTrue(Math.abs(v1[0] - v2[0]) > 1f, "the two batches differ in spread, so the average is tested");
    assertTrue(bn.hasStatistics(c4));
    assertTrue(!bn.hasStatistics(c6), "another configuration has no statistics yet");
    Tensor x6 = randn(rng, 0f, 2, 6, 3, 3);
    assertThrows(IllegalStateException.class, () -> bn.forward(Context.inference(k), x6, c6));
    Tensor e = bn.forward(Context.inference(k), x, c4);
    assertNotEquals(x.get(0), e.get(0));
    for (int i = 0; i < x.size(); i++) {
      int c = (i / 9) % 4;
      float expect = (x.get(i) - s[0][c]) / (float) Math.sqrt(s[1][c] + SlimBatchNorm.EPS);
      assertEquals(expect, e.get(i), 1e-4f, "eval with calibrated statistics, element " + i);
    }
  }
}
