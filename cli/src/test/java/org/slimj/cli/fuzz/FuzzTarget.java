package org.slimj.cli.fuzz;

import java.nio.file.Path;
import java.util.List;

/**
 * One loader under fuzzing: its seed inputs, how to mutate them, how to load a file, and what must
 * hold of what it loads. A load either returns (and passes {@link #check}) or throws one of the
 * loader's documented exceptions with a message that names the file; anything else is a finding.
 *
 * @param name short name (also names saved findings)
 * @param fileName the name the input is written under (the loader's errors must name its directory)
 * @param seeds valid inputs the mutations start from
 * @param mutation how to mutate an input
 * @param loader loads a file
 * @param rejections the exception types that count as a clean rejection
 */
record FuzzTarget(String name, String fileName, List<byte[]> seeds, Mutation mutation, Loader loader,
    List<Class<? extends Exception>> rejections) {

  /** Loads a file and checks what it loaded (throwing AssertionError when an invariant fails). */
  @FunctionalInterface
  interface Loader {
    /** Loads {@code file}; {@code workDir} is a directory the loader may use for companion files. */
    void load(Path file, Path workDir) throws Exception;
  }

  /** A mutation of one input with the fuzzer's random source. */
  @FunctionalInterface
  interface Mutation {
    /** {@code in} mutated by {@code m}. */
    byte[] apply(Mutator m, byte[] in);
  }

  /** Whether {@code t} is one of this loader's clean rejections. */
  boolean isRejection(Throwable t) {
    for (Class<? extends Exception> c : rejections) {
      if (c.isInstance(t)) {
        return true;
      }
    }
    return false;
  }
}
