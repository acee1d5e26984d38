package org.slimj.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.slimj.engine.kernels.ConvShape;

/** Shape parameters, width lists and the reference layers' work. */
class ShapeParamsTest {

  @Test
  void parsesConvolutionShapesAndCutsChannels() {
    assertEquals(new ConvShape(64, 96, 8, 8, 576, 1, 1, 1, 0), ShapeParams.conv("64x96@8->576k1s1", 1.0));
    assertEquals(new ConvShape(64, 48, 8, 8, 288, 1, 1, 1, 0), ShapeParams.conv("64x96@8->576k1s1", 0.5));
    assertEquals(new ConvShape(64, 3, 32, 32, 16, 3, 3, 1, 1), ShapeParams.conv("64x3@32->32k3s1", 0.5),
        "the 3 image channels are never cut");
    assertArrayEquals(new int[] {96, 576}, ShapeParams.convMax("64x96@8->576k1s1"));
    assertEquals(new ConvShape(8, 37, 13, 13, 37, 3, 3, 1, 1), ShapeParams.depthwise("8x37@13k3s1", 1.0));
    assertArrayEquals(new int[] {64, 576, 64}, ShapeParams.planes("64x576@8"));
    assertArrayEquals(new int[] {127, 129, 131}, ShapeParams.gemm("127x129x131"));
  }

  @Test
  void rejectsMalformedShapes() {
    var e = assertThrows(IllegalArgumentException.class, () -> ShapeParams.conv("64,96,8", 1.0));
    assertTrue(e.getMessage().contains("64,96,8"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ShapeParams.conv("64x96@8->576k1s1", 0));
    assertThrows(IllegalArgumentException.class, () -> ShapeParams.gemm("12x12"));
  }

  @Test
  void widthListsTakeCommasOrSlashes() {
    assertArrayEquals(new double[] {1.0, 0.25, 0.75, 0.5}, WidthList.parse("1.0,0.25,0.75,0.5", "w"));
    assertArrayEquals(new double[] {1.0, 0.25}, WidthList.parse("1.0/0.25", "w"));
    var e = assertThrows(IllegalArgumentException.class, () -> WidthList.parse("1.0,1.5", "--widths"));
    assertTrue(e.getMessage().startsWith("--widths") && e.getMessage().contains("1.5"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> WidthList.parse("a", "--widths"));
    assertThrows(IllegalArgumentException.class, () -> WidthList.parse("", "--widths"));
  }

  @Test
  void referenceLayersCountTheirWorkAsLayersMd() {
    ReferenceLayer pw = ReferenceLayer.byKey("pw 96->576 @8x8");
    assertEquals(pw, ReferenceLayer.byKey("pw96_576"));
    assertEquals(64L * 576 * 64 * 96, pw.forwardMacs(64, 1.0));
    assertEquals(64L * 288 * 64 * 48, pw.forwardMacs(64, 0.5));
    assertEquals(3 * 2.0 * pw.forwardMacs(64, 1.0), pw.flops(64, 1.0, true));
    ReferenceLayer stem = ReferenceLayer.byKey("conv3_32");
    assertEquals(3, stem.cinAt(0.5));
    assertEquals(2 * 2.0 * stem.forwardMacs(64, 0.5), stem.flops(64, 0.5, true), "the image needs no gradient");
    ReferenceLayer dw = ReferenceLayer.byKey("dw576");
    assertEquals(64L * 288 * 64 * 9, dw.forwardMacs(64, 0.5));
    assertThrows(IllegalArgumentException.class, () -> ReferenceLayer.byKey("nosuch"));
  }
}
