/* The compiled core's innermost loops, in C so that the compiler vectorises them, once
 * for AVX2 and once for any x86-64 (the machine's own is chosen when the module loads);
 * elsewhere, once. dedup/_core.pyx calls them. */
#ifndef DEDUP_KERNELS_H
#define DEDUP_KERNELS_H

#include <stdint.h>

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define DEDUP_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define DEDUP_CLONES
#endif

static inline uint32_t dedup_fmix32(uint32_t h) {
    h ^= h >> 16;
    h *= 0x85EBCA6BU;
    h ^= h >> 13;
    h *= 0xC2B2AE35U;
    h ^= h >> 16;
    return h;
}

/* least[p] = min over the hashes of a[p] * fmix32(low 32 bits of the hash) + b[p], in
 * 32-bit arithmetic: one MinHash signature. */
DEDUP_CLONES
static void dedup_signature(const uint64_t *__restrict__ hashes, int64_t count,
                            const uint32_t *__restrict__ a, const uint32_t *__restrict__ b,
                            int64_t perms, uint32_t *__restrict__ least) {
    for (int64_t p = 0; p < perms; p++)
        least[p] = 0xFFFFFFFFU;
    for (int64_t j = 0; j < count; j++) {
        const uint32_t v = dedup_fmix32((uint32_t)hashes[j]);
        for (int64_t p = 0; p < perms; p++) {
            const uint32_t x = a[p] * v + b[p];
            least[p] = x < least[p] ? x : least[p];
        }
    }
}

#endif
