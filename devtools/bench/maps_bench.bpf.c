/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Programs of the map benchmark (devtools/bench-maps.py): each run does
 * BENCH_OPS lookups or updates on one map at pseudo-random keys, all of
 * them present (the driver filled the maps); "base" computes the same
 * keys without touching a map, so that subtracting it leaves the cost of
 * the map operations alone. Not an example program: not in xdp_progs/.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "maps_bench.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, BENCH_HASH_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} bench_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, BENCH_LRU_ENTRIES);
	__type(key, __u32);
	__type(value, __u64);
} bench_lru SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 2 * BENCH_LPM_PREFIXES); /* room: replacing never fails */
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct bench_lpm_key);
	__type(value, __u64);
} bench_lpm SEC(".maps");

/* The verdict depends on every key, so nothing is optimised away. */
static __always_inline int
verdict(__u64 sum)
{
	return sum == 1 ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int
base(struct xdp_md *ctx)
{
	__u32 x = bpf_get_prandom_u32() | 1;
	__u64 sum = 0;
	int i;

#pragma unroll
	for (i = 0; i < BENCH_OPS; i++) {
		x = bench_next(x);
		sum += x & (BENCH_HASH_ENTRIES - 1);
	}
	return verdict(sum);
}

/* Lookups of keys in [0, n) of a hash-like map. */
#define LOOKUP_PROG(name, map, n) \
SEC("xdp") \
int \
name(struct xdp_md *ctx) \
{ \
	__u32 x = bpf_get_prandom_u32() | 1; \
	__u64 sum = 0, *v; \
	__u32 k; \
	int i; \
	\
	_Pragma("unroll") \
	for (i = 0; i < BENCH_OPS; i++) { \
		x = bench_next(x); \
		k = x & ((n) - 1); \
		v = bpf_map_lookup_elem(&map, &k); \
		if (v) \
			sum += *v; \
	} \
	return verdict(sum); \
}

/* Replacing the value of keys in [0, n): every key exists. */
#define UPDATE_PROG(name, map, n) \
SEC("xdp") \
int \
name(struct xdp_md *ctx) \
{ \
	__u32 x = bpf_get_prandom_u32() | 1; \
	__u64 sum = 0, val; \
	__u32 k; \
	int i; \
	\
	_Pragma("unroll") \
	for (i = 0; i < BENCH_OPS; i++) { \
		x = bench_next(x); \
		k = x & ((n) - 1); \
		val = x; \
		sum += bpf_map_update_elem(&map, &k, &val, BPF_ANY); \
	} \
	return verdict(sum); \
}

LOOKUP_PROG(hash_lookup, bench_hash, BENCH_HASH_ENTRIES)
UPDATE_PROG(hash_update, bench_hash, BENCH_HASH_ENTRIES)
LOOKUP_PROG(lru_lookup, bench_lru, BENCH_LRU_FILL)
UPDATE_PROG(lru_update, bench_lru, BENCH_LRU_FILL)

/* Longest match of random addresses (nearly all are covered: the table
 * has some 400 /8 prefixes). */
SEC("xdp")
int
lpm_lookup(struct xdp_md *ctx)
{
	__u32 x = bpf_get_prandom_u32() | 1;
	struct bench_lpm_key k = { .prefixlen = 32 };
	__u64 sum = 0, *v;
	int i;

#pragma unroll
	for (i = 0; i < BENCH_OPS; i++) {
		x = bench_next(x);
		k.addr = x;
		v = bpf_map_lookup_elem(&bench_lpm, &k);
		if (v)
			sum += *v;
	}
	return verdict(sum);
}

/* Replacing the value of stored prefixes. */
SEC("xdp")
int
lpm_update(struct xdp_md *ctx)
{
	__u32 x = bpf_get_prandom_u32() | 1;
	struct bench_lpm_key k;
	__u64 sum = 0, val;
	int i;

#pragma unroll
	for (i = 0; i < BENCH_OPS; i++) {
		x = bench_next(x);
		k = bench_prefix(x % BENCH_LPM_PREFIXES);
		val = x;
		sum += bpf_map_update_elem(&bench_lpm, &k, &val, BPF_ANY);
	}
	return verdict(sum);
}

char _license[] SEC("license") = "GPL";
