package org.slimj.nativekernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;
import org.slimj.engine.kernels.Backends;

/**
 * Loading, the instruction-set choice, and the engine's backend choice with this module on the
 * class path. Fails (never skips) where the library does not load: the build compiles it wherever
 * gcc exists.
 */
class NativeLoaderAndBackendsTest {
  private static final int AVX2 = 1 << NativeBridge.ISA_AVX2;
  private static final int AVX512 = 1 << NativeBridge.ISA_AVX512;
  private static final int GENERIC = 1 << NativeBridge.ISA_GENERIC;

  @Test
  void theLibraryLoadsFromTheJarResourceOnThisMachine() {
    NativeLoader.Status s = NativeLoader.status();
    if (!s.available()) {
      fail("native kernels unavailable on a machine where the build ran gcc: " + s.reason());
    }
    assertTrue(s.reason().contains("kernels"), s.reason());
    int supported = NativeBridge.supportedIsas();
    assertTrue((supported & (1 << s.isa())) != 0, "chosen " + s.isa() + ", supported bits " + supported);
    assertTrue(NativeBridge.tileRows(s.isa()) > 0 && NativeBridge.tileCols(s.isa()) > 0);
  }

  @Test
  void instructionSetChoice() {
    String from = "test";
    int all = GENERIC | AVX2 | AVX512;
    assertEquals(NativeBridge.ISA_AVX512, NativeLoader.choose("linux-x86_64", all, "auto", from).isa());
    assertEquals(NativeBridge.ISA_AVX2, NativeLoader.choose("linux-x86_64", all, "avx2", from).isa());
    assertEquals(NativeBridge.ISA_AVX2, NativeLoader.choose("linux-x86_64", GENERIC | AVX2, "auto", from).isa());
    NativeLoader.Status old = NativeLoader.choose("linux-x86_64", GENERIC, "auto", from);
    assertFalse(old.available());
    assertTrue(old.reason().contains("CPU lacks AVX2+FMA"), old.reason());
    NativeLoader.Status no512 = NativeLoader.choose("linux-x86_64", GENERIC | AVX2, "avx512", from);
    assertFalse(no512.available());
    assertTrue(no512.reason().contains("AVX-512F"), no512.reason());
    NativeLoader.Status typo = NativeLoader.choose("linux-x86_64", GENERIC | AVX2, "sse", from);
    assertTrue(typo.reason().contains("'sse'"), typo.reason());
    assertEquals(NativeBridge.ISA_NEON,
        NativeLoader.choose("linux-aarch64", GENERIC | 1 << NativeBridge.ISA_NEON, "auto", from).isa());
    assertEquals("linux-x86_64", NativeLoader.platform("Linux", "amd64"));
    assertEquals("linux-aarch64", NativeLoader.platform("Linux", "aarch64"));
    assertNull(NativeLoader.platform("Mac OS X", "aarch64"));
  }

  @Test
  void backendsFindTheProvider() {
    Backends.Choice nat = Backends.choose("native", 2);
    NativeKernels k = assertInstanceOf(NativeKernels.class, nat.kernels());
    assertEquals(2, k.threads());
    assertTrue(nat.reason().startsWith("backend native (asked for)"), nat.reason());
    Backends.Choice auto = Backends.choose("auto", 1);
    if (NativeKernels.preferredByAuto(NativeLoader.status().isa())) {
      assertInstanceOf(NativeKernels.class, auto.kernels());
      assertTrue(auto.reason().startsWith("backend native (auto)"), auto.reason());
    } else {
      assertEquals("vector", auto.kernels().name());
      assertTrue(auto.reason().contains("native available but not preferred"), auto.reason());
    }
    assertEquals("vector", Backends.choose("vector", 1).kernels().name());
  }
}
