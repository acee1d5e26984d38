package org.slimj.bench.latency;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.ScalarKernels;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.space.LayerKind;
import org.slimj.engine.space.LayerSpec;
import org.slimj.engine.tensor.Tensor;
import org.slimj.search.latency.LatencyGrid;
import org.slimj.search.latency.LatencyTable;
import org.slimj.search.latency.LayerSignature;

/** The profiler's grid, its table's shape, and the validation's bookkeeping (not the timings themselves). */
class LatencyProfilerTest {
  private static final MedianTimer QUICK = new MedianTimer(0.2, 0.2, 1, TimingClock.WALL);

  @Test
  void gridsHoldBothEndsAndNoDuplicates() {
    assertArrayEquals(new int[] {2, 7, 11, 16}, ChannelRange.grid(2, 16, 4));
    assertArrayEquals(new int[] {3}, ChannelRange.grid(3, 3, 5));
    assertArrayEquals(new int[] {1, 2, 3}, ChannelRange.grid(1, 3, 6));
    assertThrows(IllegalArgumentException.class, () -> ChannelRange.grid(4, 3, 2));
  }

  @Test
  void aProfileCoversEverySignatureOfTheModel() {
    Kernels k = new ScalarKernels();
    ModelSpec spec = new ModelSpec("smallcnn", 0.5, 1, 12, 10, BnKind.SHARED, new double[] {1.0});
    NetworkRunner runner = new NetworkRunner(k, spec, 2, 5);
    var prov = Platform.here("test", k.name(), k.threads(), 2, TimingClock.WALL, QUICK.describe());
    LatencyTable t = new LatencyProfiler(k, 2, 3, QUICK, 0.05).profile(runner, prov, 2, 5, line -> {});
    t.requireCovers(runner.space());
    Set<LayerSignature> sigs = new HashSet<>();
    for (LayerSpec l : runner.space().layers()) {
      sigs.add(LayerSignature.of(l));
    }
    assertEquals(sigs, t.entries().keySet());
    for (var e : t.entries().entrySet()) {
      LatencyGrid g = e.getValue();
      int expectedCouts = e.getKey().kind() == LayerKind.DEPTHWISE || e.getKey().kind() == LayerKind.LINEAR ? 1 : 3;
      assertEquals(expectedCouts, g.couts().length, e.getKey().toString());
      for (int i = 0; i < g.cins().length; i++) {
        for (int j = 0; j < g.couts().length; j++) {
          assertTrue(g.measured(i, j) > 0, e.getKey() + " at " + i + "," + j);
        }
      }
    }
    assertEquals(1, t.entries().get(LayerSignature.of(runner.space().layers().get(0))).cins().length,
        "the stem's input is the fixed image channels");
    assertTrue(Double.isFinite(t.fixedMs()));
    LatencyValidation.Result r = LatencyValidation.run(t, runner, 2, 3, 9, QUICK, 0.05);
    assertEquals(3, r.rows().size());
    double sum = 0;
    for (LatencyValidation.Row row : r.rows()) {
      assertTrue(row.measuredMs() > 0);
      assertEquals(t.cost(runner.space(), row.config()), row.predictedMs());
      sum += row.absPercentError();
    }
    assertEquals(sum / 3, r.mape(), 1e-9);
  }

  @Test
  void scaleAndFixedTermAreFittedByLeastSquares() {
    double[] fit = LatencyProfiler.fitScaleAndFixed(new double[] {1, 2, 4}, new double[] {1.5, 2.7, 5.1});
    assertEquals(1.2, fit[0], 1e-12);
    assertEquals(0.3, fit[1], 1e-12);
    double[] one = LatencyProfiler.fitScaleAndFixed(new double[] {2}, new double[] {2.5});
    assertArrayEquals(new double[] {1.0, 0.5}, one, 1e-12, "one run: scale 1, the residual as fixed term");
    double[] wild = LatencyProfiler.fitScaleAndFixed(new double[] {1, 2, 3}, new double[] {1, 9, 17});
    assertEquals(1.0, wild[0], "a slope of 8 is not believed");
    assertEquals(7.0, wild[1], 1e-12, "median of the residuals 0, 7, 14");
  }

  @Test
  void theFixedTermIsNeverFittedNegative() {
    double[] free = LatencyProfiler.fitScaleAndFixed(new double[] {1, 2, 4}, new double[] {0.9, 2.3, 5.1});
    assertEquals(0.0, free[1], "the free fit 1.4 x - 0.5 would predict a negative time for small networks");
    assertEquals((0.9 + 4.6 + 20.4) / 21, free[0], 1e-12, "least squares through the origin");
    double[] one = LatencyProfiler.fitScaleAndFixed(new double[] {2}, new double[] {1.5});
    assertArrayEquals(new double[] {0.75, 0.0}, one, 1e-12, "one run faster than its layers: scaled down, no negative term");
  }

  @Test
  void aLayerUnitComputesTheLayerItStandsFor() {
    Kernels k = new ScalarKernels();
    LayerSignature res = new LayerSignature(LayerKind.CONV, 1, 1, 5, true, false,
        org.slimj.engine.space.Activation.NONE, true, 0);
    Tensor y = new LayerUnit(k, res, 8, 6, 3, 4, 2, 1).run();
    assertArrayEquals(new int[] {2, 4, 5, 5}, y.shape());
    LayerSignature fc = new LayerSignature(LayerKind.LINEAR, 1, 1, 1, false, true,
        org.slimj.engine.space.Activation.NONE, false, 3);
    assertArrayEquals(new int[] {2, 10}, new LayerUnit(k, fc, 8, 10, 5, 10, 2, 1).run().shape());
    LayerSignature dw = new LayerSignature(LayerKind.DEPTHWISE, 3, 2, 7, true, false,
        org.slimj.engine.space.Activation.RELU6, false, 0);
    assertArrayEquals(new int[] {1, 6, 4, 4}, new LayerUnit(k, dw, 8, 1, 6, 6, 1, 1).run().shape());
    assertThrows(IllegalArgumentException.class, () -> new LayerUnit(k, res, 8, 6, 9, 4, 1, 1));
  }
}
