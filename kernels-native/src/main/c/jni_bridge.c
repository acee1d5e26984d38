/*
 * JNI glue between org.slimj.nativekernels.NativeBridge and the drivers of slimj_kernels.h. Each
 * call pins its arrays with GetPrimitiveArrayCritical, runs one single-threaded driver, and unpins
 * them (inputs with JNI_ABORT, so a copying JVM does not write them back). Nothing allocates and
 * no JNI function other than Release is called between Get and Release. Offsets and sizes were
 * checked on the Java side.
 */
#include <jni.h>
#include <stdint.h>

#include "org_slimj_nativekernels_NativeBridge.h"
#include "slimj_kernels.h"

_Static_assert(org_slimj_nativekernels_NativeBridge_ISA_GENERIC == SLIMJ_ISA_GENERIC, "ISA numbering");
_Static_assert(org_slimj_nativekernels_NativeBridge_ISA_AVX2 == SLIMJ_ISA_AVX2, "ISA numbering");
_Static_assert(org_slimj_nativekernels_NativeBridge_ISA_AVX512 == SLIMJ_ISA_AVX512, "ISA numbering");
_Static_assert(org_slimj_nativekernels_NativeBridge_ISA_NEON == SLIMJ_ISA_NEON, "ISA numbering");

typedef struct {
  jfloatArray array;
  float *data;
  jint mode; /* 0: copy back (outputs), JNI_ABORT: inputs */
} pinned;

static void throw_new(JNIEnv *env, const char *cls, const char *message) {
  jclass c = (*env)->FindClass(env, cls);
  if (c != NULL) {
    (*env)->ThrowNew(env, c, message);
  }
}

static void unpin(JNIEnv *env, pinned *p, int count) {
  for (int i = count - 1; i >= 0; i--) {
    if (p[i].data != NULL) {
      (*env)->ReleasePrimitiveArrayCritical(env, p[i].array, p[i].data, p[i].mode);
    }
  }
}

/* Pins every array, or none (then an OutOfMemoryError is pending) and returns 0. */
static int pin(JNIEnv *env, pinned *p, int count) {
  for (int i = 0; i < count; i++) {
    p[i].data = (*env)->GetPrimitiveArrayCritical(env, p[i].array, NULL);
    if (p[i].data == NULL) {
      unpin(env, p, i);
      throw_new(env, "java/lang/OutOfMemoryError", "slimj native: cannot access a float[] (GetPrimitiveArrayCritical)");
      return 0;
    }
  }
  return 1;
}

/* The table for isa, or NULL with an IllegalArgumentException pending. */
static const slimj_isa *table(JNIEnv *env, jint isa) {
  const slimj_isa *t = slimj_isa_get(isa);
  if (t == NULL) {
    throw_new(env, "java/lang/IllegalArgumentException", "slimj native: instruction set not in this library");
  }
  return t;
}

static float *workspace(jlong address) { return (float *)(intptr_t)address; }

JNIEXPORT jint JNICALL Java_org_slimj_nativekernels_NativeBridge_supportedIsas(JNIEnv *env, jclass cls) {
  (void)env, (void)cls;
  return slimj_isa_supported();
}

JNIEXPORT jint JNICALL Java_org_slimj_nativekernels_NativeBridge_tileRows(JNIEnv *env, jclass cls, jint isa) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  return t == NULL ? 0 : t->mr;
}

JNIEXPORT jint JNICALL Java_org_slimj_nativekernels_NativeBridge_tileCols(JNIEnv *env, jclass cls, jint isa) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  return t == NULL ? 0 : t->nr;
}

JNIEXPORT jlong JNICALL Java_org_slimj_nativekernels_NativeBridge_sgemmWorkspace(JNIEnv *env, jclass cls, jint isa,
                                                                                 jint m, jint n, jint k) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  return t == NULL ? 0 : (jlong)slimj_sgemm_workspace(t, m, n, k);
}

JNIEXPORT jlong JNICALL Java_org_slimj_nativekernels_NativeBridge_convForwardWorkspace(
    JNIEnv *env, jclass cls, jint isa, jint cin, jint h, jint w, jint cout, jint kh, jint kw, jint stride, jint pad) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  slimj_conv s = {cin, h, w, cout, kh, kw, stride, pad};
  return t == NULL ? 0 : (jlong)slimj_conv_forward_workspace(t, &s);
}

JNIEXPORT jlong JNICALL Java_org_slimj_nativekernels_NativeBridge_depthwiseWorkspace(JNIEnv *env, jclass cls, jint h,
                                                                                     jint w, jint kh, jint kw,
                                                                                     jint stride, jint pad) {
  (void)env, (void)cls;
  slimj_conv s = {1, h, w, 1, kh, kw, stride, pad};
  return (jlong)slimj_depthwise_workspace(&s);
}

JNIEXPORT void JNICALL Java_org_slimj_nativekernels_NativeBridge_sgemm(
    JNIEnv *env, jclass cls, jint isa, jboolean transA, jboolean transB, jint m, jint n, jint k, jfloat alpha,
    jfloatArray a, jint aOff, jint lda, jfloatArray b, jint bOff, jint ldb, jfloat beta, jfloatArray c, jint cOff,
    jint ldc, jlong ws) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  pinned p[3] = {{a, NULL, JNI_ABORT}, {b, NULL, JNI_ABORT}, {c, NULL, 0}};
  if (t == NULL || !pin(env, p, 3)) {
    return;
  }
  slimj_sgemm(t, transA, transB, m, n, k, alpha, p[0].data + aOff, lda, p[1].data + bOff, ldb, beta,
              p[2].data + cOff, ldc, workspace(ws));
  unpin(env, p, 3);
}

JNIEXPORT void JNICALL Java_org_slimj_nativekernels_NativeBridge_convForward(
    JNIEnv *env, jclass cls, jint isa, jint cin, jint h, jint w, jint cout, jint kh, jint kw, jint stride, jint pad,
    jint images, jint p0, jint p1, jfloatArray x, jint xOff, jfloatArray wt, jint wOff, jint ldw, jfloatArray y,
    jint yOff, jlong ws) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  slimj_conv s = {cin, h, w, cout, kh, kw, stride, pad};
  pinned p[3] = {{x, NULL, JNI_ABORT}, {wt, NULL, JNI_ABORT}, {y, NULL, 0}};
  if (t == NULL || !pin(env, p, 3)) {
    return;
  }
  slimj_conv_forward(t, &s, images, p0, p1, p[0].data + xOff, p[1].data + wOff, ldw, p[2].data + yOff,
                     workspace(ws));
  unpin(env, p, 3);
}

JNIEXPORT void JNICALL Java_org_slimj_nativekernels_NativeBridge_depthwiseForward(
    JNIEnv *env, jclass cls, jint isa, jint channels, jint h, jint w, jint kh, jint kw, jint stride, jint pad,
    jint from, jint to, jfloatArray x, jint xOff, jfloatArray wt, jint wOff, jfloatArray y, jint yOff, jlong ws) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  slimj_conv s = {channels, h, w, channels, kh, kw, stride, pad};
  pinned p[3] = {{x, NULL, JNI_ABORT}, {wt, NULL, JNI_ABORT}, {y, NULL, 0}};
  if (t == NULL || !pin(env, p, 3)) {
    return;
  }
  slimj_depthwise_forward(t, &s, from, to, p[0].data + xOff, p[1].data + wOff, p[2].data + yOff, workspace(ws));
  unpin(env, p, 3);
}

JNIEXPORT void JNICALL Java_org_slimj_nativekernels_NativeBridge_depthwiseBackwardData(
    JNIEnv *env, jclass cls, jint isa, jint channels, jint h, jint w, jint kh, jint kw, jint stride, jint pad,
    jint from, jint to, jfloatArray dy, jint dyOff, jfloatArray wt, jint wOff, jfloatArray dx, jint dxOff, jlong ws) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  slimj_conv s = {channels, h, w, channels, kh, kw, stride, pad};
  pinned p[3] = {{dy, NULL, JNI_ABORT}, {wt, NULL, JNI_ABORT}, {dx, NULL, 0}};
  if (t == NULL || !pin(env, p, 3)) {
    return;
  }
  slimj_depthwise_backward_data(t, &s, from, to, p[0].data + dyOff, p[1].data + wOff, p[2].data + dxOff,
                                workspace(ws));
  unpin(env, p, 3);
}

JNIEXPORT void JNICALL Java_org_slimj_nativekernels_NativeBridge_depthwiseBackwardWeights(
    JNIEnv *env, jclass cls, jint isa, jint channels, jint h, jint w, jint kh, jint kw, jint stride, jint pad,
    jint images, jint from, jint to, jfloatArray x, jint xOff, jfloatArray dy, jint dyOff, jfloatArray dw,
    jint dwOff, jlong ws) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  slimj_conv s = {channels, h, w, channels, kh, kw, stride, pad};
  pinned p[3] = {{x, NULL, JNI_ABORT}, {dy, NULL, JNI_ABORT}, {dw, NULL, 0}};
  if (t == NULL || !pin(env, p, 3)) {
    return;
  }
  slimj_depthwise_backward_weights(t, &s, images, from, to, p[0].data + xOff, p[1].data + dyOff, p[2].data + dwOff,
                                   workspace(ws));
  unpin(env, p, 3);
}

JNIEXPORT jlong JNICALL Java_org_slimj_nativekernels_NativeBridge_pointwiseBackwardDataWorkspace(
    JNIEnv *env, jclass cls, jint isa, jint cin, jint cout, jint pixels) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  return t == NULL ? 0 : (jlong)slimj_pointwise_backward_data_workspace(t, cin, cout, pixels);
}

JNIEXPORT jlong JNICALL Java_org_slimj_nativekernels_NativeBridge_convBackwardWeightsWorkspace(
    JNIEnv *env, jclass cls, jint cin, jint h, jint w, jint cout, jint kh, jint kw, jint stride, jint pad,
    jint images) {
  (void)env, (void)cls;
  slimj_conv s = {cin, h, w, cout, kh, kw, stride, pad};
  return (jlong)slimj_conv_backward_weights_workspace(&s, images);
}

JNIEXPORT void JNICALL Java_org_slimj_nativekernels_NativeBridge_pointwiseBackwardData(
    JNIEnv *env, jclass cls, jint isa, jint cin, jint cout, jint pixels, jint images, jfloatArray dy, jint dyOff,
    jfloatArray wt, jint wOff, jint ldw, jfloatArray dx, jint dxOff, jlong ws) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  pinned p[3] = {{dy, NULL, JNI_ABORT}, {wt, NULL, JNI_ABORT}, {dx, NULL, 0}};
  if (t == NULL || !pin(env, p, 3)) {
    return;
  }
  slimj_pointwise_backward_data(t, cin, cout, pixels, images, p[0].data + dyOff, p[1].data + wOff, ldw,
                                p[2].data + dxOff, workspace(ws));
  unpin(env, p, 3);
}

JNIEXPORT void JNICALL Java_org_slimj_nativekernels_NativeBridge_convBackwardWeights(
    JNIEnv *env, jclass cls, jint isa, jint cin, jint h, jint w, jint cout, jint kh, jint kw, jint stride, jint pad,
    jint images, jint o0, jint o1, jfloatArray x, jint xOff, jfloatArray dy, jint dyOff, jfloatArray dw, jint dwOff,
    jint ldw, jlong ws) {
  (void)cls;
  const slimj_isa *t = table(env, isa);
  slimj_conv s = {cin, h, w, cout, kh, kw, stride, pad};
  pinned p[3] = {{x, NULL, JNI_ABORT}, {dy, NULL, JNI_ABORT}, {dw, NULL, 0}};
  if (t == NULL || !pin(env, p, 3)) {
    return;
  }
  slimj_conv_backward_weights(t, &s, images, o0, o1, p[0].data + xOff, p[1].data + dyOff, p[2].data + dwOff, ldw,
                              workspace(ws));
  unpin(env, p, 3);
}
