/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * acl: allow or deny IPv4 and IPv6 traffic by address prefix, the rules
 * in two longest-prefix-match tries (acl_v4, acl_v6). The most specific
 * rule that covers the frame's source address (or its destination, with
 * acl_config.match_dst) decides; without one, acl_config.default_action
 * does. Frames may carry up to two VLAN tags (802.1Q, 802.1ad).
 *
 *   acl_v4[{prefixlen, addr}] = {action, rule_id}   LPM_TRIE
 *   acl_v6[{prefixlen, addr}] = {action, rule_id}   LPM_TRIE
 *   acl_config[0]             = {default_action, match_dst}
 *   acl_hits[rule_id]         += 1 per frame the rule decided (ARRAY)
 *   acl_stats[counter]        per-CPU totals, see enum acl_counter
 *
 * action: ACL_ALLOW (0) passes the frame, ACL_DENY (1) drops it; other
 * values deny too (a rule nobody understands must not open a hole).
 * Frames that are not IP pass untouched; IP frames too short for their
 * header are dropped. Frames shorter than an Ethernet header pass.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"

#define ACL_MAX_RULES 1024
#define ACL_MAX_RULE_IDS 256

enum acl_action {
	ACL_ALLOW = 0,
	ACL_DENY = 1,
};

enum acl_counter {
	ACL_ALLOWED_BY_RULE = 0,
	ACL_DENIED_BY_RULE,
	ACL_ALLOWED_BY_DEFAULT,
	ACL_DENIED_BY_DEFAULT,
	ACL_NOT_IP,
	ACL_MALFORMED,
	ACL_COUNTERS,
};

struct acl_v4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct acl_v6_key {
	__u32 prefixlen;
	__u8 addr[16];
};

struct acl_rule {
	enum acl_action action;	/* 4 bytes, named in BTF */
	__u32 rule_id;
};

struct acl_config {
	enum acl_action default_action;
	__u32 match_dst;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, ACL_MAX_RULES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct acl_v4_key);
	__type(value, struct acl_rule);
} acl_v4 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, ACL_MAX_RULES);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct acl_v6_key);
	__type(value, struct acl_rule);
} acl_v6 SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct acl_config);
} acl_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, ACL_MAX_RULE_IDS);
	__type(key, __u32);
	__type(value, __u64);
} acl_hits SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, ACL_COUNTERS);
	__type(key, __u32);	/* enum acl_counter: array keys must be ints */
	__type(value, __u64);
} acl_stats SEC(".maps");

static __always_inline void
count(enum acl_counter c)
{
	__u32 key = c;
	__u64 *v = bpf_map_lookup_elem(&acl_stats, &key);

	if (v)
		(*v)++;
}

/* The verdict of a rule (or of none), counted. */
static __always_inline int
decide(struct acl_rule *rule, struct acl_config *cfg)
{
	enum acl_action action;
	__u64 *hits;

	if (!rule) {
		action = cfg ? cfg->default_action : ACL_ALLOW;
		count(action == ACL_ALLOW ? ACL_ALLOWED_BY_DEFAULT :
			ACL_DENIED_BY_DEFAULT);
		return action == ACL_ALLOW ? XDP_PASS : XDP_DROP;
	}
	hits = bpf_map_lookup_elem(&acl_hits, &rule->rule_id);
	if (hits)
		__sync_fetch_and_add(hits, 1);
	count(rule->action == ACL_ALLOW ? ACL_ALLOWED_BY_RULE :
		ACL_DENIED_BY_RULE);
	return rule->action == ACL_ALLOW ? XDP_PASS : XDP_DROP;
}

SEC("xdp")
int
acl(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct acl_config *cfg;
	void *l3;
	__u16 proto;
	__u32 zero = 0;
	int i;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	proto = eth->h_proto;
	l3 = eth + 1;
	for (i = 0; i < 2; i++) {
		struct vlan_tag *tag = l3;

		if (proto != bpf_htons(ETH_P_8021Q) &&
		    proto != bpf_htons(ETH_P_8021AD))
			break;
		if ((void *)(tag + 1) > data_end) {
			count(ACL_MALFORMED);
			return XDP_DROP;
		}
		proto = tag->encap_proto;
		l3 = tag + 1;
	}

	cfg = bpf_map_lookup_elem(&acl_config, &zero);
	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;
		struct acl_v4_key key = { .prefixlen = 32 };

		if ((void *)(ip + 1) > data_end || ip->version != 4) {
			count(ACL_MALFORMED);
			return XDP_DROP;
		}
		__builtin_memcpy(key.addr, cfg && cfg->match_dst ?
				 (void *)&ip->daddr : (void *)&ip->saddr, 4);
		return decide(bpf_map_lookup_elem(&acl_v4, &key), cfg);
	}
	if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;
		struct acl_v6_key key = { .prefixlen = 128 };

		if ((void *)(ip6 + 1) > data_end || ip6->version != 6) {
			count(ACL_MALFORMED);
			return XDP_DROP;
		}
		__builtin_memcpy(key.addr, cfg && cfg->match_dst ?
				 (void *)&ip6->daddr : (void *)&ip6->saddr, 16);
		return decide(bpf_map_lookup_elem(&acl_v6, &key), cfg);
	}
	count(ACL_NOT_IP);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
