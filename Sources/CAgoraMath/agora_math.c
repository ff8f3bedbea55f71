#include "agora_math.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#endif

/* log2(e); ln 2 split so that n * LN2_HI is exact for |n| < 2^11 (fdlibm's constants). */
static const double LOG2E = 1.44269504088896338700e+00;
static const double LN2_HI = 6.93147180369123816490e-01;
static const double LN2_LO = 1.90821492927058770002e-10;
/* 1.5 * 2^52: x * log2(e) + SHIFTER holds round(x * log2(e)) in its low mantissa bits. */
static const double SHIFTER = 6755399441055744.0;
static const double LOWER = -708.0;
static const double UPPER = 709.0;
/* 1/k! for k = 0 to 13: the Taylor polynomial of e^r on [-ln2/2, ln2/2], evaluated by Estrin's scheme (pairs,
   then pairs of pairs with r^2, r^4, r^8) so that its chain of dependent operations is 4 deep, not 13. */
static const double C[14] = {
  1.0, 1.0, 0.5, 1.0 / 6.0, 1.0 / 24.0, 1.0 / 120.0, 1.0 / 720.0, 1.0 / 5040.0, 1.0 / 40320.0, 1.0 / 362880.0,
  1.0 / 3628800.0, 1.0 / 39916800.0, 1.0 / 479001600.0, 1.0 / 6227020800.0,
};

double agora_exp(double x) {
  if (x != x) return x;
  if (!(x >= LOWER)) return 0.0;
  if (x > UPPER) return INFINITY;
  double k = fma(x, LOG2E, SHIFTER);
  double n = k - SHIFTER;
  double r = fma(-n, LN2_HI, x);
  r = fma(-n, LN2_LO, r);
  double r2 = r * r, r4 = r2 * r2, r8 = r4 * r4;
  double q0 = fma(C[1], r, C[0]), q1 = fma(C[3], r, C[2]), q2 = fma(C[5], r, C[4]), q3 = fma(C[7], r, C[6]);
  double q4 = fma(C[9], r, C[8]), q5 = fma(C[11], r, C[10]), q6 = fma(C[13], r, C[12]);
  double s0 = fma(q1, r2, q0), s1 = fma(q3, r2, q2), s2 = fma(q5, r2, q4);
  double t0 = fma(s1, r4, s0), t1 = fma(q6, r4, s2);
  double p = fma(t1, r8, t0);
  int64_t kb, sb;
  memcpy(&kb, &k, 8);
  memcpy(&sb, &SHIFTER, 8);
  int64_t bits = (kb - sb + 1023) << 52;
  double scale;
  memcpy(&scale, &bits, 8);
  return p * scale;
}

void agora_exp_shifted_portable(double *values, long count, double shift) {
  for (long k = 0; k < count; k++) values[k] = agora_exp(values[k] - shift);
}

#if defined(__x86_64__)
static int detect_avx2_fma(void) {
  unsigned a, b, c, d;
  if (!__get_cpuid(1, &a, &b, &c, &d)) return 0;
  if (!((c >> 12) & 1) || !((c >> 27) & 1) || !((c >> 28) & 1)) return 0; /* FMA, OSXSAVE, AVX */
  unsigned lo, hi;
  __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
  if ((lo & 6) != 6) return 0; /* the OS saves the SSE and AVX registers */
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return 0;
  return (b >> 5) & 1; /* AVX2 */
}

/* e^x of 4 lanes: agora_exp's operations, lane by lane. */
__attribute__((target("avx2,fma"))) static inline __m256d exp4(__m256d x) {
  const __m256d shifter = _mm256_set1_pd(SHIFTER);
  __m256d kk = _mm256_fmadd_pd(x, _mm256_set1_pd(LOG2E), shifter);
  __m256d n = _mm256_sub_pd(kk, shifter);
  __m256d r = _mm256_fnmadd_pd(n, _mm256_set1_pd(LN2_HI), x);
  r = _mm256_fnmadd_pd(n, _mm256_set1_pd(LN2_LO), r);
  __m256d r2 = _mm256_mul_pd(r, r), r4 = _mm256_mul_pd(r2, r2), r8 = _mm256_mul_pd(r4, r4);
#define AGORA_Q(i) _mm256_fmadd_pd(_mm256_set1_pd(C[i + 1]), r, _mm256_set1_pd(C[i]))
  __m256d q0 = AGORA_Q(0), q1 = AGORA_Q(2), q2 = AGORA_Q(4), q3 = AGORA_Q(6), q4 = AGORA_Q(8), q5 = AGORA_Q(10);
  __m256d q6 = AGORA_Q(12);
#undef AGORA_Q
  __m256d s0 = _mm256_fmadd_pd(q1, r2, q0), s1 = _mm256_fmadd_pd(q3, r2, q2), s2 = _mm256_fmadd_pd(q5, r2, q4);
  __m256d t0 = _mm256_fmadd_pd(s1, r4, s0), t1 = _mm256_fmadd_pd(q6, r4, s2);
  __m256d p = _mm256_fmadd_pd(t1, r8, t0);
  __m256i bits = _mm256_slli_epi64(
    _mm256_add_epi64(_mm256_sub_epi64(_mm256_castpd_si256(kk), _mm256_castpd_si256(shifter)), _mm256_set1_epi64x(1023)),
    52);
  __m256d y = _mm256_mul_pd(p, _mm256_castsi256_pd(bits));
  /* Out of range: 0 below, +inf above, NaN kept (the ordered comparisons are false for NaN). */
  y = _mm256_blendv_pd(_mm256_setzero_pd(), y, _mm256_cmp_pd(x, _mm256_set1_pd(LOWER), _CMP_GE_OQ));
  y = _mm256_blendv_pd(y, _mm256_set1_pd(INFINITY), _mm256_cmp_pd(x, _mm256_set1_pd(UPPER), _CMP_GT_OQ));
  return _mm256_blendv_pd(y, x, _mm256_cmp_pd(x, x, _CMP_UNORD_Q));
}

__attribute__((target("avx2,fma"))) static void exp_shifted_avx2(double *values, long count, double shift) {
  const __m256d s = _mm256_set1_pd(shift);
  long k = 0;
  for (; k + 4 <= count; k += 4) _mm256_storeu_pd(values + k, exp4(_mm256_sub_pd(_mm256_loadu_pd(values + k), s)));
  if (k < count) {
    /* The last 1 to 3 values, loaded and stored under a mask (the spare lanes are computed and dropped). */
    __m256i lanes = _mm256_cmpgt_epi64(_mm256_set1_epi64x(count - k), _mm256_set_epi64x(3, 2, 1, 0));
    __m256d x = _mm256_sub_pd(_mm256_maskload_pd(values + k, lanes), s);
    _mm256_maskstore_pd(values + k, lanes, exp4(x));
  }
}
#endif

/* -1: not checked yet; then 0 or 1. Threads that race to check all store the same value. */
static _Atomic int vectorized = -1;

int agora_exp_is_vectorized(void) {
  int v = vectorized;
  if (v < 0) {
#if defined(__x86_64__)
    v = detect_avx2_fma();
#else
    v = 0;
#endif
    vectorized = v;
  }
  return v;
}

void agora_exp_shifted(double *values, long count, double shift) {
#if defined(__x86_64__)
  if (agora_exp_is_vectorized()) {
    exp_shifted_avx2(values, count, shift);
    return;
  }
#endif
  agora_exp_shifted_portable(values, count, shift);
}
