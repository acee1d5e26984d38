package org.slimj.engine.example;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.models.SmallCnn;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.optim.Sgd;
import org.slimj.engine.train.Batch;
import org.slimj.engine.train.Calibrator;
import org.slimj.engine.train.Evaluator;
import org.slimj.engine.train.SandwichStrategy;
import org.slimj.engine.train.StepResult;
import org.slimj.engine.optim.LrSchedule;
import org.slimj.engine.train.BatchSource;
import org.slimj.engine.train.Seeds;
import org.slimj.engine.train.TrainingRun;

/**
 * The first end-to-end run: a small universally slimmable CNN trained with the sandwich rule and
 * inplace distillation (max, min and two random widths, summed gradients, one SGD step) on
 * {@link SyntheticImages}, then calibrated (on training batches) and evaluated at several widths on
 * its training set and on a held-out set drawn from the same distribution.
 */
public final class TinyExample {
  private TinyExample() {}

  /**
   * Settings of the example.
   *
   * @param seed seed of data, initialisation and width sampling
   * @param steps training steps
   * @param batch batch size
   * @param lr peak learning rate (linear warm-up over the first 10% of steps, then cosine decay)
   * @param images training images
   * @param minWidth smallest width of the range (largest is 1.0)
   */
  public record Settings(long seed, int steps, int batch, double lr, int images, double minWidth) {
    /** The defaults: 300 steps of batch 32 on 512 images, widths [0.25, 1.0]. */
    public static Settings defaults(long seed) {
      return new Settings(seed, 300, 32, 0.1, 512, 0.25);
    }
  }

  /**
   * Accuracy at one width after calibration.
   *
   * @param width uniform width
   * @param config its channel configuration
   * @param accuracy training-set accuracy
   * @param loss training-set loss
   * @param heldOutAccuracy accuracy on held-out images never trained on
   */
  public record WidthResult(double width, ChannelConfig config, double accuracy, double loss, double heldOutAccuracy) {}

  /**
   * Result of the example.
   *
   * @param widths results per evaluated width, smallest first
   * @param lastLosses losses of the last step, one per sandwich width
   * @param seconds wall time of training and evaluation
   */
  public record Result(List<WidthResult> widths, float[] lastLosses, double seconds) {}

  /** Trains and evaluates; {@code progress} receives a line every 50 steps. */
  public static Result run(Settings s, Kernels kernels, Consumer<String> progress) {
    long t0 = System.nanoTime();
    SplittableRandom rng = new SplittableRandom(s.seed());
    SyntheticImages data = SyntheticImages.generate(s.images(), 12, 0.35, rng.split());
    SyntheticImages heldOut = SyntheticImages.generate(256, 12, 0.35, rng.split());
    double[] widths = {s.minWidth(), 0.5, 0.75, 1.0};
    SmallCnn model = new SmallCnn(1, SyntheticImages.CLASSES, new int[] {16, 32, 32}, BnKind.UNIVERSAL, widths, rng.split());
    Sgd sgd = new Sgd(model.parameters(), 0.9, true, 1e-4);
    SandwichStrategy sandwich = new SandwichStrategy(s.minWidth(), 1.0, 4, 0f, true);
    LrSchedule schedule = new LrSchedule(s.lr(), Math.max(1, s.steps() / 10), s.steps(), LrSchedule.Shape.COSINE);
    long seed = rng.nextLong();
    BatchSource source = new BatchSource() {
      @Override
      public Iterable<Batch> epoch(int epoch) {
        SplittableRandom sampler = Seeds.forStep(seed, 2, epoch);
        return () -> java.util.stream.Stream.generate(() -> data.sample(s.batch(), sampler)).limit(s.steps()).iterator();
      }

      @Override
      public int batchesPerEpoch() {
        return s.steps();
      }
    };
    StepResult[] last = new StepResult[1];
    new TrainingRun(model, kernels, sandwich, sgd, schedule, seed).run(source, 0, 1, 0, new TrainingRun.Listener() {
      @Override
      public void step(int epoch, long step, double lr, Batch batch, StepResult r) {
        last[0] = r;
        if ((step + 1) % 50 == 0 || step + 1 == s.steps()) {
          progress.accept(String.format(java.util.Locale.ROOT,
              "step %d/%d  lr %.4f  loss(max) %.4f  loss(min) %.4f", step + 1, s.steps(), lr,
              r.losses()[0], r.losses()[1]));
        }
      }
    });
    List<Batch> all = data.batches(64);
    List<WidthResult> out = new ArrayList<>();
    for (double w : widths) {
      ChannelConfig cfg = model.uniform(w);
      Calibrator.calibrate(model, kernels, cfg, all);
      Evaluator.Result r = Evaluator.evaluate(model, kernels, cfg, all);
      Evaluator.Result h = Evaluator.evaluate(model, kernels, cfg, heldOut.batches(64));
      out.add(new WidthResult(w, cfg, r.accuracy(), r.loss(), h.accuracy()));
    }
    return new Result(out, last[0] == null ? new float[0] : last[0].losses(), (System.nanoTime() - t0) / 1e9);
  }
}
