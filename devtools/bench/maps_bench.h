/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_MAPS_BENCH_H
#define UXDP_MAPS_BENCH_H

/*
 * Shared by the benchmark's BPF programs (maps_bench.bpf.c) and its
 * driver (maps_bench.c): map sizes and the keys both sides store, so that
 * the driver fills the uxdp and the kernel maps exactly as the programs
 * expect to find them.
 */

#define BENCH_OPS 16                /* map operations per program run */
#define BENCH_HASH_ENTRIES (1u << 20)
#define BENCH_LRU_ENTRIES (1u << 20)
/* Half of the LRU's capacity is filled: the kernel's LRU may evict before
 * it is full (per-CPU free lists), which would turn lookups into misses. */
#define BENCH_LRU_FILL (1u << 19)
#define BENCH_LPM_PREFIXES 10000u

struct bench_lpm_key {
	__u32 prefixlen;
	__u32 addr;        /* network order */
};

/* The next pseudo-random number (xorshift32; never 0 from non-zero). */
static inline __u32
bench_next(__u32 x)
{
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	return x;
}

/* Prefix i of the LPM table: /8 to /32, spread over the address space,
 * host bits zero. */
static inline struct bench_lpm_key
bench_prefix(__u32 i)
{
	struct bench_lpm_key k;
	__u32 a = (i + 1) * 0x9e3779b1u;
	__u32 len = 8 + i % 25;

	a ^= a >> 15;
	a *= 0x85ebca6bu;
	a ^= a >> 13;
	k.prefixlen = len;
	a = len == 32 ? a : a & ~(0xffffffffu >> len);
	/* The trie matches bytes in memory order: most significant first. */
	k.addr = __builtin_bswap32(a);
	return k;
}

#endif /* UXDP_MAPS_BENCH_H */
