package org.slimj.engine.kernels;

import java.util.Arrays;
import java.util.Random;

/**
 * Hand-run throughput check of the Vector API backend (not a test, not a benchmark of record: use
 * the JMH module for numbers that go into documents). Prints the median GFLOP/s of several runs of
 * sgemm 512x512x512 and of a 1x1 convolution 96 -> 576 at 8x8, batch 64, for 1 and 2 threads.
 *
 * <p>Run after {@code mvn -B -q -DskipTests test-compile} from {@code engine/}:
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes \
 *     org.slimj.engine.kernels.GemmThroughputProbe [runs]
 * </pre>
 */
public final class GemmThroughputProbe {
  private GemmThroughputProbe() {}

  /** Runs the probe; the optional argument is the number of timed runs per figure. */
  public static void main(String[] args) {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 9;
    for (int threads = 1; threads <= 2; threads++) {
      try (Parallel p = new Parallel(threads)) {
        VectorKernels k = new VectorKernels(p);
        System.out.printf("threads=%d  sgemm 512^3: %6.1f GFLOP/s%n", threads, sgemm(k, 512, runs));
        System.out.printf("threads=%d  conv1x1 96->576 8x8 n64: %6.1f GFLOP/s%n", threads, conv(k, runs));
      }
    }
  }

  private static double sgemm(Kernels k, int size, int runs) {
    Random r = new Random(1);
    float[] a = random(r, size * size);
    float[] b = random(r, size * size);
    float[] c = new float[size * size];
    double flops = 2.0 * size * size * size;
    return median(runs, flops, () -> k.sgemm(false, false, size, size, size, 1f, a, 0, size, b, 0, size, 0f, c, 0, size));
  }

  private static double conv(Kernels k, int runs) {
    ConvShape s = new ConvShape(64, 96, 8, 8, 576, 1, 1, 1, 0);
    Random r = new Random(2);
    float[] x = random(r, s.n() * s.inPerImage());
    float[] w = random(r, s.cout() * s.cin());
    float[] y = new float[s.n() * s.outPerImage()];
    return median(runs, 2.0 * s.macs(), () -> k.conv2dForward(s, x, 0, w, 0, s.cin(), y, 0));
  }

  private static double median(int runs, double flops, Runnable body) {
    long warmUntil = System.nanoTime() + 1_500_000_000L;
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
