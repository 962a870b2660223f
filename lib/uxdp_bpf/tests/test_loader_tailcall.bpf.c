/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Prog arrays and maps of maps with static initial values, for
 * test_tail_call.c. Built once as is (a valid object) and once per BAD_*
 * macro, each an object the loader must refuse with a clear message:
 *   BAD_NOT_XDP   a slot names a function that is not an XDP program
 *   BAD_INDEX     a slot index beyond max_entries
 *   BAD_INNER     an inner map that does not match the inner definition
 *   BAD_UNKNOWN   a slot names a symbol the object does not define
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

int tc_entry(struct xdp_md *ctx);
int tc_loop(struct xdp_md *ctx);
int tc_pass(struct xdp_md *ctx);

struct prog_table {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct xdp_md *));
};

struct prog_table progs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} loops SEC(".maps");

/* Slot 0: tc_loop, which tail-calls itself; slot 1: tc_pass; slots 2
 * and 3 are empty. The packet's first byte picks the entry's slot. */
SEC("xdp")
int
tc_entry(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *first = data;

	if ((void *)(first + 1) > data_end)
		return XDP_ABORTED;
	bpf_tail_call(ctx, &progs, *first);
	return XDP_TX; /* no tail call happened */
}

SEC("xdp")
int
tc_loop(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 *counter = data + 1;
	__u32 zero = 0;
	__u64 *n = bpf_map_lookup_elem(&loops, &zero);

	if (n != NULL)
		__sync_fetch_and_add(n, 1);
	if ((void *)(counter + 1) > data_end)
		return XDP_ABORTED;
	(*counter)++;
	bpf_tail_call(ctx, &progs, 0);
	return XDP_DROP; /* the limit stopped the chain */
}

SEC("xdp")
int
tc_pass(struct xdp_md *ctx)
{
	return XDP_PASS;
}

#ifdef BAD_NOT_XDP
SEC("tc")
int
tc_classifier(struct __sk_buff *skb)
{
	return 0;
}
#endif

#ifdef BAD_UNKNOWN
extern int tc_nowhere(struct xdp_md *ctx) __attribute__((weak));
#endif

struct prog_table progs SEC(".maps") = {
	.values = {
		[0] = (void *)&tc_loop,
		[1] = (void *)&tc_pass,
#ifdef BAD_NOT_XDP
		[2] = (void *)&tc_classifier,
#endif
#ifdef BAD_INDEX
		[4] = (void *)&tc_pass,
#endif
#ifdef BAD_UNKNOWN
		[3] = (void *)&tc_nowhere,
#endif
	},
};

struct inner_def {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u32);
} inner_ok SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u32);
} inner_bigger SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 2);
	__type(key, __u32);
	__array(values, struct inner_def);
} outer SEC(".maps") = {
	.values = {
		[1] = &inner_ok,
#ifdef BAD_INNER
		[0] = (void *)&inner_bigger,
#endif
	},
};

char LICENSE[] SEC("license") = "GPL";
