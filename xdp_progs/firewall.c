/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * firewall: a VLAN-aware port filter with per-flow accounting.
 *
 * Frames are parsed through up to two VLAN tags (802.1Q 0x8100, 802.1ad
 * 0x88a8: QinQ), then IPv4 or IPv6 (IPv6 without extension headers), then
 * TCP or UDP ports. The decision, in order:
 *   1. malformed (truncated tag or header, IPv4 IHL < 5, more than two
 *      tags): drop, DROP_MALFORMED;
 *   2. fwl_config.vlan_filter set and the innermost VLAN id (0 when
 *      untagged) not marked in fwl_vlans: drop, DROP_VLAN;
 *   3. not IP: pass (ARP, LLDP and the like are not this filter's
 *      business);
 *   4. a TCP/UDP rule in fwl_rules for {protocol, destination port}
 *      decides; IPv4 non-first fragments carry no ports and get the
 *      default; otherwise fwl_config.default_action decides (DROP_RULE /
 *      DROP_DEFAULT).
 * Every IP frame (passed or dropped by steps 4) is accounted in fwl_flows,
 * a per-CPU hash keyed by {VLAN, protocol, addresses, ports}: packets,
 * bytes and drops; a full table accounts nothing more but filters on.
 *
 *   fwl_config[0]               = {default_action, vlan_filter}
 *   fwl_vlans[vlan id]          = 1 to allow that VLAN (with vlan_filter)
 *   fwl_rules[{proto, dport}]   = FWL_ALLOW (0) or FWL_DENY (1)
 *   fwl_drops[reason]           per-CPU drop counters
 *   fwl_flows[flow]             per-CPU {packets, bytes, drops}
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"

#define FWL_MAX_FLOWS 4096
#define FWL_MAX_RULES 256
#define FWL_VLAN_IDS 4096
#define IP_FRAG_OFFSET_MASK 0x1fff

enum fwl_action {
	FWL_ALLOW = 0,
	FWL_DENY = 1,
};

enum fwl_drop_reason {
	DROP_MALFORMED = 0,
	DROP_VLAN,
	DROP_RULE,
	DROP_DEFAULT,
	DROP_REASONS,
};

struct fwl_config {
	enum fwl_action default_action;
	__u32 vlan_filter;
};

struct fwl_rule_key {
	__u8 proto;
	__u8 pad;
	__be16 dport;
};

struct fwl_flow_key {
	__u16 vlan;
	__u8 proto;
	__u8 ip_version;
	__be16 sport;
	__be16 dport;
	__u8 saddr[16];
	__u8 daddr[16];
};

struct fwl_flow_stats {
	__u64 packets;
	__u64 bytes;
	__u64 drops;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct fwl_config);
} fwl_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, FWL_VLAN_IDS);
	__type(key, __u32);
	__type(value, __u32);
} fwl_vlans SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, FWL_MAX_RULES);
	__type(key, struct fwl_rule_key);
	__type(value, enum fwl_action);
} fwl_rules SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DROP_REASONS);
	__type(key, __u32);	/* enum fwl_drop_reason: array keys must be ints */
	__type(value, __u64);
} fwl_drops SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, FWL_MAX_FLOWS);
	__type(key, struct fwl_flow_key);
	__type(value, struct fwl_flow_stats);
} fwl_flows SEC(".maps");

static __always_inline int
drop(enum fwl_drop_reason reason)
{
	__u32 key = reason;
	__u64 *n = bpf_map_lookup_elem(&fwl_drops, &key);

	if (n)
		(*n)++;
	return XDP_DROP;
}

/* Adds one frame to its flow's per-CPU counters, creating the entry. */
static __always_inline void
account(struct fwl_flow_key *key, __u64 len, int dropped)
{
	struct fwl_flow_stats *st = bpf_map_lookup_elem(&fwl_flows, key);

	if (!st) {
		struct fwl_flow_stats init = {};

		/* a full table (or a racing insert) is not an error */
		bpf_map_update_elem(&fwl_flows, key, &init, BPF_NOEXIST);
		st = bpf_map_lookup_elem(&fwl_flows, key);
		if (!st)
			return;
	}
	st->packets++;
	st->bytes += len;
	if (dropped)
		st->drops++;
}

/* Reads the TCP/UDP ports at l4 into the key; -1 if they are cut off. */
static __always_inline int
read_ports(struct fwl_flow_key *key, void *l4, void *data_end)
{
	struct udphdr *ports = l4;	/* TCP starts with the same two ports */

	if (key->proto != IPPROTO_TCP && key->proto != IPPROTO_UDP)
		return 0;
	if ((void *)(ports + 1) > data_end)
		return -1;
	key->sport = ports->source;
	key->dport = ports->dest;
	return 0;
}

SEC("xdp")
int
firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct fwl_flow_key key = {};
	struct fwl_config *cfg;
	int has_ports = 0;
	void *l3;
	__u16 proto;
	__u32 vlan = 0;
	__u32 zero = 0;
	int verdict, i;

	if ((void *)(eth + 1) > data_end)
		return drop(DROP_MALFORMED);
	proto = eth->h_proto;
	l3 = eth + 1;
	for (i = 0; i < 3; i++) {
		struct vlan_tag *tag = l3;

		if (proto != bpf_htons(ETH_P_8021Q) &&
		    proto != bpf_htons(ETH_P_8021AD))
			break;
		if (i == 2 || (void *)(tag + 1) > data_end)
			return drop(DROP_MALFORMED);
		vlan = bpf_ntohs(tag->tci) & 0x0fff;
		proto = tag->encap_proto;
		l3 = tag + 1;
	}

	cfg = bpf_map_lookup_elem(&fwl_config, &zero);
	if (cfg && cfg->vlan_filter) {
		__u32 *allowed = bpf_map_lookup_elem(&fwl_vlans, &vlan);

		if (!allowed || !*allowed)
			return drop(DROP_VLAN);
	}

	key.vlan = vlan;
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		__u32 ihl;

		if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->ihl < 5)
			return drop(DROP_MALFORMED);
		ihl = ip->ihl * 4;
		if (l3 + ihl > data_end)
			return drop(DROP_MALFORMED);
		key.ip_version = 4;
		key.proto = ip->protocol;
		__builtin_memcpy(key.saddr, &ip->saddr, 4);
		__builtin_memcpy(key.daddr, &ip->daddr, 4);
		if (!(ip->frag_off & bpf_htons(IP_FRAG_OFFSET_MASK))) {
			if (read_ports(&key, l3 + ihl, data_end) < 0)
				return drop(DROP_MALFORMED);
			has_ports = 1;
		}
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > data_end || ip6->version != 6)
			return drop(DROP_MALFORMED);
		key.ip_version = 6;
		key.proto = ip6->nexthdr;
		__builtin_memcpy(key.saddr, &ip6->saddr, 16);
		__builtin_memcpy(key.daddr, &ip6->daddr, 16);
		if (read_ports(&key, ip6 + 1, data_end) < 0)
			return drop(DROP_MALFORMED);
		has_ports = 1;
	} else {
		return XDP_PASS;
	}

	verdict = XDP_PASS;
	if (has_ports && (key.proto == IPPROTO_TCP || key.proto == IPPROTO_UDP)) {
		struct fwl_rule_key rk = { .proto = key.proto, .dport = key.dport };
		enum fwl_action *rule = bpf_map_lookup_elem(&fwl_rules, &rk);

		if (rule) {
			if (*rule != FWL_ALLOW)
				verdict = drop(DROP_RULE);
			account(&key, data_end - data, verdict == XDP_DROP);
			return verdict;
		}
	}
	if (cfg && cfg->default_action != FWL_ALLOW)
		verdict = drop(DROP_DEFAULT);
	account(&key, data_end - data, verdict == XDP_DROP);
	return verdict;
}

char _license[] SEC("license") = "GPL";
