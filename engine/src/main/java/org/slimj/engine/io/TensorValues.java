package org.slimj.engine.io;

/**
 * Value checks of loaded tensors: a file whose structure is valid can still hold weights that make
 * every result NaN (a NaN or infinite weight, a negative running variance). Loaders call these
 * before the values reach a model, so such a file is refused with the tensor and element named.
 */
public final class TensorValues {
  private TensorValues() {}

  /**
   * Checks that every value of tensor {@code name} in {@code source} is finite.
   *
   * @throws SafetensorsException naming the file, the tensor, the first bad element and its value
   */
  public static void requireFinite(String source, String name, float[] v) throws SafetensorsException {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new SafetensorsException(source, "tensor '" + name + "': element " + i + " is " + v[i]
            + ", expected a finite number");
      }
    }
  }

  /**
   * Checks that every value of the variance tensor {@code name} is finite and at least zero (batch
   * norm divides by the square root of variance plus epsilon, so zero is usable, negative is not).
   *
   * @throws SafetensorsException naming the file, the tensor, the first bad element and its value
   */
  public static void requireVariance(String source, String name, float[] v) throws SafetensorsException {
    for (int i = 0; i < v.length; i++) {
      if (!(v[i] >= 0) || v[i] == Float.POSITIVE_INFINITY) {
        throw new SafetensorsException(source, "tensor '" + name + "': element " + i + " is " + v[i]
            + ", expected a finite variance >= 0");
      }
    }
  }

  /** Whether tensor {@code name} holds variances (its last dotted component is {@code running_var}). */
  public static boolean isVariance(String name) {
    return name.endsWith(".running_var") || name.equals("running_var");
  }
}
