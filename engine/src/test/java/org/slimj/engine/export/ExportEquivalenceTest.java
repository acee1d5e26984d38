package org.slimj.engine.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.infer.ExportedNetwork;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.MobileNetV1;
import org.slimj.engine.models.MobileNetV2;
import org.slimj.engine.models.ResNetCifar;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.tensor.Tensor;

/**
 * An exported network (weights sliced, batch norm folded) predicts what the slimmable network
 * predicts at the configuration it was exported at, for every model family and BN flavour, read
 * back from its files both by {@link ExportedNetwork} and by a naive interpreter that knows only
 * the file format.
 */
class ExportEquivalenceTest {
  @TempDir Path dir;

  private static final double[] LIST = {0.25, 0.5, 0.75, 1.0};
  private static final double[] HALF = {0.125, 0.25, 0.375, 0.5};

  /** (name, image channels, size, model builder, configuration chooser, backend). */
  record Case(String name, int channels, int size, long seed,
      java.util.function.Function<SplittableRandom, SlimModel> build, boolean switchConfig) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Arguments> cases() {
    Case[] cs = {
      new Case("smallcnn shared", 1, 12, 11, r -> new SmallCnn(1, 12, 10, new int[] {8, 12, 16}, BnKind.SHARED, LIST, r),
          false),
      new Case("smallcnn universal", 1, 12, 12, r -> new SmallCnn(1, 12, 10, new int[] {8, 12, 16}, BnKind.UNIVERSAL,
          LIST, r), false),
      new Case("smallcnn switchable", 1, 12, 13, r -> new SmallCnn(1, 12, 10, new int[] {8, 12, 16},
          BnKind.SWITCHABLE, LIST, r), true),
      new Case("mobilenetv2 universal 16px", 3, 16, 14, r -> new MobileNetV2(0.5, 3, 16, 10, BnKind.UNIVERSAL, HALF,
          r), false),
      new Case("mobilenetv1 switchable 16px", 3, 16, 15, r -> new MobileNetV1(0.5, 3, 16, 10, BnKind.SWITCHABLE,
          new double[] {0.25, 0.5}, r), true),
      new Case("mobilenetv1 universal 16px", 3, 16, 16, r -> new MobileNetV1(0.5, 3, 16, 10, BnKind.UNIVERSAL, HALF,
          r), false),
      new Case("resnet20 universal 8px", 3, 8, 17, r -> new ResNetCifar(20, 1.0, 3, 8, 10, BnKind.UNIVERSAL, LIST, r),
          false),
      new Case("resnet20 shared 8px", 3, 8, 18, r -> new ResNetCifar(20, 1.0, 3, 8, 10, BnKind.SHARED, LIST, r),
          false),
    };
    Stream.Builder<Arguments> b = Stream.builder();
    for (Case c : cs) {
      TestBackends.plain().forEach(k -> {
        if (k.name().equals("vector") || c.name().startsWith("smallcnn") || c.name().startsWith("resnet")) {
          b.add(Arguments.of(c, k));
        }
      });
    }
    return b.build();
  }

  @ParameterizedTest(name = "{0} on {1}")
  @MethodSource("cases")
  void exportedPredictionsEqualTheSlimmableNetworks(Case c, Kernels k) throws Exception {
    SplittableRandom rng = new SplittableRandom(c.seed());
    SlimModel model = c.build().apply(rng);
    ExportFixtures.randomizeBatchNorm(model, rng);
    ChannelConfig cfg = c.switchConfig() ? model.switchConfig(1) : ExportFixtures.randomConfig(model, rng);
    ExportFixtures.calibrateIfUniversal(model, k, cfg, c.channels(), c.size(), rng);
    Tensor x = ExportFixtures.images(3, c.channels(), c.size(), rng);
    float[] expected = ExportFixtures.slimLogits(model, k, x, cfg);

    Exporter.ExportedModel m = Exporter.export(model, cfg, c.channels(), c.size(), null,
        Map.of("test", c.name()));
    ExportFiles.write(dir, m);
    ExportedNetwork net = ExportedNetwork.load(dir);
    Arena arena = new Arena();
    float[] found = net.forward(k, arena, x).toArray();
    String what = c.name() + " at " + cfg + " on " + k.name() + " (seed " + c.seed() + ")";
    assertClose(expected, found, 10, what + ", ExportedNetwork");
    float[] naive = NaiveInterpreter.run(dir, x);
    assertClose(expected, naive, 10, what + ", naive interpreter from the files");
  }

  /** Max |diff| below 1e-4 of the largest logit (at least 1e-4), and the same argmax per row. */
  static void assertClose(float[] expected, float[] found, int classes, String what) {
    assertEquals(expected.length, found.length, what + ": logits count");
    double scale = 1e-4;
    double diff = 0;
    for (int i = 0; i < expected.length; i++) {
      scale = Math.max(scale, 1e-4 * Math.abs(expected[i]));
      diff = Math.max(diff, Math.abs(expected[i] - found[i]));
    }
    assertTrue(diff <= scale, what + ": max |logit difference| " + diff + " above " + scale);
    for (int r = 0; r < expected.length / classes; r++) {
      assertEquals(argmax(expected, r, classes), argmax(found, r, classes), what + ": argmax of image " + r);
    }
  }

  private static int argmax(float[] v, int row, int classes) {
    int best = 0;
    for (int j = 1; j < classes; j++) {
      if (v[row * classes + j] > v[row * classes + best]) {
        best = j;
      }
    }
    return best;
  }
}
