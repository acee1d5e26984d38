package org.slimj.engine.optim;

import java.util.List;
import org.slimj.engine.nn.Parameter;

/**
 * Stochastic gradient descent with momentum (PyTorch's formulation: {@code v = m·v + g}; plain
 * update {@code p -= lr·v}, Nesterov {@code p -= lr·(g + m·v)}) and L2 weight decay added to the
 * gradient of the parameters marked for decay. Momentum buffers are allocated once.
 */
public final class Sgd {
  private final List<Parameter> params;
  private final float momentum;
  private final boolean nesterov;
  private final float weightDecay;
  private final float[][] velocity;

  /** An optimizer over {@code params}. */
  public Sgd(List<Parameter> params, double momentum, boolean nesterov, double weightDecay) {
    if (!(momentum >= 0 && momentum < 1) || !(weightDecay >= 0 && weightDecay < Double.POSITIVE_INFINITY)) {
      throw new IllegalArgumentException(
          "SGD: expected momentum in [0, 1) and a finite weight decay >= 0, found " + momentum + " and " + weightDecay);
    }
    if (nesterov && momentum == 0) {
      throw new IllegalArgumentException("SGD: Nesterov momentum needs momentum > 0");
    }
    this.params = List.copyOf(params);
    this.momentum = (float) momentum;
    this.nesterov = nesterov;
    this.weightDecay = (float) weightDecay;
    this.velocity = new float[this.params.size()][];
    for (int i = 0; i < velocity.length; i++) {
      velocity[i] = momentum > 0 ? new float[this.params.get(i).tensor().size()] : null;
    }
  }

  /** Zeroes every parameter gradient (call before the forward/backward passes of a step). */
  public void zeroGrad() {
    for (Parameter p : params) {
      p.tensor().zeroGrad();
    }
  }

  /** Applies one update with learning rate {@code lr} from the accumulated gradients. */
  public void step(double lr) {
    float a = (float) lr;
    for (int i = 0; i < params.size(); i++) {
      Parameter p = params.get(i);
      float[] g = p.tensor().gradOrNull();
      if (g == null) {
        continue;
      }
      float[] w = p.tensor().data();
      int off = p.tensor().offset();
      float wd = p.decay() ? weightDecay : 0f;
      float[] v = velocity[i];
      for (int j = 0; j < g.length; j++) {
        float gj = g[j] + wd * w[off + j];
        if (v != null) {
          v[j] = momentum * v[j] + gj;
          gj = nesterov ? gj + momentum * v[j] : v[j];
        }
        w[off + j] -= a * gj;
      }
    }
  }

  /**
   * The optimizer state a checkpoint must keep: each parameter's momentum buffer by the name
   * {@code optimizer.momentum.<parameter name>}. The arrays are live, so a loader copies into them.
   */
  public java.util.Map<String, float[]> state() {
    java.util.Map<String, float[]> m = new java.util.LinkedHashMap<>();
    for (int i = 0; i < params.size(); i++) {
      if (velocity[i] != null) {
        m.put("optimizer.momentum." + params.get(i).name(), velocity[i]);
      }
    }
    return m;
  }

  /** The parameters this optimizer updates. */
  public List<Parameter> parameters() {
    return params;
  }
}
