package org.slimj.engine.train;

import java.util.List;
import org.slimj.engine.nn.slim.ChannelConfig;

/**
 * What one training step computed: the configurations run, in order, and their losses.
 *
 * @param configs configurations run in this step
 * @param losses loss of each configuration (cross-entropy for the largest, the distillation or
 *     label loss for the others, as the strategy defines)
 * @param firstCorrect images of the batch the first configuration classified correctly
 */
public record StepResult(List<ChannelConfig> configs, float[] losses, int firstCorrect) {}
