package org.slimj.engine.io;

import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The element types of the safetensors format, with their sizes in bits. Names are the strings used
 * in the {@code "dtype"} field of a header.
 */
public enum Dtype {
  /** Boolean, one byte per element. */
  BOOL(8),
  /** 4-bit float (E2M1), two elements per byte. */
  F4(4),
  /** 6-bit float (E2M3). */
  F6_E2M3(6),
  /** 6-bit float (E3M2). */
  F6_E3M2(6),
  /** Unsigned 8-bit integer. */
  U8(8),
  /** Signed 8-bit integer. */
  I8(8),
  /** 8-bit float (E5M2). */
  F8_E5M2(8),
  /** 8-bit float (E4M3). */
  F8_E4M3(8),
  /** 8-bit exponent-only scale (E8M0). */
  F8_E8M0(8),
  /** 8-bit float (E4M3, finite, unsigned zero). */
  F8_E4M3FNUZ(8),
  /** 8-bit float (E5M2, finite, unsigned zero). */
  F8_E5M2FNUZ(8),
  /** Signed 16-bit integer. */
  I16(16),
  /** Unsigned 16-bit integer. */
  U16(16),
  /** IEEE 754 half precision. */
  F16(16),
  /** bfloat16: the upper 16 bits of a float32. */
  BF16(16),
  /** Signed 32-bit integer. */
  I32(32),
  /** Unsigned 32-bit integer. */
  U32(32),
  /** IEEE 754 single precision. */
  F32(32),
  /** Complex number of two float32. */
  C64(64),
  /** IEEE 754 double precision. */
  F64(64),
  /** Signed 64-bit integer. */
  I64(64),
  /** Unsigned 64-bit integer. */
  U64(64);

  private final int bits;

  Dtype(int bits) {
    this.bits = bits;
  }

  /** Size of one element in bits. */
  public int bits() {
    return bits;
  }

  /** The dtype named {@code name} exactly as in a header (case-sensitive), if there is one. */
  public static Optional<Dtype> fromName(String name) {
    for (Dtype d : values()) {
      if (d.name().equals(name)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }

  /** All names, for error messages. */
  public static String knownNames() {
    return Arrays.toString(values());
  }

  /**
   * Number of bytes that {@code elements} elements occupy, or empty if that is not a whole number
   * of bytes or does not fit in a {@code long}.
   */
  public OptionalLong byteLength(long elements) {
    if (elements < 0 || elements > Long.MAX_VALUE / bits) {
      return OptionalLong.empty();
    }
    long totalBits = elements * bits;
    return totalBits % 8 == 0 ? OptionalLong.of(totalBits / 8) : OptionalLong.empty();
  }
}
