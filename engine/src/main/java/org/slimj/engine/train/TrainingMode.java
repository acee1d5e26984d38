package org.slimj.engine.train;

import java.util.Locale;
import org.slimj.engine.models.SlimModel;
import org.slimj.engine.nn.slim.BnKind;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * The training methods, each a batch-norm flavour plus a strategy (see ALGORITHMS.md §1–3, 5, 6):
 * {@code sbn} (Slimmable networks), {@code us} (Universally slimmable), {@code nonuniform}
 * (AutoSlim's supernet), {@code naive} (one shared BN for a width list), {@code single} (one
 * configuration alone), {@code ows} / {@code aows} (§5, credits for the OWS search),
 * {@code multiplatform} (§6) and {@code joslim} (widths chosen during training by surrogates; its
 * strategy lives in the search module, which the engine does not see).
 */
public enum TrainingMode {
  /** Fixed width list, switchable BN, all widths on labels, losses summed. */
  SBN(BnKind.SWITCHABLE),
  /** Width range, sandwich rule, inplace distillation, universal BN with calibration. */
  US(BnKind.UNIVERSAL),
  /** Per-slot widths in channel groups, sandwich rule, inplace distillation, universal BN. */
  NONUNIFORM(BnKind.UNIVERSAL),
  /** Fixed width list with one shared BN: the baseline that fails. */
  NAIVE(BnKind.SHARED),
  /** One fixed configuration, plain BN. */
  SINGLE(BnKind.SHARED),
  /** OWS: nonuniform sandwich plus per-slot loss credits for the OWS search (uniform sampling). */
  OWS(BnKind.UNIVERSAL),
  /** AOWS: as OWS, sampling from the chain marginals near a cost budget (strategy built by the search module). */
  AOWS(BnKind.UNIVERSAL),
  /** Several platforms' AOWS samplers combined (strategy built by the search module). */
  MULTIPLATFORM(BnKind.UNIVERSAL),
  /**
   * Joslim: per-slot widths proposed by Gaussian-process surrogates during training, sandwich rule,
   * universal BN. Built by {@code org.slimj.search.joslim.JoslimStrategy}, not by {@link #strategy}.
   */
  JOSLIM(BnKind.UNIVERSAL);

  /** Images over which OWS credits are averaged (see {@link OwsCredits}). */
  public static final double OWS_CREDIT_WINDOW = 10_000;

  private final BnKind bn;

  TrainingMode(BnKind bn) {
    this.bn = bn;
  }

  /** The batch-norm flavour of this mode. */
  public BnKind bn() {
    return bn;
  }

  /** Whether evaluation needs BN calibration for each configuration. */
  public boolean needsCalibration() {
    return bn == BnKind.UNIVERSAL;
  }

  /** Parses {@code sbn|us|nonuniform|naive|single|ows|aows|multiplatform|joslim}. */
  public static TrainingMode parse(String s) {
    try {
      return valueOf(s.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "mode: expected sbn, us, nonuniform, naive, single, ows, aows, multiplatform or joslim; found '" + s + "'", e);
    }
  }

  /**
   * Settings of the strategies (each mode reads the ones it needs).
   *
   * @param minWidth smallest width of the range (us, nonuniform as a fraction of the maximum)
   * @param maxWidth largest width of the range
   * @param samples configurations per step for us and nonuniform (max, min and samples - 2 random)
   * @param groups channel groups per slot (nonuniform)
   * @param labelSmoothing label smoothing of the labelled losses
   * @param inplaceDistillation widths below the largest learn from its soft targets (us, nonuniform,
   *     ows, aows, multiplatform)
   * @param sandwich us: sandwich rule; false draws every width at random (ablation)
   * @param single the configuration of single mode
   * @param creditSubBatch ows, aows, multiplatform: images per sub-batch of a random pass, each with
   *     its own configuration and credit ({@link OwsStrategy})
   */
  public record Settings(double minWidth, double maxWidth, int samples, int groups, float labelSmoothing,
      boolean inplaceDistillation, boolean sandwich, ChannelConfig single, int creditSubBatch) {
    /** Settings with the default credit sub-batch ({@link #DEFAULT_CREDIT_SUB_BATCH}). */
    public Settings(double minWidth, double maxWidth, int samples, int groups, float labelSmoothing,
        boolean inplaceDistillation, boolean sandwich, ChannelConfig single) {
      this(minWidth, maxWidth, samples, groups, labelSmoothing, inplaceDistillation, sandwich, single,
          DEFAULT_CREDIT_SUB_BATCH);
    }
  }

  /** Images per sub-batch of an OWS random pass by default: a batch of 128 gives 4 configurations. */
  public static final int DEFAULT_CREDIT_SUB_BATCH = 32;

  /** The strategy of this mode for {@code model}. */
  public TrainingStrategy strategy(SlimModel model, Settings s) {
    return switch (this) {
      case SBN, NAIVE -> new FixedWidthListStrategy(s.labelSmoothing(), false);
      case US -> s.sandwich()
          ? new SandwichStrategy(s.minWidth(), s.maxWidth(), s.samples(), s.labelSmoothing(), s.inplaceDistillation())
          : new RandomWidthStrategy(s.minWidth(), s.maxWidth(), s.samples(), s.labelSmoothing());
      case NONUNIFORM -> new NonuniformStrategy(s.groups(), s.minWidth() / s.maxWidth(), s.samples(), s.labelSmoothing(),
          s.inplaceDistillation());
      case SINGLE -> {
        if (s.single() == null) {
          throw new IllegalArgumentException("single mode needs a configuration (--width or --config)");
        }
        model.space().validate(s.single());
        yield new SingleConfigStrategy(s.single(), s.labelSmoothing());
      }
      case OWS -> {
        int minGroup = OwsStrategy.minGroup(s.minWidth() / s.maxWidth(), s.groups());
        int slots = model.space().slots().size();
        yield new OwsStrategy(s.groups(), minGroup, s.samples(), s.labelSmoothing(), s.inplaceDistillation(),
            s.creditSubBatch(), new OwsCredits(slots, s.groups(), OWS_CREDIT_WINDOW),
            GroupSampler.uniform(slots, minGroup, s.groups()));
      }
      case AOWS, MULTIPLATFORM -> throw new IllegalArgumentException("mode " + cliName() + " samples from cost models;"
          + " its strategy is built by the search module (org.slimj.search.ows.AdaptiveSampling), not here");
      case JOSLIM -> throw new IllegalArgumentException(
          "joslim's strategy is built by the search module (org.slimj.search.joslim.JoslimStrategy), not by the engine");
    };
  }

  /** Lower-case name as on the command line. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
