/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * httpdump: a passive observer of HTTP/1.x requests. Every frame passes
 * (XDP_PASS); TCP segments over IPv4 or IPv6 (untagged or one VLAN tag)
 * whose payload starts with a request method and a space ("GET ",
 * "POST ", ...) are reported as an event in the ring buffer http_events:
 * addresses, ports, the method and the first 64 bytes of the payload (the
 * request line, usually). A control plane reads the events with
 * `uxdp-ctl map events http_events`.
 *
 *   http_events            RINGBUF 256 KiB of struct http_event
 *   http_methods[method]   requests seen per enum http_method (ARRAY, u64)
 *   http_stats[stat]       enum http_stat counters (ARRAY, u64); the last
 *                          one holds the ring's unread bytes after the
 *                          last event (BPF_RB_AVAIL_DATA)
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#include "xdp_prog_util.h"

#define HTTP_LINE_BYTES 64
#define HTTP_METHOD_MAX 8	/* "OPTIONS " and "CONNECT " */

enum http_method {
	HTTP_NONE = 0,
	HTTP_GET,
	HTTP_HEAD,
	HTTP_POST,
	HTTP_PUT,
	HTTP_DELETE,
	HTTP_CONNECT,
	HTTP_OPTIONS,
	HTTP_TRACE,
	HTTP_PATCH,
	HTTP_METHODS,
};

enum http_stat {
	HTTP_TCP_SEGMENTS = 0,	/* TCP segments parsed */
	HTTP_WITH_PAYLOAD,	/* ... that carry payload */
	HTTP_RING_FULL,		/* requests not reported: the ring was full */
	HTTP_RING_AVAIL,	/* unread bytes after the last event */
	HTTP_STATS,
};

struct http_event {
	__u8 saddr[16];		/* IPv4: the first 4 bytes */
	__u8 daddr[16];
	__be16 sport;
	__be16 dport;
	__u8 family;		/* 4 or 6 */
	__u8 method;		/* enum http_method */
	__u16 payload_len;	/* TCP payload bytes in this frame */
	char line[HTTP_LINE_BYTES];	/* payload start, zero padded */
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} http_events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HTTP_METHODS);
	__type(key, __u32);	/* enum http_method */
	__type(value, __u64);
} http_methods SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, HTTP_STATS);
	__type(key, __u32);	/* enum http_stat */
	__type(value, __u64);
} http_stats SEC(".maps");

static __always_inline void
stat_add(__u32 key, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&http_stats, &key);

	if (v)
		__sync_fetch_and_add(v, n);
}

/* Whether the method name m (n bytes, a space included) starts buf. */
static __always_inline int
starts_with(const __u8 *buf, const char *m, int n)
{
	int i;

#pragma unroll
	for (i = 0; i < n; i++)
		if (buf[i] != (__u8)m[i])
			return 0;
	return 1;
}

static __always_inline enum http_method
method_of(const __u8 *p)
{
	switch (p[0]) {
	case 'G':
		return starts_with(p, "GET ", 4) ? HTTP_GET : HTTP_NONE;
	case 'H':
		return starts_with(p, "HEAD ", 5) ? HTTP_HEAD : HTTP_NONE;
	case 'P':
		if (starts_with(p, "POST ", 5))
			return HTTP_POST;
		if (starts_with(p, "PUT ", 4))
			return HTTP_PUT;
		return starts_with(p, "PATCH ", 6) ? HTTP_PATCH : HTTP_NONE;
	case 'D':
		return starts_with(p, "DELETE ", 7) ? HTTP_DELETE : HTTP_NONE;
	case 'C':
		return starts_with(p, "CONNECT ", 8) ? HTTP_CONNECT : HTTP_NONE;
	case 'O':
		return starts_with(p, "OPTIONS ", 8) ? HTTP_OPTIONS : HTTP_NONE;
	case 'T':
		return starts_with(p, "TRACE ", 6) ? HTTP_TRACE : HTTP_NONE;
	}
	return HTTP_NONE;
}

/* Reports one request; the event's addresses, ports, method and payload
 * length come from tmpl, the line from the payload at offset off. */
static __always_inline void
report(struct xdp_md *ctx, struct http_event *tmpl, __u32 off)
{
	struct http_event *ev;
	__u32 key = tmpl->method;
	__u32 len = tmpl->payload_len;
	__u64 *n;

	n = bpf_map_lookup_elem(&http_methods, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	ev = bpf_ringbuf_reserve(&http_events, sizeof(*ev), 0);
	if (!ev) {
		stat_add(HTTP_RING_FULL, 1);
		return;
	}
	__builtin_memcpy(ev, tmpl, sizeof(*ev));	/* line: zeros */
	if (len > HTTP_LINE_BYTES)
		len = HTTP_LINE_BYTES;
	if (len < 1 || bpf_xdp_load_bytes(ctx, off, ev->line, len)) {
		bpf_ringbuf_discard(ev, 0);
		return;
	}
	bpf_ringbuf_submit(ev, 0);
	key = HTTP_RING_AVAIL;
	n = bpf_map_lookup_elem(&http_stats, &key);
	if (n)
		*n = bpf_ringbuf_query(&http_events, BPF_RB_AVAIL_DATA);
}

SEC("xdp")
int
httpdump(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct http_event ev = {};
	__u8 head[HTTP_METHOD_MAX] = {};
	struct tcphdr *tcp;
	__u8 *payload;
	void *l3;
	__u16 proto;
	__u32 l3_end, len;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	proto = eth->h_proto;
	l3 = eth + 1;
	if (proto == bpf_htons(ETH_P_8021Q) || proto == bpf_htons(ETH_P_8021AD)) {
		struct vlan_tag *tag = l3;

		if ((void *)(tag + 1) > data_end)
			return XDP_PASS;
		proto = tag->encap_proto;
		l3 = tag + 1;
	}

	if (proto == bpf_htons(ETH_P_IP)) {
		struct iphdr *ip = l3;

		if ((void *)(ip + 1) > data_end || ip->version != 4 || ip->ihl < 5 ||
		    ip->protocol != IPPROTO_TCP ||
		    (ip->frag_off & bpf_htons(0x1fff)))
			return XDP_PASS;
		ev.family = 4;
		__builtin_memcpy(ev.saddr, &ip->saddr, 4);
		__builtin_memcpy(ev.daddr, &ip->daddr, 4);
		tcp = l3 + ip->ihl * 4;
		/* the IP length bounds the payload (Ethernet may pad) */
		l3_end = bpf_ntohs(ip->tot_len);
	} else if (proto == bpf_htons(ETH_P_IPV6)) {
		struct ipv6hdr *ip6 = l3;

		if ((void *)(ip6 + 1) > data_end || ip6->version != 6 ||
		    ip6->nexthdr != IPPROTO_TCP)
			return XDP_PASS;
		ev.family = 6;
		__builtin_memcpy(ev.saddr, &ip6->saddr, 16);
		__builtin_memcpy(ev.daddr, &ip6->daddr, 16);
		tcp = (void *)(ip6 + 1);
		l3_end = sizeof(*ip6) + bpf_ntohs(ip6->payload_len);
	} else {
		return XDP_PASS;
	}

	if ((void *)(tcp + 1) > data_end || tcp->doff < 5)
		return XDP_PASS;
	stat_add(HTTP_TCP_SEGMENTS, 1);
	payload = (__u8 *)tcp + tcp->doff * 4;
	if ((void *)payload >= data_end || (void *)payload >= l3 + l3_end)
		return XDP_PASS;
	stat_add(HTTP_WITH_PAYLOAD, 1);
	if ((void *)(l3 + l3_end) < data_end)
		data_end = l3 + l3_end;
	ev.payload_len = data_end - (void *)payload;

	/* up to 8 bytes, the longest method with its space; zeros after */
	len = ev.payload_len < HTTP_METHOD_MAX ? ev.payload_len : HTTP_METHOD_MAX;
	if (len < 1 || bpf_xdp_load_bytes(ctx, (void *)payload - data, head, len))
		return XDP_PASS;
	ev.method = method_of(head);
	if (ev.method == HTTP_NONE)
		return XDP_PASS;
	ev.sport = tcp->source;
	ev.dport = tcp->dest;
	report(ctx, &ev, (void *)payload - data);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
