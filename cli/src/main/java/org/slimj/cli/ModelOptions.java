package org.slimj.cli;

import java.util.Arrays;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;
import picocli.CommandLine.Option;

/** Options that describe a model: architecture, maximum width, input and classes. */
public final class ModelOptions {
  @Option(names = "--model", paramLabel = "M", required = true,
      description = "Architecture: " + ModelSpec.KNOWN + ".")
  String model;

  @Option(names = "--max-width", paramLabel = "W", description = "Maximum width multiplier (default: ${DEFAULT-VALUE}).")
  double maxWidth = 1.0;

  @Option(names = "--input", paramLabel = "S", description = "Input height = width (default: ${DEFAULT-VALUE}, Fashion-MNIST).")
  int input = 28;

  @Option(names = "--in-channels", paramLabel = "C", description = "Image channels (default: ${DEFAULT-VALUE}).")
  int inChannels = 1;

  @Option(names = "--classes", paramLabel = "K", description = "Classes (default: ${DEFAULT-VALUE}).")
  int classes = 10;

  /** The architecture's name as given ({@code --model}). */
  public String architecture() {
    return model;
  }

  /** The maximum width multiplier asked for. */
  public double maxWidth() {
    return maxWidth;
  }

  /** The spec with the given BN flavour and width list. */
  public ModelSpec spec(BnKind bn, double[] widthList) {
    if (!(maxWidth > 0) || input < 1 || inChannels < 1 || classes < 2) {
      throw new IllegalArgumentException(
          "expected --max-width > 0, --input >= 1, --in-channels >= 1, --classes >= 2; found " + maxWidth + ", "
              + input + ", " + inChannels + ", " + classes);
    }
    for (double w : widthList) {
      if (w > maxWidth + 1e-9) {
        throw new IllegalArgumentException("width " + w + " is above --max-width " + maxWidth + ": " + Arrays.toString(widthList));
      }
    }
    return new ModelSpec(model, maxWidth, inChannels, input, classes, bn, widthList);
  }
}
