package org.slimj.engine.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.ops.SoftmaxCrossEntropy;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.tensor.Tensor;

/** Models: known multiply-add and parameter counts, and forward/backward at any configuration. */
class ModelsTest {
  private static final double[] WIDTHS = {0.25, 0.5, 0.75, 1.0};

  private static void assertNear(double expected, double found, double relTol, String what) {
    assertTrue(Math.abs(found - expected) <= relTol * expected,
        what + ": expected about " + expected + " (±" + (100 * relTol) + "%), found " + found);
  }

  @Test
  void mobileNetV2KnownFigures() {
    var rng = new SplittableRandom(1);
    MobileNetV2 imagenet = new MobileNetV2(1.0, 3, 224, 1000, BnKind.UNIVERSAL, WIDTHS, rng);
    ChannelSpace s = imagenet.space();
    assertNear(300e6, s.macs(s.max()), 0.02, "MobileNet v2 1.0 @224, 1000 classes, MACs");
    assertNear(3.5e6, s.params(s.max()), 0.03, "MobileNet v2 1.0 @224, 1000 classes, params");
    MobileNetV2 cifar = new MobileNetV2(1.0, 3, 32, 10, BnKind.UNIVERSAL, WIDTHS, rng);
    assertNear(87.98e6, cifar.space().macs(cifar.space().max()), 0.005, "CIFAR MobileNet v2 1.0 MACs (AutoSlim table 2: 88M)");
    assertNear(2.24e6, cifar.space().params(cifar.space().max()), 0.02, "CIFAR MobileNet v2 1.0 params");
    // uniform width 0.5 keeps the last conv at 1280 and the expansion at t x the slimmed input
    ChannelConfig half = cifar.uniform(0.5);
    assertEquals(1280, half.get(cifar.space().slots().size() - 1));
    assertEquals(16, half.get(0), "stem 32 x 0.5");
  }

  @Test
  void resNet20KnownFigures() {
    ResNetCifar r = new ResNetCifar(20, 1.0, 3, 32, 10, BnKind.UNIVERSAL, WIDTHS, new SplittableRandom(2));
    assertNear(40.6e6, r.space().macs(r.space().max()), 0.01, "ResNet-20 MACs");
    assertNear(0.27e6, r.space().params(r.space().max()), 0.02, "ResNet-20 params");
    assertEquals(3 + 9, r.space().slots().size(), "3 stage widths + 9 block widths");
  }

  @Test
  void mobileNetV1ImageNetMacs() {
    MobileNetV1 m = new MobileNetV1(1.0, 3, 224, 1000, BnKind.UNIVERSAL, WIDTHS, new SplittableRandom(3));
    assertNear(569e6, m.space().macs(m.space().max()), 0.01, "MobileNet v1 1.0 @224 MACs (569M)");
    assertNear(4.2e6, m.space().params(m.space().max()), 0.02, "MobileNet v1 1.0 @224 params (4.2M)");
    assertEquals(14, m.space().slots().size(), "stem + 13 blocks, as AOWS");
  }

  private static void forwardBackward(SlimModel m, Kernels k, ChannelConfig cfg, int inC, int size, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    Tensor x = Tensor.zeros(2, inC, size, size);
    TestBackends.randn(x, rng);
    for (Parameter p : m.parameters()) {
      p.tensor().zeroGrad();
    }
    Tape tape = new Tape();
    Context ctx = Context.train(k, tape, rng);
    Tensor logits = m.forward(ctx, x, cfg);
    assertArrayEquals(new int[] {2, m.classes()}, logits.shape());
    Tensor loss = SoftmaxCrossEntropy.forward(ctx, logits, new int[] {0, 1}, 0f);
    assertTrue(Float.isFinite(loss.item()), "finite loss at " + cfg + " seed " + seed);
    tape.backward(loss);
    float[] g = m.parameters().get(0).tensor().gradOrNull();
    assertTrue(g != null, "the stem weight gets a gradient at " + cfg);
  }

  @Test
  void everyModelRunsAtUniformAndNonuniformConfigurations() {
    Kernels k = TestBackends.plain().toList().get(1);
    long seed = 5;
    SplittableRandom rng = new SplittableRandom(seed);
    SlimModel[] models = {
      new MobileNetV2(1.0, 1, 28, 10, BnKind.UNIVERSAL, WIDTHS, rng.split()),
      new MobileNetV1(0.5, 1, 28, 10, BnKind.UNIVERSAL, new double[] {0.25, 0.5}, rng.split()),
      new ResNetCifar(20, 1.0, 1, 28, 10, BnKind.UNIVERSAL, WIDTHS, rng.split()),
      new SmallCnn(1, 28, 10, new int[] {8, 16, 16}, BnKind.UNIVERSAL, WIDTHS, rng.split())
    };
    for (SlimModel m : models) {
      forwardBackward(m, k, m.space().max(), 1, 28, seed);
      forwardBackward(m, k, m.uniform(0.25), 1, 28, seed);
      int[] c = m.space().max().toArray();
      for (int i = 0; i < c.length; i++) {
        c[i] = 1 + rng.nextInt(c[i]);
      }
      forwardBackward(m, k, ChannelConfig.of(c), 1, 28, seed);
    }
  }

  @Test
  void switchableModelsUseTheirListEntries() {
    Kernels k = TestBackends.scalar();
    MobileNetV2 m = new MobileNetV2(1.0, 1, 16, 4, BnKind.SWITCHABLE, new double[] {0.35, 1.0}, new SplittableRandom(6));
    forwardBackward(m, k, m.switchConfig(0), 1, 16, 6);
    forwardBackward(m, k, m.switchConfig(1), 1, 16, 6);
    assertThrows(IllegalArgumentException.class, () -> forwardBackward(m, k, m.uniform(0.5), 1, 16, 6));
  }

  @Test
  void configurationsAreValidatedAgainstTheSpace() {
    ResNetCifar r = new ResNetCifar(8, 1.0, 3, 8, 10, BnKind.UNIVERSAL, WIDTHS, new SplittableRandom(7));
    int[] c = r.space().max().toArray();
    c[0] += 1;
    var e = assertThrows(IllegalArgumentException.class,
        () -> r.forward(Context.inference(TestBackends.scalar()), Tensor.zeros(1, 3, 8, 8), ChannelConfig.of(c)));
    assertTrue(e.getMessage().contains("stage0.out"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> r.forward(Context.inference(TestBackends.scalar()), Tensor.zeros(1, 3, 8, 8), ChannelConfig.of(1, 2)));
  }
}
