#ifndef AGORA_MATH_H
#define AGORA_MATH_H

/* The decoder's exponential (issue 21): one algorithm, the same bits on every machine. Cody-Waite reduction by
   ln 2 and a degree-13 Taylor polynomial by Estrin's scheme, every multiply-add fused (C's fma), so the 4-wide
   AVX2 path and the portable path compute the same IEEE operations and give identical results. Within 2 ulp of
   libm's exp on [-708, 709]; 0 below -708 (where libm's values fall below 3e-308), +inf above 709, NaN for
   NaN. */

/* e^x, the portable path. */
double agora_exp(double x);

/* values[k] = e^(values[k] - shift) for k in [0, count): 4 at a time with AVX2 and FMA when the processor has
   them (checked once), else agora_exp; the same bits either way. */
void agora_exp_shifted(double *values, long count, double shift);

/* agora_exp_shifted on the portable path only (for the tests that compare both paths). */
void agora_exp_shifted_portable(double *values, long count, double shift);

/* 1 when agora_exp_shifted takes the AVX2 path on this processor. */
int agora_exp_is_vectorized(void);

#endif
