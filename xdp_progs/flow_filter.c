/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * A flow filter driven by the control plane, for the operations tests
 * (app/test/test_telemetry.py, test_uxdp_ctl.py) and as an example of a
 * program whose verdicts a user changes through its maps.
 *
 * `flows` maps an IPv4 flow (source, destination, protocol and, for TCP
 * and UDP, the destination port; 0 for other protocols) to a rule: the
 * verdict for its frames (XDP_DROP, XDP_PASS or XDP_TX; anything else is
 * treated as XDP_PASS) and a hit counter the program increments. Frames of
 * flows without a rule, non-IPv4 frames and frames too short for their
 * headers pass. Every verdict counts in the per-CPU array verdict_count,
 * and every frame a rule drops leaves its flow key in the ring buffer
 * `drops` (while there is room).
 *
 * Two programs share the maps: flow_filter (section "xdp") applies the
 * rules; flow_count (section "xdp/count") only counts hits and passes
 * everything, the program a hot swap test switches to.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 dport;
	__u8 proto;
	__u8 pad;
};

struct flow_rule {
	enum xdp_action action;
	__u32 pad;
	__u64 hits;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 131072);
	__type(key, struct flow_key);
	__type(value, struct flow_rule);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 5); /* XDP_ABORTED .. XDP_REDIRECT */
	__type(key, __u32);
	__type(value, __u64);
} verdict_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16384);
} drops SEC(".maps");

static __always_inline int
count(int verdict)
{
	__u32 key = verdict;
	__u64 *cnt = bpf_map_lookup_elem(&verdict_count, &key);

	if (cnt)
		*cnt += 1;
	return verdict;
}

/* The rule of the frame's flow, or NULL; its key goes into *key. */
static __always_inline struct flow_rule *
find_rule(struct xdp_md *ctx, struct flow_key *key)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *iph;

	if ((void *)(eth + 1) > data_end ||
	    eth->h_proto != bpf_htons(ETH_P_IP))
		return NULL;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || iph->ihl < 5)
		return NULL;
	key->saddr = iph->saddr;
	key->daddr = iph->daddr;
	key->proto = iph->protocol;
	if (iph->protocol == IPPROTO_TCP || iph->protocol == IPPROTO_UDP) {
		/* TCP and UDP both start with the two ports. */
		struct udphdr *l4 = (void *)iph + iph->ihl * 4;

		if ((void *)(l4 + 1) > data_end)
			return NULL;
		key->dport = l4->dest;
	}
	return bpf_map_lookup_elem(&flows, key);
}

SEC("xdp")
int
flow_filter(struct xdp_md *ctx)
{
	struct flow_key key = {};
	struct flow_rule *rule = find_rule(ctx, &key);

	if (!rule)
		return count(XDP_PASS);
	__sync_fetch_and_add(&rule->hits, 1);
	if (rule->action == XDP_DROP) {
		bpf_ringbuf_output(&drops, &key, sizeof(key), 0);
		return count(XDP_DROP);
	}
	if (rule->action == XDP_TX)
		return count(XDP_TX);
	return count(XDP_PASS);
}

SEC("xdp/count")
int
flow_count(struct xdp_md *ctx)
{
	struct flow_key key = {};
	struct flow_rule *rule = find_rule(ctx, &key);

	if (rule)
		__sync_fetch_and_add(&rule->hits, 1);
	return count(XDP_PASS);
}

char _license[] SEC("license") = "GPL";
