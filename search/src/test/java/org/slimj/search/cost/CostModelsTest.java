package org.slimj.search.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.space.Activation;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.space.Slot;

/** Cost models against published figures and against figures derived by hand. */
class CostModelsTest {
  private static ChannelSpace space(String arch, int in, int size, int classes) {
    return new ModelSpec(arch, 1.0, in, size, classes, BnKind.UNIVERSAL, new double[] {1.0})
        .build(new SplittableRandom(1)).space();
  }

  private static void assertNear(double expected, double found, double rel, String what) {
    assertTrue(Math.abs(found - expected) <= rel * expected,
        what + ": expected " + expected + " within " + rel * 100 + "%, found " + found);
  }

  @Test
  void publishedMacsAndParameters() {
    ChannelSpace imagenet = space("mobilenetv2", 3, 224, 1000);
    assertNear(300e6, new MacsCost().cost(imagenet, imagenet.max()), 0.02, "MobileNet v2 1.0 @224 MACs");
    assertNear(3.5e6, new ParamsCost().cost(imagenet, imagenet.max()), 0.03, "MobileNet v2 1.0 @224 params");
    ChannelSpace cifar = space("mobilenetv2", 3, 32, 10);
    assertNear(88e6, new MacsCost().cost(cifar, cifar.max()), 0.01, "CIFAR MobileNet v2 1.0 MACs (AutoSlim table 2)");
    ChannelSpace r20 = space("resnet20", 3, 32, 10);
    assertNear(41e6, new MacsCost().cost(r20, r20.max()), 0.015, "ResNet-20 MACs");
    assertNear(0.27e6, new ParamsCost().cost(r20, r20.max()), 0.02, "ResNet-20 params");
  }

  /**
   * image 1×4×4 → conv3×3 (1→a) → conv3×3 (a→b) → conv1×1 (b→a) + residual from the second conv's
   * input → global pool → linear (a→5).
   */
  private static ChannelSpace tiny() {
    List<Slot> slots = List.of(new Slot("a", 2, 2, 1, 1, false), new Slot("b", 3, 3, 1, 1, false));
    List<LayerSpec> layers = List.of(
        new LayerSpec("c0", LayerKind.CONV, 3, 1, 4, -1, 1, 0, -1, true, false, Activation.RELU, -1, 0),
        new LayerSpec("c1", LayerKind.CONV, 3, 1, 4, 0, -1, 1, -1, true, false, Activation.RELU, -1, 0),
        new LayerSpec("c2", LayerKind.CONV, 1, 1, 4, 1, -1, 0, -1, true, false, Activation.NONE, 1, 0),
        new LayerSpec("fc", LayerKind.LINEAR, 1, 1, 1, 0, -1, -1, 5, false, true, Activation.NONE, -1, 4));
    return new ChannelSpace(slots, layers);
  }

  @Test
  void memoryOfATinyModelByHand() {
    ChannelSpace s = tiny();
    ChannelConfig c = ChannelConfig.of(2, 3);
    // params: c0 1·2·9 + 2·2 = 22, c1 2·3·9 + 2·3 = 60, c2 3·2 + 2·2 = 10, fc 2·5 + 5 = 15: 107
    // outputs: 2·16 + 3·16 + 2·16 + 5 = 117; (107 + 117) floats · 4 bytes
    assertEquals(896.0, new MemoryFootprintCost().cost(s, c));
    // c2 runs with its input (3·16), its output (2·16) and the kept block input (2·16): 112 floats
    assertEquals(448.0, new PeakActivationMemory().cost(s, c));
    ChannelConfig small = ChannelConfig.of(1, 1);
    // c0: 16 + 16 = 32; c1: 16 + 16 = 32; c2: 16 + 16 + 16 = 48 floats
    assertEquals(48 * 4.0, new PeakActivationMemory().cost(s, small));
  }

  @Test
  void peakMemoryOfCifarMobileNetV2AndResNet20ByHand() {
    ChannelSpace mb = space("mobilenetv2", 3, 32, 10);
    // blocks.2 (second block of the 24-channel stage, still 32×32 on CIFAR): its depthwise conv reads
    // and writes 144 channels while the 24-channel block input waits for the add: (144 + 144 + 24)·1024
    assertEquals(312 * 1024 * 4.0, new PeakActivationMemory().cost(mb, mb.max()));
    ChannelSpace r = space("resnet20", 3, 32, 10);
    // blocks.0.conv2: input 16·1024, output 16·1024, kept block input 16·1024
    assertEquals(3 * 16 * 1024 * 4.0, new PeakActivationMemory().cost(r, r.max()));
  }

  @Test
  void memoryGrowsWithWidth() {
    ChannelSpace mb = space("mobilenetv2", 3, 32, 10);
    MemoryFootprintCost m = new MemoryFootprintCost();
    assertTrue(m.cost(mb, mb.uniform(0.5)) < m.cost(mb, mb.uniform(0.75)));
    assertTrue(m.cost(mb, mb.uniform(0.75)) < m.cost(mb, mb.max()));
  }

  @Test
  void specsNameEveryCost() {
    assertInstanceOf(MacsCost.class, CostSpecs.parse("macs"));
    assertInstanceOf(MacsCost.class, CostSpecs.parse("FLOPS"));
    assertInstanceOf(ParamsCost.class, CostSpecs.parse("params"));
    assertInstanceOf(MemoryFootprintCost.class, CostSpecs.parse("memory"));
    assertInstanceOf(PeakActivationMemory.class, CostSpecs.parse(" peak-memory "));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CostSpecs.parse("latency:/no/such/table.json"));
    assertTrue(e.getMessage().contains("/no/such/table.json"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CostSpecs.parse("speed"));
    assertTrue(e.getMessage().contains("peak-memory") && e.getMessage().contains("'speed'"), e.getMessage());
  }
}
