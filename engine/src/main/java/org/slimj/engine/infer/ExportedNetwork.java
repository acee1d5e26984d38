package org.slimj.engine.infer;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slimj.engine.autograd.Arena;
import org.slimj.engine.export.ExportFiles;
import org.slimj.engine.export.ExportFormatException;
import org.slimj.engine.export.ExportedLayer;
import org.slimj.engine.export.NetworkSpec;
import org.slimj.engine.graph.OpKind;
import org.slimj.engine.io.Dtype;
import org.slimj.engine.io.SafetensorsFile;
import org.slimj.engine.io.TensorInfo;
import org.slimj.engine.kernels.ConvShape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

/**
 * A standalone exported network (batch norm folded, weights sliced to one configuration), loaded
 * from the files {@link ExportFiles} writes and run with any {@link Kernels} backend: each
 * convolution or fully connected layer is one kernel call followed by one fused pass for bias and
 * activation; residual adds are one pass too.
 *
 * <p>Immutable and safe to run from many threads at once; each call brings its own {@link Arena}
 * (scratch memory), so repeated calls of the same batch size allocate no activation memory.
 */
public final class ExportedNetwork {
  /** Largest {@code model.json} read. */
  private static final long MAX_SPEC_BYTES = 64L << 20;

  private final NetworkSpec spec;
  private final ExportedLayer[] layers;
  private final NetworkSpec.Shape[] shapes;
  private final float[][] weights;
  private final float[][] biases;
  private final float[] mean;
  private final float[] std;
  private final ConvShape[] single;
  private final long valuesPerImage;

  private ExportedNetwork(NetworkSpec spec, Map<String, float[]> tensors) {
    this.spec = spec;
    List<NetworkSpec.Shape> s = spec.validate();
    this.layers = spec.layers().toArray(new ExportedLayer[0]);
    this.shapes = s.toArray(new NetworkSpec.Shape[0]);
    long values = 0;
    for (NetworkSpec.Shape sh : shapes) {
      values += sh.volume();
    }
    this.valuesPerImage = values;
    this.weights = new float[layers.length][];
    this.biases = new float[layers.length][];
    this.single = new ConvShape[layers.length];
    for (int i = 0; i < layers.length; i++) {
      ExportedLayer l = layers[i];
      weights[i] = l.weight() == null ? null : tensors.get(l.weight());
      biases[i] = l.bias() == null ? null : tensors.get(l.bias());
      single[i] = convShape(i, 1);
    }
    this.mean = spec.meanTensor() == null ? null : tensors.get(spec.meanTensor());
    this.std = spec.stdTensor() == null ? null : tensors.get(spec.stdTensor());
    if (std != null) {
      for (int c = 0; c < std.length; c++) {
        if (!(std[c] > 0)) {
          throw new IllegalArgumentException("tensor '" + spec.stdTensor() + "': expected positive standard "
              + "deviations, found " + std[c] + " for channel " + c);
        }
      }
    }
  }

  /**
   * Builds a network from a description and its tensors (copied), checking that every tensor the
   * description names is present with the right shape and finite values, and that no other tensor
   * is.
   *
   * @throws IllegalArgumentException naming the layer, field or tensor that is wrong
   */
  public static ExportedNetwork of(NetworkSpec spec, Map<String, Tensor> tensors) {
    spec.validate();
    Map<String, int[]> expected = spec.tensorShapes();
    for (String name : tensors.keySet()) {
      if (!expected.containsKey(name)) {
        throw new IllegalArgumentException("tensor '" + name + "' is not named by the description");
      }
    }
    Map<String, float[]> values = new HashMap<>();
    for (Map.Entry<String, int[]> e : expected.entrySet()) {
      Tensor t = tensors.get(e.getKey());
      if (t == null) {
        throw new IllegalArgumentException("tensor '" + e.getKey() + "' (" + usedBy(spec, e.getKey())
            + ") is missing");
      }
      if (!Arrays.equals(t.shape(), e.getValue())) {
        throw new IllegalArgumentException("tensor '" + e.getKey() + "' (" + usedBy(spec, e.getKey())
            + "): expected shape " + Arrays.toString(e.getValue()) + ", found " + Arrays.toString(t.shape()));
      }
      values.put(e.getKey(), finite(e.getKey(), t.toArray()));
    }
    return new ExportedNetwork(spec, values);
  }

  /**
   * Loads {@code dir/model.json} and {@code dir/model.safetensors}, validating every field and
   * tensor.
   *
   * @throws ExportFormatException naming the file and what is wrong in it
   * @throws IOException if a file cannot be read
   */
  public static ExportedNetwork load(Path dir) throws IOException {
    Path specFile = dir.resolve(ExportFiles.SPEC);
    Path tensorFile = dir.resolve(ExportFiles.TENSORS);
    if (!Files.isRegularFile(specFile)) {
      throw new NoSuchFileException(specFile.toString(), null, "an exported network needs its description");
    }
    if (Files.size(specFile) > MAX_SPEC_BYTES) {
      throw new ExportFormatException(specFile.toString(), "larger than " + MAX_SPEC_BYTES + " bytes");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(Files.readAllBytes(specFile))).toString();
    } catch (CharacterCodingException e) {
      throw new ExportFormatException(specFile.toString(), "not UTF-8 text", e);
    }
    NetworkSpec spec = NetworkSpec.parse(text, specFile.toString());
    Map<String, int[]> expected = spec.tensorShapes();
    Map<String, float[]> values = new HashMap<>();
    try (SafetensorsFile f = SafetensorsFile.open(tensorFile)) {
      for (TensorInfo t : f.tensors()) {
        if (!expected.containsKey(t.name())) {
          throw new ExportFormatException(tensorFile.toString(), "tensor '" + t.name() + "' is not named by "
              + specFile.getFileName());
        }
      }
      for (Map.Entry<String, int[]> e : expected.entrySet()) {
        String name = e.getKey();
        String what = "tensor '" + name + "' (" + usedBy(spec, name) + ")";
        if (!f.contains(name)) {
          throw new ExportFormatException(tensorFile.toString(), what + " is missing");
        }
        TensorInfo info = f.tensor(name);
        long[] want = Arrays.stream(e.getValue()).asLongStream().toArray();
        if (info.dtype() != Dtype.F32 || !Arrays.equals(info.shape(), want)) {
          throw new ExportFormatException(tensorFile.toString(), what + ": expected F32 " + Arrays.toString(want)
              + ", found " + info.dtype() + " " + Arrays.toString(info.shape()));
        }
        try {
          values.put(name, finite(name, f.readFloats(name)));
        } catch (IllegalArgumentException ex) {
          throw new ExportFormatException(tensorFile.toString(), ex.getMessage(), ex);
        }
      }
    }
    try {
      return new ExportedNetwork(spec, values);
    } catch (IllegalArgumentException e) {
      throw new ExportFormatException(tensorFile.toString(), e.getMessage(), e);
    }
  }

  private static String usedBy(NetworkSpec spec, String tensor) {
    if (tensor.equals(spec.meanTensor()) || tensor.equals(spec.stdTensor())) {
      return "the input normalization";
    }
    for (int i = 0; i < spec.layers().size(); i++) {
      ExportedLayer l = spec.layers().get(i);
      if (tensor.equals(l.weight())) {
        return "weight of layers[" + i + "] " + l.name();
      }
      if (tensor.equals(l.bias())) {
        return "bias of layers[" + i + "] " + l.name();
      }
    }
    return "unused";
  }

  private static float[] finite(String name, float[] v) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new IllegalArgumentException("tensor '" + name + "': value " + i + " is " + v[i]
            + ", expected a finite number");
      }
    }
    return v;
  }

  /** The description. */
  public NetworkSpec spec() {
    return spec;
  }

  /** The input shape of one image, {@code {C, H, W}}. */
  public int[] inputShape() {
    return new int[] {spec.inChannels(), spec.height(), spec.width()};
  }

  /** Number of classes. */
  public int classes() {
    return spec.classes();
  }

  /** The input normalization {@code {mean, std}} per channel (copies), or null if none was recorded. */
  public float[][] normalization() {
    return mean == null ? null : new float[][] {mean.clone(), std.clone()};
  }

  private ConvShape convShape(int i, int n) {
    ExportedLayer l = layers[i];
    if (l.kind() != OpKind.CONV && l.kind() != OpKind.DEPTHWISE) {
      return null;
    }
    NetworkSpec.Shape x = l.input() < 0 ? new NetworkSpec.Shape(4, spec.inChannels(), spec.height(), spec.width())
        : shapes[l.input()];
    return new ConvShape(n, x.c(), x.h(), x.w(), l.cout(), l.kernel(), l.kernel(), l.stride(), l.pad());
  }

  /**
   * Logits {@code [N, classes]} for images {@code x} {@code [N, C, H, W]} (normalised as the
   * description says), computed with {@code kernels}; the result lives in {@code arena} and is
   * valid until its next reset.
   *
   * @throws IllegalArgumentException if {@code x} does not have the input shape
   */
  public Tensor forward(Kernels kernels, Arena arena, Tensor x) {
    if (x.rank() != 4 || x.dim(0) < 1 || x.dim(1) != spec.inChannels() || x.dim(2) != spec.height()
        || x.dim(3) != spec.width()) {
      throw new IllegalArgumentException("exported network input: expected [N, " + spec.inChannels() + ", "
          + spec.height() + ", " + spec.width() + "] with N >= 1, found " + Arrays.toString(x.shape()));
    }
    int n = x.dim(0);
    long bytes = 4L * n * valuesPerImage;
    if (bytes > Runtime.getRuntime().maxMemory()) {
      throw new IllegalArgumentException("exported network: a batch of " + n + " images needs " + (bytes >> 20)
          + " MiB of activations, expected at most the heap's " + (Runtime.getRuntime().maxMemory() >> 20)
          + " MiB; use a smaller batch");
    }
    Tensor[] out = new Tensor[layers.length];
    for (int i = 0; i < layers.length; i++) {
      ExportedLayer l = layers[i];
      Tensor in = l.input() < 0 ? x : out[l.input()];
      NetworkSpec.Shape s = shapes[i];
      out[i] = switch (l.kind()) {
        case CONV, DEPTHWISE -> {
          ConvShape cs = n == 1 ? single[i] : convShape(i, n);
          Tensor y = arena.allocate(n, s.c(), s.h(), s.w());
          if (l.kind() == OpKind.CONV) {
            kernels.conv2dForward(cs, in.data(), in.offset(), weights[i], 0, l.cin() * l.kernel() * l.kernel(),
                y.data(), y.offset());
          } else {
            kernels.depthwiseForward(cs, in.data(), in.offset(), weights[i], 0, y.data(), y.offset());
          }
          Epilogue.biasActivation(y.data(), y.offset(), n, s.c(), s.h() * s.w(), biases[i], l.activation());
          yield y;
        }
        case LINEAR -> {
          Tensor y = arena.allocate(n, s.c());
          kernels.sgemm(false, true, n, l.cout(), l.cin(), 1f, in.data(), in.offset(), l.cin(), weights[i], 0,
              l.cin(), 0f, y.data(), y.offset(), l.cout());
          Epilogue.biasActivation(y.data(), y.offset(), n, s.c(), 1, biases[i], l.activation());
          yield y;
        }
        case ADD -> {
          Tensor r = l.residual() < 0 ? x : out[l.residual()];
          Tensor y = arena.allocate(in.shape());
          Epilogue.addActivation(in.size(), in.data(), in.offset(), r.data(), r.offset(), y.data(), y.offset(),
              l.activation());
          yield y;
        }
        case SHORTCUT -> shortcut(arena, in, l.stride(), s);
        case POOL -> {
          Tensor y = arena.allocate(n, s.c());
          kernels.globalAvgPool(n * s.c(), in.dim(2) * in.dim(3), in.data(), in.offset(), y.data(), y.offset());
          yield y;
        }
        case FLATTEN -> Tensor.view(in.data(), in.offset(), n, s.c());
      };
    }
    return out[layers.length - 1];
  }

  private static Tensor shortcut(Arena arena, Tensor x, int stride, NetworkSpec.Shape s) {
    int n = x.dim(0);
    int cin = x.dim(1);
    int h = x.dim(2);
    int w = x.dim(3);
    int cout = s.c();
    int ho = s.h();
    int wo = s.w();
    Tensor y = arena.allocate(n, cout, ho, wo);
    float[] xd = x.data();
    float[] yd = y.data();
    int pass = Math.min(cin, cout);
    for (int b = 0; b < n; b++) {
      for (int c = 0; c < cout; c++) {
        int dst = y.offset() + (b * cout + c) * ho * wo;
        if (c >= pass) {
          Arrays.fill(yd, dst, dst + ho * wo, 0f);
          continue;
        }
        int src = x.offset() + (b * cin + c) * h * w;
        for (int i = 0; i < ho; i++) {
          for (int j = 0; j < wo; j++) {
            yd[dst + i * wo + j] = xd[src + i * stride * w + j * stride];
          }
        }
      }
    }
    return y;
  }
}
