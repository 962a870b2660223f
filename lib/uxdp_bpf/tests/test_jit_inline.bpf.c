/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Hash lookups the JIT inlines (test_jit_inline.c): one map per key size
 * and per hash variant, a per-CPU array, each looked up with a key cut from the packet at
 * its own (often unaligned) stack offset. A hit counts in the value, a
 * miss inserts the key; which lookups hit goes into the packet's first
 * two bytes and the verdict, so that the interpreter and the JIT can be
 * compared run by run, and their maps at the end.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define KEY_MAP(name, map_type, ksize, max) \
	struct { \
		__uint(type, map_type); \
		__uint(max_entries, max); \
		__uint(key_size, ksize); \
		__uint(value_size, 8); \
	} name SEC(".maps")

KEY_MAP(h1, BPF_MAP_TYPE_HASH, 1, 64);
KEY_MAP(h3, BPF_MAP_TYPE_HASH, 3, 64);
KEY_MAP(h4, BPF_MAP_TYPE_HASH, 4, 64);
KEY_MAP(h8, BPF_MAP_TYPE_HASH, 8, 64);
KEY_MAP(h12, BPF_MAP_TYPE_HASH, 12, 64);
KEY_MAP(h16, BPF_MAP_TYPE_HASH, 16, 64);
KEY_MAP(h40, BPF_MAP_TYPE_HASH, 40, 64);
/* Small enough to fill: inserts into the full map fail (-E2BIG), the
 * LRU maps evict. */
KEY_MAP(full4, BPF_MAP_TYPE_HASH, 4, 8);
KEY_MAP(lru4, BPF_MAP_TYPE_LRU_HASH, 4, 8);
KEY_MAP(pcpu6, BPF_MAP_TYPE_PERCPU_HASH, 6, 64);
KEY_MAP(lrupcpu16, BPF_MAP_TYPE_LRU_PERCPU_HASH, 16, 16);
/* A per-CPU array the JIT knows: inlined too (the thread's slot); keys
 * past max_entries miss and their inserts fail. */
KEY_MAP(pa8, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8);

/* Maps of maps: their lookups inline (id array or hash, then the id
 * registry), and lookups in the inner maps, whose address the JIT does
 * not know, take the run-time dispatch: ARRAY and a per-CPU hash with a
 * 6-byte key inline, PERCPU_ARRAY through the maps library. */
#define INNER_MAP(tag, map_type, ksize, max) \
	struct tag { \
		__uint(type, map_type); \
		__uint(max_entries, max); \
		__uint(key_size, ksize); \
		__uint(value_size, 8); \
	}

INNER_MAP(inner_array, BPF_MAP_TYPE_ARRAY, 4, 16) ia0 SEC(".maps"),
	ia1 SEC(".maps");
INNER_MAP(inner_pcpu_hash, BPF_MAP_TYPE_PERCPU_HASH, 6, 64) iph0 SEC(".maps");
INNER_MAP(inner_pcpu_array, BPF_MAP_TYPE_PERCPU_ARRAY, 4, 8) ipa0 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_array);
} outer_array SEC(".maps") = {
	.values = { &ia0, &ia1 },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, struct inner_pcpu_hash);
} outer_hash SEC(".maps") = {
	.values = { [1] = &iph0 },
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 1);
	__type(key, __u32);
	__array(values, struct inner_pcpu_array);
} outer_pcpu_array SEC(".maps") = {
	.values = { &ipa0 },
};

#define KEY_BYTES 48

static __always_inline int
touch(void *map, const void *key)
{
	__u64 one = 1;
	__u64 *v;

	v = bpf_map_lookup_elem(map, key);
	if (v) {
		__sync_fetch_and_add(v, 1);
		return 1;
	}
	bpf_map_update_elem(map, key, &one, BPF_ANY);
	return 0;
}

/* touch() on the inner map at outer[slot]: the 4-byte key index, or for
 * the per-CPU hash 6 bytes of the packet (index selects nothing there). */
static __always_inline int
touch_inner(void *outer, __u32 slot, __u32 index)
{
	void *inner = bpf_map_lookup_elem(outer, &slot);
	__u8 key6[6] = { (__u8)index, (__u8)slot, 1, 2, 3, (__u8)(index >> 3) };

	if (inner == NULL)
		return 0;
	if (outer == (void *)&outer_hash)
		return touch(inner, key6);
	return touch(inner, &index);
}

SEC("xdp")
int
jit_inline(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	__u8 key[KEY_BYTES];
	__u32 hits = 0, pa_index;

	if (data + KEY_BYTES > data_end)
		return XDP_ABORTED;
	__builtin_memcpy(key, data, KEY_BYTES);
	hits |= touch(&h1, key + 5);
	hits |= touch(&h3, key + 1) << 1;
	hits |= touch(&h4, key) << 2;
	hits |= touch(&h8, key + 3) << 3;
	hits |= touch(&h12, key + 2) << 4;
	hits |= touch(&h16, key) << 5;
	hits |= touch(&h40, key + 7) << 6;
	hits |= touch(&full4, key + 4) << 7;
	hits |= touch(&lru4, key + 6) << 8;
	hits |= touch(&pcpu6, key + 1) << 9;
	hits |= touch(&lrupcpu16, key + 8) << 10;
	hits |= touch_inner(&outer_array, key[9] & 1,
			    key[10] * 8u + key[11]) << 11;
	hits |= touch_inner(&outer_hash, key[12], 0) << 12;
	hits |= touch_inner(&outer_pcpu_array, 0, key[14] * 3u) << 13;
	pa_index = key[15] * 5u;
	hits |= touch(&pa8, &pa_index) << 14;
	data[0] = hits;
	data[1] = hits >> 8;
	return hits & 1 ? XDP_TX : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
