package org.slimj.engine.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.slimj.engine.models.ModelSpec;
import org.slimj.engine.nn.slim.BnKind;

/** The residual, activation and pooling markers the models record in their channel spaces. */
class SpaceMarkersTest {
  private static ChannelSpace space(String arch, int in, int size, int classes) {
    return new ModelSpec(arch, 1.0, in, size, classes, BnKind.UNIVERSAL, new double[] {1.0})
        .build(new SplittableRandom(1)).space();
  }

  @Test
  void mobileNetV2ResidualsStartAtTheBlockInput() {
    List<LayerSpec> layers = space("mobilenetv2", 3, 32, 10).layers();
    int residuals = 0;
    for (int i = 0; i < layers.size(); i++) {
      LayerSpec l = layers.get(i);
      if (l.residual()) {
        residuals++;
        LayerSpec from = layers.get(l.residualFrom());
        assertTrue(l.name().endsWith(".project.conv"), l.name());
        assertEquals(l.name().replace(".project.conv", ".expand.conv"), from.name());
        assertEquals(l.outSlot(), from.inSlot(), "residual joins the block input's slot: " + l.name());
        assertEquals(Activation.NONE, l.activation(), l.name());
      } else if (l.kind() != LayerKind.LINEAR && !l.name().endsWith(".project.conv")) {
        assertEquals(Activation.RELU6, l.activation(), l.name());
      }
    }
    assertEquals(10, residuals, "MobileNet v2 has 10 blocks with an identity shortcut");
    LayerSpec fc = layers.get(layers.size() - 1);
    assertEquals(4, fc.pooledSize(), "32x32 input pools a 4x4 map before the classifier");
  }

  @Test
  void resNetMarksEveryBlock() {
    List<LayerSpec> layers = space("resnet20", 3, 32, 10).layers();
    long residuals = layers.stream().filter(LayerSpec::residual).count();
    assertEquals(9, residuals);
    for (LayerSpec l : layers) {
      if (l.residual()) {
        assertEquals(l.name().replace(".conv2.conv", ".conv1.conv"), layers.get(l.residualFrom()).name());
        assertEquals(Activation.RELU, l.activation());
      }
    }
    assertEquals(8, layers.get(layers.size() - 1).pooledSize());
  }

  @Test
  void smallCnnHasNoResidualAndPoolsItsLastMap() {
    List<LayerSpec> layers = space("smallcnn", 1, 28, 10).layers();
    assertEquals(0, layers.stream().filter(LayerSpec::residual).count());
    assertEquals(14, layers.get(layers.size() - 1).pooledSize());
    assertEquals(Activation.RELU, layers.get(0).activation());
  }

  @Test
  void oldConstructorMeansNoMarkersAndForwardResidualsAreRejected() {
    LayerSpec l = new LayerSpec("a", LayerKind.CONV, 3, 1, 8, 0, -1, 0, -1, true, false);
    assertEquals(Activation.NONE, l.activation());
    assertEquals(-1, l.residualFrom());
    assertEquals(0, l.pooledSize());
    Slot s = new Slot("s", 4, 4, 1, 1, false);
    assertThrows(IllegalArgumentException.class, () -> new ChannelSpace(List.of(s), List.of(l.withResidualFrom(1))));
  }
}
