package org.slimj.bench;

import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.slimj.engine.kernels.Backends;
import org.slimj.engine.kernels.Kernels;

/**
 * The JMH parameters every benchmark state shares: the kernel backend and its thread count. The
 * default sweep runs the Vector API backend only; the scalar reference is slow on large shapes and
 * is selected explicitly, e.g. {@code -p backend=scalar,vector -p threads=1,2}.
 */
@State(Scope.Benchmark)
public abstract class BackendParams {
  /** {@code vector}, {@code scalar}, {@code native} or {@code auto}. */
  @Param({"vector"})
  public String backend;

  /** Worker threads of the backend. */
  @Param({"1"})
  public int threads;

  /** The backend these parameters name; an explicit backend that cannot run here is an error. */
  protected Kernels openKernels() {
    return Backends.choose(backend, threads).kernels();
  }
}
