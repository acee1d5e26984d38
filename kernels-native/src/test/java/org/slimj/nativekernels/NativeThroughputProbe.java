package org.slimj.nativekernels;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slimj.engine.kernels.ConvShape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.Parallel;
import org.slimj.engine.kernels.VectorKernels;

/**
 * Hand-run comparison (not a test, not a benchmark of record) of the native kernels (each x86-64
 * instruction set the CPU runs) with the Vector API backend, back to back in one JVM: the backends
 * take turns within every round, so a noisy shared machine slows them alike. Prints the median
 * GFLOP/s per backend and the ratio to the Vector API.
 *
 * <p>Run after {@code mvn -B -q -pl kernels-native -am test-compile -DskipTests} from the root:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *     -cp kernels-native/target/classes:kernels-native/target/test-classes:engine/target/classes \
 *     org.slimj.nativekernels.NativeThroughputProbe [rounds] [threads] [--all | --small | --layers]
 * </pre>
 */
public final class NativeThroughputProbe {
  private NativeThroughputProbe() {}

  /** A timed call and its floating-point operations. */
  private record Case(String name, double flops, Body body) {}

  @FunctionalInterface
  private interface Body {
    void run(Kernels k);
  }

  /**
   * Runs the probe; arguments: rounds (default 9), threads (default 1), {@code --all} for more
   * shapes, {@code --small} for small products and single images with every call sent to C.
   */
  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
    boolean all = Arrays.asList(args).contains("--all");
    boolean small = Arrays.asList(args).contains("--small");
    boolean layers = Arrays.asList(args).contains("--layers");
    boolean mbv2 = Arrays.asList(args).contains("--mbv2");
    NativeLoader.Status status = NativeLoader.status();
    if (!status.available()) {
      throw new IllegalStateException("native kernels unavailable: " + status.reason());
    }
    try (Parallel p = new Parallel(threads)) {
      List<Kernels> backends = new ArrayList<>();
      List<String> names = new ArrayList<>();
      backends.add(new VectorKernels(p));
      names.add("vector " + VectorKernels.describeSpecies());
      for (int isa : layers || mbv2 ? List.of(status.isa()) : NativeKernelsTest.isas()) {
        backends.add(new NativeKernels(p, isa, small));
        names.add("native " + NativeLoader.isaName(isa));
      }
      System.out.printf("threads=%d rounds=%d; %s%n", threads, rounds, status.reason());
      for (Case c : mbv2 ? mobileNetCases() : layers ? layerCases() : small ? smallCases() : cases(all)) {
        double[] medians = new double[backends.size()];
        double[][] samples = new double[backends.size()][rounds];
        for (Kernels k : backends) { // warm-up
          time(c, k, 0.3);
        }
        for (int r = 0; r < rounds; r++) {
          for (int b = 0; b < backends.size(); b++) {
            samples[b][r] = c.flops / time(c, backends.get(b), 0.05) * 1e-9;
          }
        }
        StringBuilder line = new StringBuilder(String.format("%-40s", c.name));
        for (int b = 0; b < backends.size(); b++) {
          Arrays.sort(samples[b]);
          medians[b] = samples[b][rounds / 2];
          line.append(String.format("  %s %6.1f GFLOP/s (best %6.1f, %7.3f ms)", names.get(b), medians[b],
              samples[b][rounds - 1], c.flops / medians[b] * 1e-6));
          if (b > 0) {
            line.append(String.format(" (x%.2f)", medians[b] / medians[0]));
          }
        }
        System.out.println(line);
      }
    }
  }

  /**
   * Seconds per call, averaged over calls filling at least {@code minSeconds}: wall-clock time, or
   * with {@code -Dprobe.cpu=true} the calling thread's CPU time (1 thread only: time spent
   * descheduled on a loaded machine is not counted).
   */
  private static double time(Case c, Kernels k, double minSeconds) {
    boolean cpu = Boolean.getBoolean("probe.cpu");
    var bean = java.lang.management.ManagementFactory.getThreadMXBean();
    int calls = 0;
    long start = cpu ? bean.getCurrentThreadCpuTime() : System.nanoTime();
    long elapsed;
    do {
      c.body.run(k);
      calls++;
      elapsed = (cpu ? bean.getCurrentThreadCpuTime() : System.nanoTime()) - start;
    } while (elapsed < minSeconds * 1e9);
    return elapsed * 1e-9 / calls;
  }

  private static List<Case> cases(boolean all) {
    List<Case> cases = new ArrayList<>();
    cases.add(sgemm(512, 512, 512, false, false));
    cases.add(conv("conv1x1 96->576 8x8 n64", new ConvShape(64, 96, 8, 8, 576, 1, 1, 1, 0)));
    if (all) {
      cases.add(sgemm(512, 512, 512, true, false));
      cases.add(sgemm(512, 512, 512, false, true));
      cases.add(sgemm(64, 1000, 256, false, true));
      cases.add(sgemm(16, 16, 16, false, false));
      cases.add(sgemm(32, 32, 32, false, false));
      cases.add(conv("conv1x1 576->96 8x8 n64", new ConvShape(64, 576, 8, 8, 96, 1, 1, 1, 0)));
      cases.add(conv("conv3x3 32->32 16x16 n64", new ConvShape(64, 32, 16, 16, 32, 3, 3, 1, 1)));
      cases.add(conv("conv3x3 s2 16->32 28x28 n64", new ConvShape(64, 16, 28, 28, 32, 3, 3, 2, 1)));
      cases.add(conv("conv1x1 96->576 8x8 n1", new ConvShape(1, 96, 8, 8, 576, 1, 1, 1, 0)));
      cases.addAll(depthwise("dw3x3 s1 144ch 16x16 n64", new ConvShape(64, 144, 16, 16, 144, 3, 3, 1, 1)));
      cases.addAll(depthwise("dw3x3 s2 144ch 16x16 n64", new ConvShape(64, 144, 16, 16, 144, 3, 3, 2, 1)));
      cases.addAll(depthwise("dw3x3 s1 576ch 4x4 n64", new ConvShape(64, 576, 4, 4, 576, 3, 3, 1, 1)));
    }
    return cases;
  }

  /**
   * The dense layers of the reference set ({@code ../shared/perf/LAYERS.md}, batch 64) at full
   * width and through a 50% weight slice: forward, backward data and weight gradient.
   */
  private static List<Case> layerCases() {
    List<Case> cases = new ArrayList<>();
    int[][] layers = {{96, 576, 8, 1}, {3, 32, 32, 3}, {32, 192, 32, 1}};
    for (int[] l : layers) {
      for (double frac : new double[] {1.0, 0.5}) {
        int cin = l[0] == 3 ? 3 : (int) (l[0] * frac);
        int cout = (int) (l[1] * frac);
        int k = l[3];
        ConvShape s = new ConvShape(64, cin, l[2], l[2], cout, k, k, 1, k / 2);
        String name = String.format("%dx%d %d->%d @%d %.1f", k, k, l[0], l[1], l[2], frac);
        Random r = new Random(4);
        int ldw = l[0] * k * k;
        float[] x = random(r, s.n() * s.inPerImage());
        float[] w = random(r, l[1] * ldw);
        float[] y = random(r, s.n() * s.outPerImage());
        float[] dx = new float[x.length];
        float[] dw = new float[w.length];
        double f = 2.0 * s.macs();
        cases.add(new Case(name + " fwd", f, kk -> kk.conv2dForward(s, x, 0, w, 0, ldw, y, 0)));
        cases.add(new Case(name + " bwd data", f, kk -> kk.conv2dBackwardData(s, y, 0, w, 0, ldw, dx, 0)));
        cases.add(new Case(name + " bwd weights", f, kk -> kk.conv2dBackwardWeights(s, x, 0, y, 0, dw, 0, ldw)));
      }
    }
    cases.addAll(depthwise("dw3x3 576 @8 1.0", new ConvShape(64, 576, 8, 8, 576, 3, 3, 1, 1)));
    cases.addAll(depthwise("dw3x3 576 @8 0.5", new ConvShape(64, 288, 8, 8, 288, 3, 3, 1, 1)));
    cases.addAll(depthwise("dw3x3 96 @32", new ConvShape(64, 96, 32, 32, 96, 3, 3, 1, 1)));
    cases.addAll(depthwise("dw3x3 s2 144 @16", new ConvShape(64, 144, 16, 16, 144, 3, 3, 2, 1)));
    return cases;
  }

  /** Backward passes of MobileNet v2's (CIFAR) 1x1 convolutions at widths 1.0 and 0.25, batch 64. */
  private static List<Case> mobileNetCases() {
    List<Case> cases = new ArrayList<>();
    int[][] layers = {{16, 96, 32}, {96, 24, 32}, {24, 144, 16}, {144, 32, 16}, {64, 384, 8}, {384, 96, 8},
        {160, 960, 4}, {960, 320, 4}};
    for (int[] l : layers) {
      for (int div : new int[] {1, 4}) {
        ConvShape s = new ConvShape(64, l[0] / div, l[2], l[2], l[1] / div, 1, 1, 1, 0);
        String name = String.format("1x1 %d->%d @%d", s.cin(), s.cout(), l[2]);
        Random r = new Random(5);
        int ldw = l[0];
        float[] x = random(r, s.n() * s.inPerImage());
        float[] w = random(r, l[1] * ldw);
        float[] y = random(r, s.n() * s.outPerImage());
        float[] dx = new float[x.length];
        float[] dw = new float[w.length];
        double f = 2.0 * s.macs();
        cases.add(new Case(name + " bwd data", f, kk -> kk.conv2dBackwardData(s, y, 0, w, 0, ldw, dx, 0)));
        cases.add(new Case(name + " bwd weights", f, kk -> kk.conv2dBackwardWeights(s, x, 0, y, 0, dw, 0, ldw)));
      }
    }
    return cases;
  }

  /** Where native starts to pay: small products and single images, every call sent to C. */
  private static List<Case> smallCases() {
    List<Case> cases = new ArrayList<>();
    for (int n : new int[] {32, 64, 128, 192, 256, 320, 384}) {
      cases.add(sgemm(n, n, n, false, false));
    }
    cases.add(sgemm(64, 10, 576, false, true));
    cases.add(sgemm(64, 576, 10, false, false));
    for (int hw : new int[] {4, 8, 16, 32}) {
      cases.add(conv("conv1x1 96->576 " + hw + "x" + hw + " n1", new ConvShape(1, 96, hw, hw, 576, 1, 1, 1, 0)));
      cases.add(conv("conv3x3 32->32 " + hw + "x" + hw + " n1", new ConvShape(1, 32, hw, hw, 32, 3, 3, 1, 1)));
    }
    cases.add(conv("conv1x1 96->576 8x8 n2", new ConvShape(2, 96, 8, 8, 576, 1, 1, 1, 0)));
    cases.add(conv("conv1x1 96->576 8x8 n4", new ConvShape(4, 96, 8, 8, 576, 1, 1, 1, 0)));
    return cases;
  }

  private static float[] random(Random r, int n) {
    return org.slimj.engine.kernels.FloatChecks.random(r, n);
  }

  private static Case sgemm(int m, int n, int k, boolean ta, boolean tb) {
    Random r = new Random(1);
    float[] a = random(r, m * k);
    float[] b = random(r, k * n);
    float[] c = new float[m * n];
    String name = String.format("sgemm %dx%dx%d%s%s", m, n, k, ta ? " tA" : "", tb ? " tB" : "");
    return new Case(name, 2.0 * m * n * k,
        kk -> kk.sgemm(ta, tb, m, n, k, 1f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n));
  }

  private static Case conv(String name, ConvShape s) {
    Random r = new Random(2);
    float[] x = random(r, s.n() * s.inPerImage());
    int ldw = s.cin() * s.kernelArea();
    float[] w = random(r, s.cout() * ldw);
    float[] y = new float[s.n() * s.outPerImage()];
    return new Case(name + " fwd", 2.0 * s.macs(), k -> k.conv2dForward(s, x, 0, w, 0, ldw, y, 0));
  }

  private static List<Case> depthwise(String name, ConvShape s) {
    Random r = new Random(3);
    float[] x = random(r, s.n() * s.inPerImage());
    float[] w = random(r, s.cout() * s.kernelArea());
    float[] y = random(r, s.n() * s.outPerImage());
    float[] dx = new float[x.length];
    float[] dw = new float[w.length];
    double f = 2.0 * s.depthwiseMacs();
    return List.of(
        new Case(name + " fwd", f, k -> k.depthwiseForward(s, x, 0, w, 0, y, 0)),
        new Case(name + " bwd data", f, k -> k.depthwiseBackwardData(s, y, 0, w, 0, dx, 0)),
        new Case(name + " bwd weights", f, k -> k.depthwiseBackwardWeights(s, x, 0, y, 0, dw, 0)));
  }
}
