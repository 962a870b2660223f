/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * adjust_tail: enforce a maximum frame length on IPv4 by answering each
 * frame that is too long with an ICMP "destination unreachable,
 * fragmentation needed" (type 3, code 4, RFC 792/1191) to its sender,
 * built in the frame itself and sent back with XDP_TX: the frame is cut
 * to its first QUOTE_LEN bytes of IP datagram (bpf_xdp_adjust_tail),
 * room for the new IP and ICMP headers is made in front of it
 * (bpf_xdp_adjust_head), and both checksums are computed with
 * bpf_csum_diff. The next-hop MTU in the reply is max_frame_len - 14.
 *
 * Configuration, adjust_tail_cfg[0] = {max_frame_len, df_only}:
 *  - max_frame_len: the longest frame (Ethernet header included) that
 *    passes; 0 means DEFAULT_MAX_FRAME_LEN, values below MIN_MAX_FRAME_LEN
 *    are raised to it (the reply quotes QUOTE_LEN bytes of the datagram).
 *  - df_only: when non-zero, only datagrams with Don't Fragment set are
 *    answered; the others pass (a router would fragment them).
 *
 * Not answered, passed as they are: frames within the limit, non-IPv4 or
 * VLAN-tagged frames, broken IPv4 headers, later fragments (RFC 1122:
 * errors only about the first fragment) and ICMP error messages (no ICMP
 * error about an ICMP error).
 *
 * State: adjust_tail_stats[0] = {replies, passed_oversize}: frames turned
 * into replies, and frames over the limit that passed (df_only, fragment,
 * ICMP error). Shared by all CPUs: updated with atomic adds.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "nf_basic.h"

#define DEFAULT_MAX_FRAME_LEN 600
#define QUOTE_LEN 128		/* bytes of the offending datagram quoted */
#define MIN_MAX_FRAME_LEN (ETH_HLEN + QUOTE_LEN)
#define REPLY_HDRS_LEN (sizeof(struct iphdr) + sizeof(struct nf_icmphdr))
#define REPLY_LEN (ETH_HLEN + REPLY_HDRS_LEN + QUOTE_LEN)
#define REPLY_TTL 64

struct adjust_tail_cfg {
	__u32 max_frame_len;
	__u32 df_only;
};

struct adjust_tail_stats {
	__u64 replies;
	__u64 passed_oversize;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct adjust_tail_cfg);
} adjust_tail_cfg SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct adjust_tail_stats);
} adjust_tail_stats SEC(".maps");

static __always_inline int
is_icmp_error(__u8 type)
{
	return type == NF_ICMP_DEST_UNREACH || type == NF_ICMP_SOURCE_QUENCH ||
	       type == NF_ICMP_REDIRECT || type == NF_ICMP_TIME_EXCEEDED ||
	       type == NF_ICMP_PARAMETERPROB;
}

/* Should an over-long datagram be answered, or pass? */
static __always_inline int
wants_reply(struct iphdr *iph, void *data_end, __u32 df_only)
{
	__u16 frag = bpf_ntohs(iph->frag_off);
	__u8 *icmp_type;

	if (frag & NF_IP_OFFSET)
		return 0;
	if (df_only && !(frag & NF_IP_DF))
		return 0;
	if (iph->protocol == IPPROTO_ICMP) {
		icmp_type = (void *)iph + iph->ihl * 4;
		if ((void *)(icmp_type + 1) > data_end || is_icmp_error(*icmp_type))
			return 0;
	}
	return 1;
}

static __always_inline void
count(__u64 *counter)
{
	__sync_fetch_and_add(counter, 1);
}

/* Write Ethernet, IP and ICMP headers in front of the quote. */
static __always_inline void
build_reply(void *data, const unsigned char *peer_mac,
	    const unsigned char *own_mac, __be32 own_ip, __be32 peer_ip,
	    __u16 mtu)
{
	struct ethhdr *eth = data;
	struct iphdr *iph = (void *)(eth + 1);
	struct nf_icmphdr *icmp = (void *)(iph + 1);

	__builtin_memcpy(eth->h_dest, peer_mac, ETH_ALEN);
	__builtin_memcpy(eth->h_source, own_mac, ETH_ALEN);
	eth->h_proto = bpf_htons(ETH_P_IP);

	iph->version = 4;
	iph->ihl = 5;
	iph->tos = 0xc0;	/* internetwork control, as ICMP errors go */
	iph->tot_len = bpf_htons(REPLY_LEN - ETH_HLEN);
	iph->id = 0;
	iph->frag_off = 0;
	iph->ttl = REPLY_TTL;
	iph->protocol = IPPROTO_ICMP;
	iph->check = 0;
	iph->saddr = own_ip;
	iph->daddr = peer_ip;

	icmp->type = NF_ICMP_DEST_UNREACH;
	icmp->code = NF_ICMP_FRAG_NEEDED;
	icmp->checksum = 0;
	icmp->un.frag.unused = 0;
	icmp->un.frag.mtu = bpf_htons(mtu);
}

SEC("xdp")
int
adjust_tail(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char peer_mac[ETH_ALEN], own_mac[ETH_ALEN];
	struct ethhdr *eth = data;
	struct adjust_tail_stats *st;
	struct adjust_tail_cfg *cfg;
	__be32 peer_ip, own_ip;
	__u32 max_len, df_only;
	struct iphdr *iph;
	__u32 zero = 0;
	__u32 len;
	__s64 sum;

	if ((void *)(eth + 1) > data_end || eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	iph = (void *)(eth + 1);
	if ((void *)(iph + 1) > data_end || iph->version != 4 || iph->ihl < 5)
		return XDP_PASS;

	cfg = bpf_map_lookup_elem(&adjust_tail_cfg, &zero);
	st = bpf_map_lookup_elem(&adjust_tail_stats, &zero);
	if (!cfg || !st)
		return XDP_ABORTED;
	max_len = cfg->max_frame_len ? cfg->max_frame_len : DEFAULT_MAX_FRAME_LEN;
	if (max_len < MIN_MAX_FRAME_LEN)
		max_len = MIN_MAX_FRAME_LEN;
	df_only = cfg->df_only;

	len = data_end - data;
	if (len <= max_len)
		return XDP_PASS;
	if (!wants_reply(iph, data_end, df_only)) {
		count(&st->passed_oversize);
		return XDP_PASS;
	}

	__builtin_memcpy(peer_mac, eth->h_source, ETH_ALEN);
	__builtin_memcpy(own_mac, eth->h_dest, ETH_ALEN);
	peer_ip = iph->saddr;
	own_ip = iph->daddr;

	/* keep the quote (len > max_len >= ETH_HLEN + QUOTE_LEN), then make
	 * room for the reply's headers: the quote stays where it is */
	if (bpf_xdp_adjust_tail(ctx, (int)(ETH_HLEN + QUOTE_LEN) - (int)len) != 0)
		return XDP_ABORTED;
	if (bpf_xdp_adjust_head(ctx, -(int)REPLY_HDRS_LEN) != 0)
		return XDP_ABORTED;
	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if (data + REPLY_LEN > data_end)
		return XDP_ABORTED;

	build_reply(data, peer_mac, own_mac, own_ip, peer_ip, max_len - ETH_HLEN);
	iph = data + ETH_HLEN;
	sum = bpf_csum_diff(NULL, 0, (__be32 *)iph, sizeof(*iph), 0);
	iph->check = nf_csum_fold((__u32)sum);
	sum = bpf_csum_diff(NULL, 0, (__be32 *)(iph + 1),
			    sizeof(struct nf_icmphdr) + QUOTE_LEN, 0);
	((struct nf_icmphdr *)(iph + 1))->checksum = nf_csum_fold((__u32)sum);

	count(&st->replies);
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
