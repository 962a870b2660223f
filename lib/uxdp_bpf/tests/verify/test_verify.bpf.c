/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * A small XDP program, safe as written, and the mistakes the kernel
 * verifier refuses, one per -D switch:
 * - UNCHECKED_PKT: the Ethernet header is read without comparing against
 *   data_end first;
 * - UNCHECKED_LOOKUP: a map lookup's result is written through without a
 *   NULL check;
 * - BAD_SECOND: a second XDP program of the object (not the one a port
 *   would pick) reads the packet unchecked, so that a test can show every
 *   program of the object is judged;
 * - WILD_READ: the first byte of the frame picks how far into it to read,
 *   with no bounds check: the kernel refuses it; the own analysis cannot
 *   prove it either way, so under verify=sandbox the read is checked at
 *   run time and a frame too short for it ends as XDP_ABORTED.
 * read_far (a `volatile const`) guards a read past the checked header: 0
 * makes it dead code the verifier prunes, because .rodata is frozen and
 * its value known; 1 (set before load) makes it an error. So the kernel
 * must be given the same settings as uxdp.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} counts SEC(".maps");

volatile const __u32 read_far = 0;

SEC("xdp")
int verify_prog(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u32 key;
	__u64 *v;

#ifndef UNCHECKED_PKT
	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
#else
	(void)data_end;
#endif
#ifdef WILD_READ
	if (((volatile __u8 *)data)[14 + (((__u8 *)data)[0] & 0x7f) * 8] == 0xff)
		return XDP_DROP;
#endif
	if (read_far && ((volatile __u8 *)data)[100] == 1)
		return XDP_DROP;
	key = eth->h_proto & 3;
	v = bpf_map_lookup_elem(&counts, &key);
#ifndef UNCHECKED_LOOKUP
	if (v == NULL)
		return XDP_ABORTED;
#endif
	*v += 1;
	return XDP_PASS;
}

#ifdef BAD_SECOND
SEC("xdp/second")
int second(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;

	return ((__u8 *)data)[12] == 8 ? XDP_PASS : XDP_DROP;
}
#endif

char _license[] SEC("license") = "GPL";
