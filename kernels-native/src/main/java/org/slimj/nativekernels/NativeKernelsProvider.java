package org.slimj.nativekernels;

import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.kernels.KernelsProvider;
import org.slimj.engine.kernels.Parallel;

/**
 * Makes the JNI kernels known to {@link org.slimj.engine.kernels.Backends} as the backend {@code
 * native} (registered in {@code META-INF/services}). Loading happens once, on the first question.
 */
public final class NativeKernelsProvider implements KernelsProvider {
  /** Called by {@link java.util.ServiceLoader}. */
  public NativeKernelsProvider() {}

  @Override
  public String name() {
    return "native";
  }

  @Override
  public boolean available() {
    return NativeLoader.status().available();
  }

  @Override
  public String reason() {
    return NativeLoader.status().reason();
  }

  @Override
  public boolean preferredByAuto() {
    NativeLoader.Status s = NativeLoader.status();
    return s.available() && NativeKernels.preferredByAuto(s.isa());
  }

  @Override
  public Kernels create(Parallel parallel) {
    return new NativeKernels(parallel);
  }
}
