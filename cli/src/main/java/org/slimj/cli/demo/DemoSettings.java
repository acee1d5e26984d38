package org.slimj.cli.demo;

import java.nio.file.Path;

/**
 * What the demo runs: model, data, training length, platforms and search targets.
 *
 * @param out output directory
 * @param data data option ({@code null}: the full set when installed, else the sample)
 * @param seed seed of training and searches
 * @param epochs training epochs, or 0 to derive them from {@code imagesToSee}
 * @param imagesToSee training images to see in all when {@code epochs} is 0
 * @param limitTrain training images used at most (0: all)
 * @param gridPoints latency-table grid points per channel axis
 * @param validationConfigs random configurations measured end to end to validate each latency table
 * @param searchBatch held-out images in the greedy search's fixed batch
 * @param targets target fractions of the maximum configuration's cost, descending
 * @param profileOptions timing options of {@code profile} and {@code profile validate} (shorter in the quick variant)
 * @param quick whether this is the smoke-test variant
 */
public record DemoSettings(
    Path out, String data, long seed, int epochs, int imagesToSee, int limitTrain, int gridPoints,
    int validationConfigs, int searchBatch, String targets, java.util.List<String> profileOptions, boolean quick) {
  /** Model of the demo. */
  public static final String MODEL = "mobilenetv1";
  /** Its maximum width multiplier. */
  public static final String MAX_WIDTH = "0.5";
  /** Width range of the supernet as a fraction of the maximum (AutoSlim trains 0.15×–1.5×). */
  public static final String WIDTH_RANGE = "0.075:0.5";
  /** Each platform's latency budget in the multi-platform search. */
  public static final String MULTI_BUDGET = "50%";
  /** Uniform widths evaluated for comparison (fractions of the base architecture). */
  public static final String UNIFORM_WIDTHS = "0.1,0.15,0.2,0.25,0.3,0.35,0.4,0.45,0.5";

  /** The full demo (about 10 minutes on 2 cores). */
  public static DemoSettings full(Path out, String data, long seed, Integer epochs) {
    return new DemoSettings(out, data, seed, epochs == null ? 0 : epochs, 40_000, 20_000, 4, 20, 500,
        "0.7,0.5,0.35,0.2", java.util.List.of(), false);
  }

  /** A smoke-test variant: one short epoch, coarse tables, few validation configurations. */
  public static DemoSettings quick(Path out, String data, long seed) {
    return new DemoSettings(out, data, seed, 1, 0, 512, 2, 3, 200, "0.7,0.5", java.util.List.of("--warmup-seconds", "0.5",
        "--iterations", "3", "--iteration-ms", "5", "--warmup-ms", "5"), true);
  }
}
