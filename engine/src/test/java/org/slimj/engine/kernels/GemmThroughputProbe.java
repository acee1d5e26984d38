package org.slimj.engine.kernels;

import java.util.Arrays;
import java.util.Random;

/**
 * Hand-run throughput check of the Vector API backend (not a test, not a benchmark of record: use
 * the JMH module for numbers that go into documents). Prints the median GFLOP/s of several runs of
 * sgemm 512x512x512 and of a 1x1 convolution 96 -> 576 at 8x8, batch 64, for 1 and 2 threads; with
 * {@code --all}, also the backward passes, a 3x3 convolution and depthwise convolutions.
 *
 * <p>Run after {@code mvn -B -q -DskipTests test-compile} from {@code engine/}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     org.slimj.engine.kernels.GemmThroughputProbe [runs] [--all]
 * </pre>
 */
public final class GemmThroughputProbe {
  private GemmThroughputProbe() {}

  /** Runs the probe; arguments: the number of timed runs per figure, and {@code --all}. */
  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    boolean all = Arrays.asList(args).contains("--all");
    for (int threads = 1; threads <= 2; threads++) {
      try (Parallel p = new Parallel(threads)) {
        VectorKernels k = new VectorKernels(p);
        System.out.printf("threads=%d  sgemm 512^3: %6.1f GFLOP/s%n", threads, sgemm(k, 512, runs));
        ConvShape pointwise = new ConvShape(64, 96, 8, 8, 576, 1, 1, 1, 0);
        report(threads, "conv1x1 96->576 8x8 n64", pointwise, k, runs, all);
        if (all) {
          report(threads, "conv3x3 32->32 16x16 n64", new ConvShape(64, 32, 16, 16, 32, 3, 3, 1, 1), k, runs, true);
          depthwise(threads, "dw3x3 s1 144ch 16x16 n64", new ConvShape(64, 144, 16, 16, 144, 3, 3, 1, 1), k, runs);
          depthwise(threads, "dw3x3 s2 144ch 16x16 n64", new ConvShape(64, 144, 16, 16, 144, 3, 3, 2, 1), k, runs);
          depthwise(threads, "dw3x3 s1 576ch 4x4 n64", new ConvShape(64, 576, 4, 4, 576, 3, 3, 1, 1), k, runs);
        }
      }
    }
  }

  private static void report(int threads, String name, ConvShape s, Kernels k, int runs, boolean backward) {
    Random r = new Random(2);
    float[] x = random(r, s.n() * s.inPerImage());
    int ldw = s.cin() * s.kernelArea();
    float[] w = random(r, s.cout() * ldw);
    float[] y = random(r, s.n() * s.outPerImage());
    double f = 2.0 * s.macs();
    System.out.printf("threads=%d  %s forward: %6.1f GFLOP/s%n", threads, name,
        median(runs, f, () -> k.conv2dForward(s, x, 0, w, 0, ldw, y, 0)));
    if (backward) {
      System.out.printf("threads=%d  %s backward data: %6.1f GFLOP/s%n", threads, name,
          median(runs, f, () -> k.conv2dBackwardData(s, y, 0, w, 0, ldw, x, 0)));
      System.out.printf("threads=%d  %s backward weights: %6.1f GFLOP/s%n", threads, name,
          median(runs, f, () -> k.conv2dBackwardWeights(s, x, 0, y, 0, w, 0, ldw)));
    }
  }

  private static void depthwise(int threads, String name, ConvShape s, Kernels k, int runs) {
    Random r = new Random(3);
    float[] x = random(r, s.n() * s.inPerImage());
    float[] w = random(r, s.cout() * s.kernelArea());
    float[] y = random(r, s.n() * s.outPerImage());
    double f = 2.0 * s.depthwiseMacs();
    System.out.printf("threads=%d  %s forward / data / weights: %6.1f %6.1f %6.1f GFLOP/s%n", threads, name,
        median(runs, f, () -> k.depthwiseForward(s, x, 0, w, 0, y, 0)),
        median(runs, f, () -> k.depthwiseBackwardData(s, y, 0, w, 0, x, 0)),
        median(runs, f, () -> k.depthwiseBackwardWeights(s, x, 0, y, 0, w, 0)));
  }

  private static double sgemm(Kernels k, int size, int runs) {
    Random r = new Random(1);
    float[] a = random(r, size * size);
    float[] b = random(r, size * size);
    float[] c = new float[size * size];
    double flops = 2.0 * size * size * size;
    return median(runs, flops,
        () -> k.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size));
  }

  private static double median(int runs, double flops, Runnable body) {
    long warmUntil = System.nanoTime() + 1_000_000_000L;
    while (System.nanoTime() < warmUntil) {
      body.run();
    }
    double[] g = new double[runs];
    for (int i = 0; i < runs; i++) {
      int reps = 0;
      long t0 = System.nanoTime();
      long t;
      do {
        body.run();
        reps++;
        t = System.nanoTime();
      } while (t - t0 < 200_000_000L);
      g[i] = flops * reps / (t - t0);
    }
    Arrays.sort(g);
    return g[runs / 2];
  }

  private static float[] random(Random r, int size) {
    float[] a = new float[size];
    for (int i = 0; i < size; i++) {
      a[i] = r.nextFloat() * 2f - 1f;
    }
    return a;
  }
}
