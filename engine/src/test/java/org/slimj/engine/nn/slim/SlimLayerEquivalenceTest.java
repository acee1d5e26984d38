package org.slimj.engine.nn.slim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.TestBackends;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/**
 * A slimmable layer run at (cin, cout) gives the same output and the same prefix gradients as a
 * plain layer built at (cin, cout) from the copied weight slice; gradients outside the active prefix
 * stay exactly zero.
 */
class SlimLayerEquivalenceTest {

  private static Tensor randn(SplittableRandom rng, int... shape) {
    Tensor t = Tensor.zeros(shape);
    TestBackends.randn(t, rng);
    return t;
  }

  @ParameterizedTest
  @MethodSource("org.slimj.engine.TestBackends#all")
  void convPrefixEqualsCopiedSlice(Kernels k) {
    long seed = 11;
    SplittableRandom rng = new SplittableRandom(seed);
    int cinMax = 13, coutMax = 11, cin = 7, cout = 5;
    for (int kernel : new int[] {1, 3}) {
      for (int stride : new int[] {1, 2}) {
        SlimConv2d big = new SlimConv2d("big", cinMax, coutMax, kernel, stride, rng);
        SlimConv2d small = new SlimConv2d("small", cin, cout, kernel, stride, rng);
        int kk = kernel * kernel;
        for (int o = 0; o < cout; o++) {
          for (int c = 0; c < cin; c++) {
            for (int t = 0; t < kk; t++) {
              small.weight().set((o * cin + c) * kk + t, big.weight().get((o * cinMax + c) * kk + t));
            }
          }
        }
        Tensor x = randn(rng, 3, cin, 7, 9);
        float[] seedGrad = randn(rng, 3, cout, (7 + 2 * (kernel / 2) - kernel) / stride + 1,
            (9 + 2 * (kernel / 2) - kernel) / stride + 1).toArray();
        Tensor yb = runBackward(k, ctx -> big.forward(ctx, x, cout), seedGrad);
        Tensor ys = runBackward(k, ctx -> small.forward(ctx, x, cout), seedGrad);
        String msg = "seed " + seed + " kernel " + kernel + " stride " + stride + " backend " + k.name();
        assertArrayEquals(ys.toArray(), yb.toArray(), 1e-5f, msg);
        float[] gb = big.weight().grad();
        float[] gs = small.weight().grad();
        for (int o = 0; o < coutMax; o++) {
          for (int c = 0; c < cinMax; c++) {
            for (int t = 0; t < kk; t++) {
              float v = gb[(o * cinMax + c) * kk + t];
              if (o < cout && c < cin) {
                assertEquals(gs[(o * cin + c) * kk + t], v, 1e-4f * (1 + Math.abs(v)), msg + " grad (" + o + "," + c + ")");
              } else {
                assertEquals(0f, v, 0f, msg + " gradient outside the prefix at (" + o + "," + c + "," + t + ")");
              }
            }
          }
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("org.slimj.engine.TestBackends#all")
  void depthwisePrefixEqualsCopiedSlice(Kernels k) {
    long seed = 12;
    SplittableRandom rng = new SplittableRandom(seed);
    int cMax = 19, c = 10;
    SlimDepthwiseConv2d big = new SlimDepthwiseConv2d("big", cMax, 3, 2, rng);
    SlimDepthwiseConv2d small = new SlimDepthwiseConv2d("small", c, 3, 2, rng);
    for (int i = 0; i < c * 9; i++) {
      small.weight().set(i, big.weight().get(i));
    }
    Tensor x = randn(rng, 2, c, 9, 8);
    float[] seedGrad = randn(rng, 2, c, 5, 4).toArray();
    Tensor yb = runBackward(k, ctx -> big.forward(ctx, x), seedGrad);
    Tensor ys = runBackward(k, ctx -> small.forward(ctx, x), seedGrad);
    String msg = "seed " + seed + " backend " + k.name();
    assertArrayEquals(ys.toArray(), yb.toArray(), 1e-5f, msg);
    float[] gb = big.weight().grad();
    for (int i = 0; i < cMax * 9; i++) {
      float expected = i < c * 9 ? small.weight().grad()[i] : 0f;
      assertEquals(expected, gb[i], i < c * 9 ? 1e-4f * (1 + Math.abs(expected)) : 0f, msg + " index " + i);
    }
  }

  @ParameterizedTest
  @MethodSource("org.slimj.engine.TestBackends#all")
  void linearPrefixEqualsCopiedSlice(Kernels k) {
    long seed = 13;
    SplittableRandom rng = new SplittableRandom(seed);
    int inMax = 17, outMax = 9, in = 6, out = 4;
    SlimLinear big = new SlimLinear("big", inMax, outMax, true, rng);
    SlimLinear small = new SlimLinear("small", in, out, true, rng);
    TestBackends.randn(big.bias(), rng);
    for (int o = 0; o < out; o++) {
      small.bias().set(o, big.bias().get(o));
      for (int i = 0; i < in; i++) {
        small.weight().set(o * in + i, big.weight().get(o * inMax + i));
      }
    }
    Tensor x = randn(rng, 5, in);
    float[] seedGrad = randn(rng, 5, out).toArray();
    Tensor yb = runBackward(k, ctx -> big.forward(ctx, x, out), seedGrad);
    Tensor ys = runBackward(k, ctx -> small.forward(ctx, x, out), seedGrad);
    String msg = "seed " + seed + " backend " + k.name();
    assertArrayEquals(ys.toArray(), yb.toArray(), 1e-5f, msg);
    for (int o = 0; o < outMax; o++) {
      float bg = big.bias().grad()[o];
      assertEquals(o < out ? small.bias().grad()[o] : 0f, bg, o < out ? 1e-5f : 0f, msg + " bias " + o);
      for (int i = 0; i < inMax; i++) {
        float v = big.weight().grad()[o * inMax + i];
        float e = o < out && i < in ? small.weight().grad()[o * in + i] : 0f;
        assertEquals(e, v, o < out && i < in ? 1e-5f : 0f, msg + " weight (" + o + "," + i + ")");
      }
    }
  }

  private static Tensor runBackward(Kernels k, java.util.function.Function<Context, Tensor> f, float[] seedGrad) {
    Tape tape = new Tape();
    Context ctx = Context.train(k, tape, null);
    Tensor y = f.apply(ctx);
    Tensor copy = Tensor.of(y.toArray(), y.shape());
    tape.backward(y, seedGrad);
    return copy;
  }
}
