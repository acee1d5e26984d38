package org.slimj.engine.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slimj.engine.io.Json;
import org.slimj.engine.io.SafetensorsFile;
import org.slimj.engine.tensor.Tensor;

/**
 * Runs an exported network from its two files alone, with direct loops written from the format
 * description in {@link NetworkSpec} (no slimj model, no kernels, no {@code NetworkSpec} parser):
 * the check that the files are self-describing.
 */
final class NaiveInterpreter {
  private NaiveInterpreter() {}

  /** A value [n][c][h][w] (h = w = 1 for features). */
  private record Value(int n, int c, int h, int w, double[] v) {}

  @SuppressWarnings("unchecked")
  static float[] run(Path dir, Tensor x) throws IOException, org.slimj.engine.io.JsonException {
    Map<String, Object> doc = (Map<String, Object>) Json.parse(Files.readString(dir.resolve("model.json")));
    List<Object> layers = (List<Object>) doc.get("layers");
    List<Value> outs = new ArrayList<>();
    double[] in = new double[x.size()];
    for (int i = 0; i < in.length; i++) {
      in[i] = x.get(i);
    }
    Value input = new Value(x.dim(0), x.dim(1), x.dim(2), x.dim(3), in);
    try (SafetensorsFile f = SafetensorsFile.open(dir.resolve("model.safetensors"))) {
      for (Object o : layers) {
        Map<String, Object> l = (Map<String, Object>) o;
        Value a = pick(outs, input, num(l, "input"));
        String kind = (String) l.get("kind");
        Value y = switch (kind) {
          case "conv", "depthwise" -> conv(a, f.readFloats((String) l.get("weight")),
              l.containsKey("bias") ? f.readFloats((String) l.get("bias")) : null, num(l, "cout"), num(l, "kernel"),
              num(l, "stride"), num(l, "padding"), kind.equals("depthwise"));
          case "linear" -> linear(a, f.readFloats((String) l.get("weight")),
              l.containsKey("bias") ? f.readFloats((String) l.get("bias")) : null, num(l, "cout"));
          case "add" -> {
            Value r = pick(outs, input, num(l, "residual"));
            double[] s = new double[a.v().length];
            for (int i = 0; i < s.length; i++) {
              s[i] = a.v()[i] + r.v()[i];
            }
            yield new Value(a.n(), a.c(), a.h(), a.w(), s);
          }
          case "shortcut" -> shortcut(a, num(l, "stride"), num(l, "cout"));
          case "pool" -> {
            double[] s = new double[a.n() * a.c()];
            int hw = a.h() * a.w();
            for (int i = 0; i < s.length; i++) {
              for (int j = 0; j < hw; j++) {
                s[i] += a.v()[i * hw + j];
              }
              s[i] /= hw;
            }
            yield new Value(a.n(), a.c(), 1, 1, s);
          }
          case "flatten" -> new Value(a.n(), a.c() * a.h() * a.w(), 1, 1, a.v());
          default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
        String act = (String) l.get("activation");
        for (int i = 0; i < y.v().length; i++) {
          double v = y.v()[i];
          y.v()[i] = act.equals("relu") ? Math.max(v, 0) : act.equals("relu6") ? Math.min(Math.max(v, 0), 6) : v;
        }
        outs.add(y);
      }
    }
    double[] last = outs.get(outs.size() - 1).v();
    float[] r = new float[last.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) last[i];
    }
    return r;
  }

  private static Value pick(List<Value> outs, Value input, int i) {
    return i < 0 ? input : outs.get(i);
  }

  private static int num(Map<String, Object> l, String key) {
    return (int) (long) (Long) l.get(key);
  }

  private static Value conv(Value a, float[] w, float[] b, int cout, int k, int stride, int pad, boolean depthwise) {
    int ho = (a.h() + 2 * pad - k) / stride + 1;
    int wo = (a.w() + 2 * pad - k) / stride + 1;
    double[] y = new double[a.n() * cout * ho * wo];
    for (int n = 0; n < a.n(); n++) {
      for (int o = 0; o < cout; o++) {
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            double s = b == null ? 0 : b[o];
            int c0 = depthwise ? o : 0;
            int c1 = depthwise ? o + 1 : a.c();
            for (int c = c0; c < c1; c++) {
              for (int p = 0; p < k; p++) {
                for (int q = 0; q < k; q++) {
                  int r = i * stride - pad + p;
                  int t = j * stride - pad + q;
                  if (r < 0 || r >= a.h() || t < 0 || t >= a.w()) {
                    continue;
                  }
                  int wi = depthwise ? (o * k + p) * k + q : ((o * a.c() + c) * k + p) * k + q;
                  s += w[wi] * a.v()[((n * a.c() + c) * a.h() + r) * a.w() + t];
                }
              }
            }
            y[((n * cout + o) * ho + i) * wo + j] = s;
          }
        }
      }
    }
    return new Value(a.n(), cout, ho, wo, y);
  }

  private static Value linear(Value a, float[] w, float[] b, int cout) {
    double[] y = new double[a.n() * cout];
    for (int n = 0; n < a.n(); n++) {
      for (int o = 0; o < cout; o++) {
        double s = b == null ? 0 : b[o];
        for (int c = 0; c < a.c(); c++) {
          s += w[o * a.c() + c] * a.v()[n * a.c() + c];
        }
        y[n * cout + o] = s;
      }
    }
    return new Value(a.n(), cout, 1, 1, y);
  }

  private static Value shortcut(Value a, int stride, int cout) {
    int ho = (a.h() - 1) / stride + 1;
    int wo = (a.w() - 1) / stride + 1;
    double[] y = new double[a.n() * cout * ho * wo];
    for (int n = 0; n < a.n(); n++) {
      for (int c = 0; c < Math.min(cout, a.c()); c++) {
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            y[((n * cout + c) * ho + i) * wo + j] = a.v()[((n * a.c() + c) * a.h() + i * stride) * a.w() + j * stride];
          }
        }
      }
    }
    return new Value(a.n(), cout, ho, wo, y);
  }
}
