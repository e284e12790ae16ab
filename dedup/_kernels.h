/* The compiled core's innermost loops, in C so that the compiler vectorises them, once
 * for AVX2 and once for any x86-64 (the machine's own is chosen when the module loads);
 * elsewhere, once. dedup/_core.pyx calls them. */
#ifndef DEDUP_KERNELS_H
#define DEDUP_KERNELS_H

#include <stdint.h>
#include <string.h>

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

/* A text as a JSON string (quotes and all), as Python's json writes it without
 * ensure_ascii: '"', '\\' and the control characters escaped, every other character as
 * itself. For each width of character Python stores text in: where the next character to
 * escape is (16 bytes at a time with SSE2), so that the text between is copied whole. */
static inline int dedup_json_escaped(uint32_t c) { return c < 0x20 || c == 0x22 || c == 0x5C; }

static inline uint32_t dedup_json_short(uint32_t c) {
    switch (c) {
    case 0x22: return 0x22;
    case 0x5C: return 0x5C;
    case 0x0A: return 'n';
    case 0x0D: return 'r';
    case 0x09: return 't';
    case 0x08: return 'b';
    case 0x0C: return 'f';
    default: return 0;
    }
}

/* Where the next character to escape is, from i on (n: none), one at a time. */
#define DEDUP_JSON_SCAN(T, K)                                                               \
    static inline int64_t dedup_json_scan_##K(const T *s, int64_t i, int64_t n) {           \
        for (; i < n; i++)                                                                  \
            if (dedup_json_escaped(s[i]))                                                   \
                return i;                                                                   \
        return n;                                                                           \
    }

DEDUP_JSON_SCAN(uint8_t, 1)
DEDUP_JSON_SCAN(uint16_t, 2)
DEDUP_JSON_SCAN(uint32_t, 4)
#define dedup_json_next_4 dedup_json_scan_4
#if defined(__SSE2__)
/* The same 16 bytes at a time, the rest one at a time. */
#include <emmintrin.h>
static inline int64_t dedup_json_next_1(const uint8_t *s, int64_t i, int64_t n) {
    const __m128i quote = _mm_set1_epi8(0x22), slash = _mm_set1_epi8(0x5C);
    const __m128i low = _mm_set1_epi8(0x1F);
    for (; i + 16 <= n; i += 16) {
        const __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        const __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, slash)),
            _mm_cmpeq_epi8(_mm_min_epu8(x, low), x)); /* (x <= 0x1F, unsigned) */
        const int bits = _mm_movemask_epi8(hit);
        if (bits)
            return i + __builtin_ctz((unsigned)bits);
    }
    return dedup_json_scan_1(s, i, n);
}
static inline int64_t dedup_json_next_2(const uint16_t *s, int64_t i, int64_t n) {
    const __m128i quote = _mm_set1_epi16(0x22), slash = _mm_set1_epi16(0x5C);
    const __m128i bias = _mm_set1_epi16((short)0x8000);
    const __m128i low = _mm_xor_si128(_mm_set1_epi16(0x20), bias);
    for (; i + 8 <= n; i += 8) {
        const __m128i x = _mm_loadu_si128((const __m128i *)(s + i));
        const __m128i hit = _mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi16(x, quote), _mm_cmpeq_epi16(x, slash)),
            _mm_cmplt_epi16(_mm_xor_si128(x, bias), low)); /* (x < 0x20, unsigned) */
        const int bits = _mm_movemask_epi8(hit);
        if (bits)
            return i + (__builtin_ctz((unsigned)bits) >> 1);
    }
    return dedup_json_scan_2(s, i, n);
}
#else
#define dedup_json_next_1 dedup_json_scan_1
#define dedup_json_next_2 dedup_json_scan_2
#endif

#define DEDUP_JSON(T, K)                                                                    \
    static int64_t dedup_json_extra_##K(const T *s, int64_t n) {                            \
        int64_t extra = 0, i = 0;                                                           \
        while ((i = dedup_json_next_##K(s, i, n)) < n)                                      \
            extra += dedup_json_short(s[i++]) ? 1 : 5;                                      \
        return extra;                                                                       \
    }                                                                                       \
    static void dedup_json_copy_##K(const T *__restrict__ s, int64_t n, T *__restrict__ out) { \
        static const char hex[] = "0123456789abcdef";                                       \
        int64_t at = 0, i = 0;                                                              \
        out[at++] = 0x22;                                                                   \
        for (;;) {                                                                          \
            const int64_t j = dedup_json_next_##K(s, i, n);                                 \
            memcpy(out + at, s + i, (size_t)(j - i) * sizeof(T));                           \
            at += j - i;                                                                    \
            if (j == n)                                                                     \
                break;                                                                      \
            const uint32_t c = s[j], letter = dedup_json_short(c);                          \
            i = j + 1;                                                                      \
            out[at++] = 0x5C;                                                               \
            if (letter) {                                                                   \
                out[at++] = (T)letter;                                                      \
            } else {                                                                        \
                out[at++] = 'u';                                                            \
                out[at++] = '0';                                                            \
                out[at++] = '0';                                                            \
                out[at++] = (T)hex[c >> 4];                                                 \
                out[at++] = (T)hex[c & 15];                                                 \
            }                                                                               \
        }                                                                                   \
        out[at] = 0x22;                                                                     \
    }

DEDUP_JSON(uint8_t, 1)
DEDUP_JSON(uint16_t, 2)
DEDUP_JSON(uint32_t, 4)

#endif
