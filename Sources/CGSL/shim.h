#ifndef AGORA_CGSL_SHIM_H
#define AGORA_CGSL_SHIM_H

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_multifit.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

/* GSL's rng types are C globals, which Swift 6 strict concurrency rejects; these accessors expose them. */
static inline const gsl_rng_type *agora_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *agora_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_multimin_fminimizer_type *agora_nmsimplex2(void) { return gsl_multimin_fminimizer_nmsimplex2; }

/* A hint that `address` will be read soon (an agent's record in a later decision of the block). */
static inline void agora_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/* The state layouts of the generators whose whole state Agora fills from a 64-bit seed. */
typedef struct { unsigned long int s1, s2, s3; } agora_taus_state;
typedef struct { unsigned long mt[624]; int mti; } agora_mt_state;

#endif
