package org.slimj.engine.nn.slim;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.nn.Init;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.ops.Linear;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * A fully connected layer with weight {@code [outMax, inMax]} and optional bias {@code [outMax]},
 * run at any (in, out) on the prefix {@code W[:out, :in]}, {@code b[:out]}.
 */
public final class SlimLinear {
  private final String name;
  private final Tensor weight;
  private final Tensor bias;
  private final int inMax;
  private final int outMax;

  /** A linear layer initialised N(0, 0.01²) with zero bias, as the MobileNet reference code. */
  public SlimLinear(String name, int inMax, int outMax, boolean bias, RandomGenerator rng) {
    if (inMax < 1 || outMax < 1) {
      throw new IllegalArgumentException(name + ": invalid linear (inMax=" + inMax + ", outMax=" + outMax + ")");
    }
    this.name = name;
    this.inMax = inMax;
    this.outMax = outMax;
    this.weight = Tensor.parameter(outMax, inMax);
    Init.normal(weight, 0.01, rng);
    this.bias = bias ? Tensor.parameter(outMax) : null;
  }

  /** Runs on x [N, in] with {@code out} outputs; returns [N, out]. */
  public Tensor forward(Context ctx, Tensor x, int out) {
    Shapes.requireRank(x, 2, name + " input");
    Shapes.requireInRange(x.dim(1), inMax, name + " input features");
    Shapes.requireInRange(out, outMax, name + " output features");
    return Linear.forward(ctx, x, weight, bias, out);
  }

  /** The weight, allocated at maximum size. */
  public Tensor weight() {
    return weight;
  }

  /** The bias, or null. */
  public Tensor bias() {
    return bias;
  }

  /** Maximum inputs. */
  public int inMax() {
    return inMax;
  }

  /** Maximum outputs. */
  public int outMax() {
    return outMax;
  }

  /** The trainable parameters (decay on the weight only). */
  public List<Parameter> parameters() {
    List<Parameter> p = new ArrayList<>();
    p.add(new Parameter(name + ".weight", weight, true));
    if (bias != null) {
      p.add(new Parameter(name + ".bias", bias, false));
    }
    return p;
  }
}
