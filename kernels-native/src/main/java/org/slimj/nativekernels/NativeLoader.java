package org.slimj.nativekernels;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads {@code libslimjnative.so} once per JVM and decides which instruction set it runs with.
 * The library is taken from {@code java.library.path} if it is there, else from this jar's
 * {@code /native/linux-x86_64/} or {@code /native/linux-aarch64/}, copied to a temporary file
 * (deleted when the JVM exits). The CPU is asked through the library (cpuid on x86-64: AVX2 and
 * FMA are needed, AVX-512F is used when present; NEON is baseline on AArch64).
 *
 * <p>The system property {@code slimj.native.isa} ({@code auto}, {@code avx2}, {@code avx512})
 * pins the x86-64 instruction set, e.g. to compare them; a pinned set the CPU lacks makes the
 * backend unavailable, with that reason.
 */
final class NativeLoader {
  /** The library name ({@code lib<name>.so}). */
  static final String LIBRARY = "slimjnative";

  /** System property pinning the instruction set. */
  static final String ISA_PROPERTY = "slimj.native.isa";

  private NativeLoader() {}

  /**
   * What loading found.
   *
   * @param available whether the kernels run here
   * @param isa the instruction set ({@code NativeBridge.ISA_*}), or -1
   * @param reason why not, or what runs and where the library came from
   */
  record Status(boolean available, int isa, String reason) {
    static Status unavailable(String reason) {
      return new Status(false, -1, reason);
    }
  }

  private static final class Holder {
    static final Status STATUS = load();
  }

  /** The outcome of loading, computed on first use. */
  static Status status() {
    return Holder.STATUS;
  }

  /** Display name of an instruction set. */
  static String isaName(int isa) {
    return switch (isa) {
      case NativeBridge.ISA_GENERIC -> "portable C";
      case NativeBridge.ISA_AVX2 -> "AVX2+FMA";
      case NativeBridge.ISA_AVX512 -> "AVX-512F";
      case NativeBridge.ISA_NEON -> "NEON";
      default -> "instruction set " + isa;
    };
  }

  /** {@code linux-x86_64} or {@code linux-aarch64}, or null where no library is built. */
  static String platform(String os, String arch) {
    if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
      return null;
    }
    return switch (arch) {
      case "amd64", "x86_64" -> "linux-x86_64";
      case "aarch64", "arm64" -> "linux-aarch64";
      default -> null;
    };
  }

  private static Status load() {
    String os = System.getProperty("os.name", "?");
    String arch = System.getProperty("os.arch", "?");
    String platform = platform(os, arch);
    if (platform == null) {
      return Status.unavailable("no native kernels for " + os + "/" + arch + " (only linux-x86_64 and linux-aarch64)");
    }
    String from;
    try {
      System.loadLibrary(LIBRARY);
      from = "lib" + LIBRARY + ".so from java.library.path";
    } catch (UnsatisfiedLinkError notOnLibraryPath) {
      String resource = "/native/" + platform + "/lib" + LIBRARY + ".so";
      URL url = NativeLoader.class.getResource(resource);
      if (url == null) {
        return Status.unavailable("no native library for " + platform + " in this build (" + resource
            + " is not in slimj-kernels-native: it was built without gcc or with -Dnative.skip=true)");
      }
      try {
        Path copy = extract(url);
        System.load(copy.toString());
        from = resource + " from the jar";
      } catch (IOException | UnsatisfiedLinkError e) {
        return Status.unavailable("library " + resource + " failed to load: " + e);
      }
    }
    int supported;
    try {
      supported = NativeBridge.supportedIsas();
    } catch (UnsatisfiedLinkError e) {
      return Status.unavailable("library failed to load (" + from + " lacks the slimj entry points): " + e);
    }
    return choose(platform, supported, System.getProperty(ISA_PROPERTY, "auto").trim().toLowerCase(Locale.ROOT), from);
  }

  /** Picks the instruction set from the CPU's and the library's abilities and the property. */
  static Status choose(String platform, int supported, String wanted, String from) {
    boolean avx2 = (supported & (1 << NativeBridge.ISA_AVX2)) != 0;
    boolean avx512 = (supported & (1 << NativeBridge.ISA_AVX512)) != 0;
    boolean neon = (supported & (1 << NativeBridge.ISA_NEON)) != 0;
    int isa;
    if (platform.equals("linux-aarch64")) {
      if (!neon) {
        return Status.unavailable("the library has no NEON kernels");
      }
      isa = NativeBridge.ISA_NEON;
    } else {
      switch (wanted) {
        case "auto" -> {
          if (!avx2) {
            return Status.unavailable("CPU lacks AVX2+FMA (cpuid), which the x86-64 native kernels need");
          }
          isa = avx512 ? NativeBridge.ISA_AVX512 : NativeBridge.ISA_AVX2;
        }
        case "avx2" -> {
          if (!avx2) {
            return Status.unavailable("CPU lacks AVX2+FMA (cpuid), asked for by " + ISA_PROPERTY + "=avx2");
          }
          isa = NativeBridge.ISA_AVX2;
        }
        case "avx512" -> {
          if (!avx512) {
            return Status.unavailable("CPU lacks AVX-512F (cpuid), asked for by " + ISA_PROPERTY + "=avx512");
          }
          isa = NativeBridge.ISA_AVX512;
        }
        default -> {
          return Status.unavailable(ISA_PROPERTY + ": expected auto, avx2 or avx512; found '" + wanted + "'");
        }
      }
    }
    return new Status(true, isa, isaName(isa) + " kernels, " + from);
  }

  private static Path extract(URL url) throws IOException {
    Path copy = Files.createTempFile("lib" + LIBRARY + "-", ".so");
    copy.toFile().deleteOnExit();
    try (InputStream in = url.openStream()) {
      Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
    }
    return copy;
  }
}
