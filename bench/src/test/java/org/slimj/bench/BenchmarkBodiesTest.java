package org.slimj.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Each JMH benchmark's setup and body, called directly on tiny parameters (no JMH run), and the
 * benchmark list that JMH's annotation processor must have generated.
 */
class BenchmarkBodiesTest {

  @Test
  void benchmarkListWasGenerated() throws IOException {
    try (InputStream in = getClass().getResourceAsStream("/META-INF/BenchmarkList")) {
      assertTrue(in != null, "META-INF/BenchmarkList is missing: JMH's annotation processor did not run");
      String list = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      for (String b : new String[] {"SgemmBench.sgemm", "ConvBench.backwardWeights", "DepthwiseBench.forward",
          "BatchNormBench.backward", "LayerBench.forwardBackward", "SandwichStepBench.step", "InferenceBench.infer"}) {
        String[] cm = b.split("\\.");
        assertTrue(list.contains("org.slimj.bench.jmh_generated." + cm[0] + "_" + cm[1] + "_jmhTest"),
            b + " is not in the benchmark list");
      }
    }
  }

  @Test
  void sgemmComputesTheProductInEveryLayout() {
    int m = 3;
    int n = 5;
    int k = 7;
    // the operands SgemmBench draws: A then B from seed 11
    java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
    float[] a = RandomTensors.gaussian(rng, m * k);
    float[] bm = RandomTensors.gaussian(rng, k * n);
    for (String layout : new String[] {"NN", "TN", "NT"}) {
      boolean ta = layout.charAt(0) == 'T';
      boolean tb = layout.charAt(1) == 'T';
      for (String backend : new String[] {"scalar", "vector"}) {
        SgemmBench b = new SgemmBench();
        b.backend = backend;
        b.threads = 1;
        b.mnk = m + "x" + n + "x" + k;
        b.layout = layout;
        b.setup();
        float[] c = b.sgemm();
        for (int i = 0; i < m; i++) {
          for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) {
              s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? bm[j * k + p] : bm[p * n + j]);
            }
            assertEquals(s, c[i * n + j], 1e-4, layout + " " + backend + " at (" + i + ", " + j + ")");
          }
        }
      }
    }
  }

  @Test
  void convolutionBodiesRunOnASlicedWeight() {
    ConvBench b = new ConvBench();
    b.backend = "vector";
    b.threads = 2;
    b.shape = "2x8@5->6k3s1";
    b.frac = 0.5;
    b.setup();
    ConvBench ref = new ConvBench();
    ref.backend = "scalar";
    ref.threads = 1;
    ref.shape = b.shape;
    ref.frac = b.frac;
    ref.setup();
    assertClose(ref.forward(), b.forward(), "forward");
    assertClose(ref.backwardData(), b.backwardData(), "backward data");
    assertClose(ref.backwardWeights(), b.backwardWeights(), "backward weights");
  }

  @Test
  void depthwiseAndBatchNormBodiesRun() {
    DepthwiseBench d = new DepthwiseBench();
    d.backend = "vector";
    d.threads = 1;
    d.shape = "2x6@7k3s2";
    d.frac = 0.5;
    d.setup();
    assertEquals(2 * 3 * 4 * 4, d.forward().length);
    assertTrue(d.backwardData().length > 0 && d.backwardWeights().length > 0);
    BatchNormBench n = new BatchNormBench();
    n.backend = "vector";
    n.threads = 1;
    n.shape = "2x3@5";
    n.setup();
    assertEquals(3, n.stats().length);
    assertEquals(2 * 3 * 25, n.apply().length);
    assertEquals(2 * 3 * 25, n.backward().length);
  }

  @Test
  void layerSandwichAndInferenceBodiesRun() {
    LayerBench l = new LayerBench();
    l.backend = "vector";
    l.threads = 1;
    l.layer = "dw576";
    l.frac = 0.5;
    l.batch = 1;
    l.setup();
    assertArrayEquals(new int[] {1, 288, 8, 8}, l.forward().shape());
    assertTrue(l.forwardBackward().gradOrNull() != null, "the weight has a gradient after backward");

    SandwichStepBench s = new SandwichStepBench();
    s.backend = "vector";
    s.threads = 1;
    s.model = "mobilenetv2";
    s.mode = "us";
    s.widths = "1.0/0.25";
    s.batch = 2;
    s.input = 8;
    s.setup();
    assertEquals(2, s.step().losses().length);

    InferenceBench i = new InferenceBench();
    i.backend = "vector";
    i.threads = 1;
    i.model = "mobilenetv2";
    i.width = 0.35;
    i.batch = 1;
    i.input = 8;
    i.setup();
    assertArrayEquals(new int[] {1, 10}, i.infer().shape());
  }

  private static void assertClose(float[] expected, float[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i], actual[i], 1e-3f * Math.max(1f, Math.abs(expected[i])), what + " element " + i);
    }
  }
}
