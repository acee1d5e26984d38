package org.slimj.engine.models;

import java.util.List;
import org.slimj.engine.nn.Parameter;
import org.slimj.engine.nn.slim.ChannelConfig;
import org.slimj.engine.nn.slim.SlimBatchNorm;
import org.slimj.engine.space.ChannelSpace;
import org.slimj.engine.tensor.Shapes;
import org.slimj.engine.tensor.Tensor;

/**
 * What every model built with a {@link SpaceBuilder} shares: its name, image channels, classes,
 * width list, channel space, parameters and batch norms, and the checks at the top of forward.
 */
abstract class BuiltModel implements SlimModel {
  private final String name;
  private final int inChannels;
  private final int classes;
  private final double[] widthList;
  private ChannelSpace space;
  private List<Parameter> parameters;
  private List<SlimBatchNorm> bns;

  BuiltModel(String name, int inChannels, int classes, double[] widthList) {
    this.name = name;
    this.inChannels = inChannels;
    this.classes = classes;
    this.widthList = widthList.clone();
  }

  /** Takes the space, parameters and batch norms once the subclass has built its layers. */
  final void finish(SpaceBuilder b) {
    if (space != null) {
      throw new IllegalStateException(name + ": built twice");
    }
    space = b.space();
    parameters = b.parameters();
    bns = b.batchNorms();
  }

  /** Checks the input's shape and the configuration against the space. */
  final void check(Tensor x, ChannelConfig cfg) {
    Shapes.requireRank(x, 4, name + " input");
    if (x.dim(1) != inChannels) {
      throw new IllegalArgumentException(name + " input: expected " + inChannels + " channels, found " + x);
    }
    space.validate(cfg);
  }

  /** Image channels. */
  final int inChannels() {
    return inChannels;
  }

  @Override
  public final List<Parameter> parameters() {
    return parameters;
  }

  @Override
  public final List<SlimBatchNorm> batchNorms() {
    return bns;
  }

  @Override
  public final ChannelSpace space() {
    return space;
  }

  @Override
  public final double[] widthList() {
    return widthList.clone();
  }

  @Override
  public final int classes() {
    return classes;
  }
}
