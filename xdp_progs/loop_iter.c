/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_loop and bpf_for_each_map_elem with trip counts taken from the
 * frame and state kept in maps, for the kernel-differential runs of
 * app/test/test_oracle_progs.py.
 *
 * For every frame of at least 14 bytes, with k its last byte:
 *  - bpf_loop sums frame bytes (the callback bounds-checks the packet
 *    itself) and bumps slot (i + k) % 16 of an array, for k % 37 turns,
 *    stopping early once the sum passes a threshold from the frame;
 *  - nested bpf_loop: (k >> 4) & 3 outer turns of (k & 7) inner ones;
 *  - bpf_loop with nr_loops past the kernel's limit for k > 0xf0 (with
 *    flags a known 0, as the kernel inlines it, and with flags 0 the
 *    verifier cannot prove, as the helper), and flags 1 when k == 0x2a;
 *  - the frame's length counts in a hash, its k & 7 in an LRU hash, a
 *    per-CPU hash, an LRU per-CPU hash and a per-CPU array;
 *  - bpf_for_each_map_elem over each of them and over an array, summing
 *    keys and values; the array walk stops at index k & 15 (arrays go in
 *    index order in the kernel, so early stops compare); the hash walk
 *    adds one to each value and, for odd k, deletes the elements that
 *    reached 4 (the one under the callback, which the kernel allows);
 *    hash maps are only summed, since their order is the
 *    implementation's; an empty hash map gives 0, flags 1 -EINVAL.
 * Every result is added into the results array; the verdict is XDP_DROP
 * when the sum of the results is odd, else XDP_PASS. Shorter frames pass.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define N_SLOTS 16

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, N_SLOTS);
	__type(key, __u32);
	__type(value, __u64);
} slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} pcpu_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} by_len SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} lru_k SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} pcpu_k SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 64);
	__type(key, __u32);
	__type(value, __u64);
} lru_pcpu_k SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} never_filled SEC(".maps");

enum {
	RES_LOOP_RET, RES_LOOP_SUM, RES_NESTED_RET, RES_NESTED_CALLS,
	RES_E2BIG_INLINED, RES_E2BIG_HELPER, RES_BAD_FLAGS,
	RES_ARRAY_VISITED, RES_ARRAY_SUM, RES_HASH_VISITED, RES_HASH_SUM,
	RES_LRU_SUM, RES_PCPU_SUM, RES_LRU_PCPU_SUM, RES_PCPU_ARRAY_SUM,
	RES_EMPTY, RES_FOR_EACH_FLAGS, RES_DELETED,
	N_RESULTS,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, N_RESULTS);
	__type(key, __u32);
	__type(value, __u64);
} results SEC(".maps");

struct loop_ctx {
	void *data;
	void *data_end;
	__u64 sum;
	__u64 limit;
	__u32 k;
	__u32 inner;
	__u64 calls;
};

struct walk_ctx {
	__u64 visited;
	__u64 sum;
	__u32 stop_at;
	__u32 delete;
	__u64 deleted;
};

static __always_inline void
add_result(__u32 idx, __u64 v)
{
	__u64 *p = bpf_map_lookup_elem(&results, &idx);

	if (p)
		*p += v;
}

static __always_inline void
count_key(void *map, __u32 key)
{
	__u64 one = 1, *v = bpf_map_lookup_elem(map, &key);

	if (v)
		*v += 1;
	else
		bpf_map_update_elem(map, &key, &one, BPF_NOEXIST);
}

static long
sum_bytes(__u64 i, struct loop_ctx *c)
{
	__u8 *p = (__u8 *)c->data + (i & 0x3ff);
	__u32 slot = (__u32)(i + c->k) % N_SLOTS;
	__u64 *v;

	if ((void *)(p + 1) > c->data_end)
		return 1;
	c->sum += *p;
	v = bpf_map_lookup_elem(&slots, &slot);
	if (v)
		*v += i + 1;
	return c->sum > c->limit;
}

static long
count_inner(__u64 i, struct loop_ctx *c)
{
	c->calls += i + 1;
	return 0;
}

static long
run_inner(__u64 i, struct loop_ctx *c)
{
	long ret = bpf_loop(c->inner, count_inner, c, 0);

	c->sum += ret;
	return 0;
}

static long
walk_array(void *map, __u32 *key, __u64 *val, struct walk_ctx *w)
{
	w->visited++;
	w->sum += *key * 1000 + *val;
	return *key == w->stop_at;
}

static long
walk_hash(void *map, __u32 *key, __u64 *val, struct walk_ctx *w)
{
	w->visited++;
	w->sum += (__u64)*key * 1000 + *val;
	*val += 1;
	if (w->delete && *val >= 4) {
		bpf_map_delete_elem(map, key);
		w->deleted++;
	}
	return 0;
}

static long
walk_sum(void *map, __u32 *key, __u64 *val, struct walk_ctx *w)
{
	w->visited++;
	w->sum += (__u64)*key * 1000 + *val;
	return 0;
}

static __always_inline __u64
walk(void *map, void *cb, __u32 stop_at, __u32 delete, __u32 res)
{
	struct walk_ctx w = { .stop_at = stop_at, .delete = delete };
	long n = bpf_for_each_map_elem(map, cb, &w, 0);

	add_result(res, w.sum + ((__u64)n << 32) + (w.visited << 48));
	return w.deleted;
}

SEC("xdp")
int loop_iter(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct loop_ctx c = { .data = data, .data_end = data_end };
	struct walk_ctx w = { 0 };
	__u32 len = data_end - data;
	volatile __u32 flags_from_frame;
	__u64 total = 0;
	__u8 *last;
	__u32 k, i;
	long ret;

	if (len < 14)
		return XDP_PASS;
	last = (__u8 *)data + ((len - 1) & 0x7ff);
	if ((void *)(last + 1) > data_end)
		return XDP_PASS;
	k = *last;
	c.k = k;
	c.limit = 200 + k * 8;

	/* flags 0 through a volatile stack slot: still known to the
	 * kernel's verifier, which inlines the call */
	flags_from_frame = 0;
	ret = bpf_loop(k % 37, sum_bytes, &c, flags_from_frame);
	add_result(RES_LOOP_RET, ret);
	add_result(RES_LOOP_SUM, c.sum);

	c.inner = k & 7;
	c.sum = 0;
	ret = bpf_loop((k >> 4) & 3, run_inner, &c, 0);
	add_result(RES_NESTED_RET, ret + c.sum);
	add_result(RES_NESTED_CALLS, c.calls);

	if (k > 0xf0) {
		/* -E2BIG: zero-extended where the kernel inlines the call
		 * (flags a known 0), sign-extended from the helper. */
		ret = bpf_loop((1u << 23) + k, count_inner, &c, 0);
		add_result(RES_E2BIG_INLINED, ret);
		/* flags 0 that the verifier cannot prove: the helper */
		ret = bpf_loop((1u << 23) + k, count_inner, &c, len > 4096);
		add_result(RES_E2BIG_HELPER, ret);
	}
	if (k == 0x2a) {
		flags_from_frame = 1;
		ret = bpf_loop(3, count_inner, &c, flags_from_frame);
		add_result(RES_BAD_FLAGS, ret);
		ret = bpf_for_each_map_elem(&slots, walk_sum, &w,
					    flags_from_frame);
		add_result(RES_FOR_EACH_FLAGS, ret);
	}

	count_key(&by_len, len);
	count_key(&lru_k, k & 7);
	count_key(&pcpu_k, k & 7);
	count_key(&lru_pcpu_k, k & 7);
	i = k & 7;
	count_key(&pcpu_slots, i);

	walk(&slots, walk_array, k & 15, 0, RES_ARRAY_VISITED);
	add_result(RES_DELETED, walk(&by_len, walk_hash, 0, k & 1,
				     RES_HASH_VISITED));
	walk(&lru_k, walk_hash, 0, 0, RES_LRU_SUM);
	walk(&pcpu_k, walk_sum, 0, 0, RES_PCPU_SUM);
	walk(&lru_pcpu_k, walk_hash, 0, 0, RES_LRU_PCPU_SUM);
	walk(&pcpu_slots, walk_sum, 0, 0, RES_PCPU_ARRAY_SUM);
	walk(&never_filled, walk_sum, 0, 0, RES_EMPTY);

	for (i = 0; i < N_RESULTS; i++) {
		__u32 idx = i;
		__u64 *p = bpf_map_lookup_elem(&results, &idx);

		if (p)
			total += *p;
	}
	return total & 1 ? XDP_DROP : XDP_PASS;
}

char _license[] SEC("license") = "GPL";
