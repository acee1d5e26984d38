// AVX-512 FP32 FMA peak of this machine (the shared peak.c measures AVX2 only; slimj's Vector API
// uses 512-bit vectors where the CPU has them). Twelve independent zmm accumulator chains per
// thread, so FMA latency is hidden; 1 and 2 threads; median, min and max over repetitions.
// Build: gcc -O3 -mavx512f -mfma -fopenmp peak512.c -o peak512     Run: ./peak512 [reps=7]
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double seconds(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + 1e-9 * t.tv_nsec;
}

#define STEP(r) r = _mm512_fmadd_ps(r, mul, add)

static float twelve_chains(long iters, float start) {
  __m512 r0 = _mm512_set1_ps(start), r1 = _mm512_set1_ps(start + 1e-3f), r2 = _mm512_set1_ps(start + 2e-3f);
  __m512 r3 = _mm512_set1_ps(start + 3e-3f), r4 = _mm512_set1_ps(start + 4e-3f), r5 = _mm512_set1_ps(start + 5e-3f);
  __m512 r6 = _mm512_set1_ps(start + 6e-3f), r7 = _mm512_set1_ps(start + 7e-3f), r8 = _mm512_set1_ps(start + 8e-3f);
  __m512 r9 = _mm512_set1_ps(start + 9e-3f), r10 = _mm512_set1_ps(start + 1e-2f), r11 = _mm512_set1_ps(start + 1.1e-2f);
  __m512 mul = _mm512_set1_ps(0.9999995f), add = _mm512_set1_ps(2e-7f);
  __asm__ volatile("" : "+v"(mul), "+v"(add));  // keep the constants opaque to the optimiser
  for (long i = 0; i < iters; i++) {
    STEP(r0); STEP(r1); STEP(r2); STEP(r3); STEP(r4); STEP(r5);
    STEP(r6); STEP(r7); STEP(r8); STEP(r9); STEP(r10); STEP(r11);
  }
  __m512 s = _mm512_add_ps(_mm512_add_ps(_mm512_add_ps(r0, r1), _mm512_add_ps(r2, r3)),
                           _mm512_add_ps(_mm512_add_ps(r4, r5), _mm512_add_ps(r6, r7)));
  s = _mm512_add_ps(s, _mm512_add_ps(_mm512_add_ps(r8, r9), _mm512_add_ps(r10, r11)));
  return _mm512_reduce_add_ps(s);
}

static int by_value(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int reps = argc > 1 ? atoi(argv[1]) : 7;
  if (reps < 1 || reps > 64) {
    fprintf(stderr, "peak512: repetitions must be in [1, 64], found %d\n", reps);
    return 2;
  }
  const long iters = 50000000L;  // 50M x 12 FMA x 16 lanes x 2 flop = 19.2 GFLOP per thread
  volatile float sink = 0;
  for (int threads = 1; threads <= 2; threads++) {
    double gflops[64];
#pragma omp parallel num_threads(threads)
    {
      float v = twelve_chains(iters / 20, 1.0f + omp_get_thread_num());
#pragma omp atomic
      sink += v;
    }
    for (int r = 0; r < reps; r++) {
      double t0 = seconds();
#pragma omp parallel num_threads(threads)
      {
        float v = twelve_chains(iters, 1.0f + omp_get_thread_num());
#pragma omp atomic
        sink += v;
      }
      gflops[r] = threads * (double)iters * 12 * 16 * 2 / (seconds() - t0) / 1e9;
    }
    qsort(gflops, reps, sizeof(double), by_value);
    printf("AVX-512 FMA peak %d thread(s) median %8.2f  min %8.2f  max %8.2f GFLOP/s (n=%d)\n", threads,
           gflops[reps / 2], gflops[0], gflops[reps - 1], reps);
    fflush(stdout);
  }
  printf("sink %f\n", (double)sink);
  return 0;
}
