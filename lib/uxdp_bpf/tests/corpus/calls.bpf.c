/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader corpus: bpf-to-bpf calls. .text subprograms, static and global,
 * nested three deep, one shared by two programs, each touching maps or
 * global data so that the relocations inside appended subprograms are
 * checked too. prog_tree calls a then b, and a calls c: a breadth-first
 * linker (uxdp) appends a, b, c, a depth-first one (libbpf) a, c, b; the
 * count is the same, the order of the copies is not.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
} hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, 4);
	__uint(value_size, 8);
	__uint(max_entries, 32);
} seen SEC(".maps");

__u64 total_calls = 0;
static __u32 depth_bias = 3;
const volatile __u32 salt = 0x5a;

#define NOINLINE __attribute__((noinline))

static NOINLINE int count_hit(__u32 idx)
{
	__u64 *v;

	idx &= 7;
	v = bpf_map_lookup_elem(&hits, &idx);
	if (v)
		__sync_fetch_and_add(v, 1);
	return idx;
}

/* Deepest level: global data only. */
static NOINLINE int sub_c(int x)
{
	total_calls++;
	return (x ^ salt) & 0xff;
}

/* Global .text function: called through its own symbol. */
NOINLINE int sub_a(int x)
{
	return sub_c(x + depth_bias) + count_hit(x);
}

static NOINLINE int sub_b(int x)
{
	__u32 key = x & 31;
	__u64 one = 1;

	bpf_map_update_elem(&seen, &key, &one, BPF_ANY);
	return x * 5;
}

static __attribute__((always_inline)) int first_byte(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *end = (void *)(long)ctx->data_end;

	if (data + 1 > end)
		return -1;
	return data[0];
}

SEC("xdp")
int prog_tree(struct xdp_md *ctx)
{
	int b = first_byte(ctx);

	if (b < 0)
		return XDP_ABORTED;
	return (sub_a(b) + sub_b(b)) & 1 ? XDP_PASS : XDP_DROP;
}

/* Shares sub_a (and so sub_c, count_hit) with prog_tree. */
SEC("xdp/shared")
int prog_shared(struct xdp_md *ctx)
{
	int b = first_byte(ctx);

	if (b < 0)
		return XDP_ABORTED;
	return sub_a(b + 1) > 100 ? XDP_DROP : XDP_PASS;
}

/* Only the deepest subprogram: a single appended function. */
SEC("xdp.frags")
int prog_leaf(struct xdp_md *ctx)
{
	int b = first_byte(ctx);

	return b >= 0 && sub_c(b) == 0 ? XDP_DROP : XDP_PASS;
}

/* No calls at all. */
SEC("xdp/plain")
int prog_plain(struct xdp_md *ctx)
{
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
