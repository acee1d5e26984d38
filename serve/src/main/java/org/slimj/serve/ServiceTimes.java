package org.slimj.serve;

/**
 * Predicted service times of batches, learned from measured ones. The latency table gives each
 * front point's time per image; what a batch really takes on this server differs from it by a
 * factor (batch size, load, JIT state), which is tracked per point and batch-size class (1, 2-3,
 * 4-7, ...) as an exponentially weighted mean with its mean absolute deviation. A prediction uses
 * the most specific factor observed (point and class, else point, else any point, else 1) and adds
 * two deviations, so it errs on the slow side.
 *
 * <p>Thread-safe: the serving loop observes while policies predict.
 */
public final class ServiceTimes {
  private static final int CLASSES = 16;

  private final double[] tableMs;
  private final double alpha;
  private final Ewma[][] byClass;
  private final Ewma[] byPoint;
  private final Ewma global = new Ewma();

  /** One tracked factor: mean and mean absolute deviation, NaN until the first observation. */
  private static final class Ewma {
    double mean = Double.NaN;
    double deviation;

    void add(double x, double alpha) {
      if (Double.isNaN(mean)) {
        mean = x;
        deviation = 0;
      } else {
        deviation = (1 - alpha) * deviation + alpha * Math.abs(x - mean);
        mean = (1 - alpha) * mean + alpha * x;
      }
    }

    boolean seen() {
      return !Double.isNaN(mean);
    }

    double upper() {
      return mean + 2 * deviation;
    }
  }

  /**
   * Service times of the points of {@code front}, starting from its table latencies.
   *
   * @param alpha weight of a new observation in (0, 1]
   */
  public ServiceTimes(WidthFront front, double alpha) {
    if (!(alpha > 0 && alpha <= 1)) {
      throw new IllegalArgumentException("service times: expected a weight in (0, 1], found " + alpha);
    }
    this.tableMs = front.latenciesMs();
    this.alpha = alpha;
    this.byClass = new Ewma[tableMs.length][CLASSES];
    this.byPoint = new Ewma[tableMs.length];
    for (int i = 0; i < tableMs.length; i++) {
      byPoint[i] = new Ewma();
      for (int c = 0; c < CLASSES; c++) {
        byClass[i][c] = new Ewma();
      }
    }
  }

  private static int sizeClass(int batch) {
    return Math.min(CLASSES - 1, 31 - Integer.numberOfLeadingZeros(batch));
  }

  private void check(int point, int batch) {
    if (point < 0 || point >= tableMs.length || batch < 1) {
      throw new IllegalArgumentException("service times: expected a point in [0, " + tableMs.length
          + ") and a batch >= 1, found " + point + ", " + batch);
    }
  }

  /** Records that point {@code point} served a batch of {@code batch} images in {@code nanos}. */
  public synchronized void observe(int point, int batch, long nanos) {
    check(point, batch);
    if (nanos < 0) {
      throw new IllegalArgumentException("service times: expected a duration >= 0, found " + nanos + " ns");
    }
    double factor = nanos / (tableMs[point] * 1e6 * batch);
    byClass[point][sizeClass(batch)].add(factor, alpha);
    byPoint[point].add(factor, alpha);
    global.add(factor, alpha);
  }

  /** Predicted time (upper estimate) for point {@code point} to serve {@code batch} images, in ns. */
  public synchronized long predictNanos(int point, int batch) {
    check(point, batch);
    Ewma e = byClass[point][sizeClass(batch)];
    double factor = e.seen() ? e.upper() : byPoint[point].seen() ? byPoint[point].upper()
        : global.seen() ? global.upper() : 1.0;
    return (long) Math.ceil(factor * tableMs[point] * 1e6 * batch);
  }

  /** Number of points. */
  public int points() {
    return tableMs.length;
  }
}
