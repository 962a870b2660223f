/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * A dispatcher NF built on bpf_tail_call: the entry program classifies a
 * frame and jumps through a prog array whose slots are set statically in
 * the object (`.values`), as a libbpf user would:
 *
 *   slot 0  tcp_stage:      IPv4 TCP, bounced back (XDP_TX, MACs swapped)
 *   slot 1  udp_stage:      IPv4 UDP, counted, then a chain: tail call to
 *   slot 2  udp_dns_stage:  drops DNS (port 53), passes other UDP.
 *                           UDP goes there from a bpf-to-bpf subprogram
 *                           of the entry: a tail call replaces only the
 *                           subprogram's frame, so the chain's verdict
 *                           comes back to the entry, which counts it in
 *                           stats[6] before returning it.
 *   slot 3  (empty)         IPv4 ICMP: the tail call fails, the entry
 *                           program goes on and passes the frame
 *   slot 4  loop_stage:     IPv4 protocol 253 (experimental): a program
 *                           that tail-calls itself, adding 1 to the first
 *                           byte after the IP header on every run. The
 *                           chain stops at the kernel's limit of 33 tail
 *                           calls, so that byte grows by exactly 33; then
 *                           the last run drops the frame.
 * IPv4 protocol 254 asks for slot 9, beyond max_entries: the tail call
 * fails as for an empty slot. Everything else passes without a tail call.
 * stats[i] counts runs of stage i; stats[7] counts failed tail calls.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"

#define SLOT_TCP 0
#define SLOT_UDP 1
#define SLOT_UDP_DNS 2
#define SLOT_ICMP 3 /* left empty on purpose */
#define SLOT_LOOP 4
#define SLOT_OUT_OF_RANGE 9
#define STAT_SUBPROG_RETURNED 6
#define STAT_MISS 7
#define IPPROTO_LOOP_TEST 253
#define IPPROTO_RANGE_TEST 254

int tcp_stage(struct xdp_md *ctx);
int udp_stage(struct xdp_md *ctx);
int udp_dns_stage(struct xdp_md *ctx);
int loop_stage(struct xdp_md *ctx);

struct jump_table_def {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 8);
	__uint(key_size, sizeof(__u32));
	__array(values, int (struct xdp_md *));
};

struct jump_table_def jump_table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void
count(__u32 stage)
{
	__u64 *n = bpf_map_lookup_elem(&stats, &stage);

	if (n != NULL)
		__sync_fetch_and_add(n, 1);
}

/* The IPv4 header of an untagged frame, or NULL. */
static __always_inline struct iphdr *
ipv4_of(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip = (void *)(eth + 1);

	if ((void *)(ip + 1) > data_end ||
	    eth->h_proto != bpf_htons(ETH_P_IP) || ip->ihl != 5)
		return NULL;
	return ip;
}

/* A tail call from a subprogram: on success the target's verdict is this
 * function's return value; when the call fails, XDP_ABORTED. The barrier
 * hides that constant from clang, which would otherwise give it to the
 * caller directly (this function "always returns 0" to the optimiser). */
static __attribute__((noinline)) int
tail_call_from_subprog(struct xdp_md *ctx, __u32 slot)
{
	int ret = XDP_ABORTED;

	bpf_tail_call(ctx, &jump_table, slot);
	barrier_var(ret);
	return ret;
}

/* The entry program comes first in the object, where both runners look
 * for the program to run; clang emits functions in the order it meets
 * them, and the initialiser of jump_table below names the stages, so the
 * table is only declared here (a tentative definition) and initialised
 * after this function. */
SEC("xdp")
int
tail_dispatch(struct xdp_md *ctx)
{
	struct iphdr *ip = ipv4_of(ctx);
	__u32 slot;

	if (ip == NULL)
		return XDP_PASS;
	switch (ip->protocol) {
	case IPPROTO_TCP:
		slot = SLOT_TCP;
		break;
	case IPPROTO_UDP:
		slot = tail_call_from_subprog(ctx, SLOT_UDP);
		count(STAT_SUBPROG_RETURNED);
		return slot;
	case IPPROTO_ICMP:
		slot = SLOT_ICMP;
		break;
	case IPPROTO_LOOP_TEST:
		slot = SLOT_LOOP;
		break;
	case IPPROTO_RANGE_TEST:
		slot = SLOT_OUT_OF_RANGE;
		break;
	default:
		return XDP_PASS;
	}
	bpf_tail_call(ctx, &jump_table, slot);
	/* Only reached when the tail call did not happen. */
	count(STAT_MISS);
	return XDP_PASS;
}

struct jump_table_def jump_table SEC(".maps") = {
	.values = {
		[SLOT_TCP] = (void *)&tcp_stage,
		[SLOT_UDP] = (void *)&udp_stage,
		[SLOT_UDP_DNS] = (void *)&udp_dns_stage,
		[SLOT_LOOP] = (void *)&loop_stage,
	},
};

SEC("xdp")
int
tcp_stage(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;

	count(SLOT_TCP);
	if ((void *)(eth + 1) > data_end)
		return XDP_ABORTED;
	swap_macs(eth);
	return XDP_TX;
}

SEC("xdp")
int
udp_stage(struct xdp_md *ctx)
{
	count(SLOT_UDP);
	bpf_tail_call(ctx, &jump_table, SLOT_UDP_DNS);
	count(STAT_MISS);
	return XDP_ABORTED;
}

SEC("xdp")
int
udp_dns_stage(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = ipv4_of(ctx);
	struct udphdr *udp;

	count(SLOT_UDP_DNS);
	if (ip == NULL)
		return XDP_ABORTED;
	udp = (void *)(ip + 1);
	if ((void *)(udp + 1) > data_end)
		return XDP_PASS;
	return udp->dest == bpf_htons(53) ? XDP_DROP : XDP_PASS;
}

SEC("xdp")
int
loop_stage(struct xdp_md *ctx)
{
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr *ip = ipv4_of(ctx);
	__u8 *payload;

	count(SLOT_LOOP);
	if (ip == NULL)
		return XDP_ABORTED;
	payload = (void *)(ip + 1);
	if ((void *)(payload + 1) > data_end)
		return XDP_ABORTED;
	(*payload)++;
	bpf_tail_call(ctx, &jump_table, SLOT_LOOP);
	/* The limit stopped the chain. */
	return XDP_DROP;
}

char LICENSE[] SEC("license") = "GPL";
