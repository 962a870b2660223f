// SPDX-License-Identifier: BSD-3-Clause
/* Copyright (c) 2026 The uxdp authors */

/*
 * The map half of the negative corpus (negative_corpus.h): one program
 * per -D switch, each wrong on every path, which uxdp's analysis and the
 * kernel verifier must both refuse.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} hmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

const volatile __u32 cfg_limit = 1;

SEC("xdp")
int negative(struct xdp_md *ctx)
{
	__u32 key = ctx->rx_queue_index;
#if defined(NULL_DEREF)
	__u64 *v = bpf_map_lookup_elem(&hmap, &key);

	return *v ? XDP_PASS : XDP_DROP;
#elif defined(NULL_CHECK_OTHER)
	__u32 key2 = key + 1;
	__u64 *v = bpf_map_lookup_elem(&hmap, &key);
	__u64 *w = bpf_map_lookup_elem(&hmap, &key2);

	/* v is checked, w is not. */
	if (v == NULL)
		return XDP_DROP;
	return *w + *v ? XDP_PASS : XDP_DROP;
#elif defined(RINGBUF_NULL)
	__u64 *r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);

	*r = key;
	bpf_ringbuf_submit(r, 0);
	return XDP_PASS;
#elif defined(RODATA_STORE)
	*(volatile __u32 *)&cfg_limit = key;
	return XDP_PASS;
#elif defined(MAP_VALUE_OOB)
	__u64 *v = bpf_map_lookup_elem(&hmap, &key);

	if (v == NULL)
		return XDP_DROP;
	return v[1] ? XDP_PASS : XDP_DROP;
#else
#error "build with one of the switches of negative_corpus.h"
#endif
}

char _license[] SEC("license") = "GPL";
