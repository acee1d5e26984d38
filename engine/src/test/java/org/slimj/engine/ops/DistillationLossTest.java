package org.slimj.engine.ops;

import org.slimj.engine.TestBackends;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slimj.engine.autograd.Context;
import org.slimj.engine.autograd.Tape;
import org.slimj.engine.kernels.Kernels;
import org.slimj.engine.tensor.Tensor;

class DistillationLossTest {

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void gradientMatchesFiniteDifferences(Kernels k) {
    long seed = 1201;
    Tensor student = TestData.viewLeaf(seed, 2, 4, 6);
    for (int i = 0; i < student.size(); i++) {
      student.set(i, 3f * student.get(i));
    }
    Tensor teacher = Softmax.probabilities(k, TestData.constant(seed + 1, -3f, 3f, 4, 6));
    // GradCheck also asserts the teacher (a constant) gets no gradient buffer.
    GradCheck.check(
        "DistillationLoss student[4,6]",
        k,
        seed,
        ctx -> DistillationLoss.forward(ctx, student, teacher),
        student,
        teacher);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void noGradientFlowsToTheTeacherEvenIfItAsksForOne(Kernels k) {
    long seed = 1202;
    Tensor teacherLogits = TestData.leaf(seed, 3, 5);
    Tensor student = TestData.leaf(seed + 1, 3, 5);
    Tape tape = new Tape();
    Tensor teacher = Softmax.probabilities(k, teacherLogits);
    teacher.setRequiresGrad(true);
    Tensor loss = DistillationLoss.forward(Context.train(k, tape, null), student, teacher);
    tape.backward(loss);
    assertNull(teacher.gradOrNull());
    assertNull(teacherLogits.gradOrNull());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void oneHotTeacherEqualsPlainCrossEntropy(Kernels k) {
    long seed = 1203;
    Tensor student = TestData.constant(seed, -3f, 3f, 5, 4);
    int[] labels = SoftmaxCrossEntropyTest.labels(seed + 1, 5, 4);
    Tensor onehot = Tensor.zeros(5, 4);
    for (int b = 0; b < 5; b++) {
      onehot.set(b * 4 + labels[b], 1f);
    }
    Context ctx = Context.inference(k);
    assertEquals(
        SoftmaxCrossEntropy.forward(ctx, student, labels, 0f).item(),
        DistillationLoss.forward(ctx, student, onehot).item(),
        1e-5,
        "seed " + seed);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("org.slimj.engine.TestBackends#all")
  void selfDistillationHasZeroGradient(Kernels k) {
    long seed = 1204;
    Tensor student = TestData.leaf(seed, 3, 6);
    Tensor teacher = Softmax.probabilities(k, student);
    Tape tape = new Tape();
    tape.backward(DistillationLoss.forward(Context.train(k, tape, null), student, teacher));
    for (int i = 0; i < student.size(); i++) {
      assertEquals(0f, student.grad()[i], 1e-6f, "index " + i + " seed " + seed);
    }
  }

  @Test
  void rejectsMismatchedShapes() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            DistillationLoss.forward(
                Context.inference(TestBackends.scalar()), Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
  }
}
