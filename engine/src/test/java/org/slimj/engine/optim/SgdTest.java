package org.slimj.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.tensor.Tensor;

/** SGD with momentum, Nesterov and decoupled-from-BN weight decay against hand-computed updates. */
class SgdTest {
  @Test
  void nesterovMomentumWithWeightDecayMatchesHandComputation() {
    Tensor w = Tensor.parameter(1);
    w.set(0, 2f);
    Tensor b = Tensor.parameter(1);
    b.set(0, 2f);
    Sgd sgd = new Sgd(List.of(new Parameter("w", w, true), new Parameter("b", b, false)), 0.9, true, 0.1);
    // step 1: g = 1 + 0.1*2 = 1.2; v = 1.2; update = g + 0.9 v = 2.28; w = 2 - 0.5*2.28 = 0.86
    w.grad()[0] = 1f;
    b.grad()[0] = 1f;
    sgd.step(0.5);
    assertEquals(0.86f, w.get(0), 1e-6f);
    // no decay on b: g = 1; v = 1; update = 1.9; b = 2 - 0.95 = 1.05
    assertEquals(1.05f, b.get(0), 1e-6f);
    // step 2 on w: g = 1 + 0.086 = 1.086; v = 0.9*1.2 + 1.086 = 2.166; update = 1.086 + 1.9494 = 3.0354
    sgd.step(0.5);
    assertEquals(0.86f - 0.5f * 3.0354f, w.get(0), 1e-5f);
  }

  @Test
  void zeroGradClearsAccumulatedGradients() {
    Tensor w = Tensor.parameter(3);
    w.grad()[1] = 5f;
    Sgd sgd = new Sgd(List.of(new Parameter("w", w, true)), 0.0, false, 0.0);
    sgd.zeroGrad();
    assertEquals(0f, w.grad()[1]);
  }
}
