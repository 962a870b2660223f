/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * A program that uses the map types beyond ARRAY and HASH, for the
 * kernel-differential runs of app/test/test_oracle_progs.py.
 *
 * For every IPv4 frame: the source /24 and /4 go into an LPM trie (value:
 * the number of IPv4 frames seen so far, + 1 for the /24; /4 rather than
 * /8 so that the test traffic's 192.0.2.1 -> 198.51.100.2 matches), then the
 * destination address is looked up there: a match whose value is odd
 * drops the frame. Sources go into a bloom filter; sources and
 * destinations that it may have seen are counted (the filter may say
 * "maybe" for a destination never pushed only by a false positive, rare
 * enough at this size for kernel and uxdp to agree); bytes per destination count in an LRU
 * per-CPU hash. The frame
 * length is pushed onto a queue (dropping the oldest when full) and the
 * queue's head peeked into a counter; the source address counts in an LRU
 * hash and its protocol in a per-CPU hash. Every verdict counts in a
 * per-CPU array. Each IPv4 frame also leaves an 8-byte record in a ring
 * buffer (reserve/submit or discard, or output, in turn); the ring's
 * fill level and the failed reservations are kept in stats, so the
 * kernel's ring and uxdp's must fill up alike. Frames that are not IPv4,
 * or too short, pass.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/ip.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

struct lpm_v4_key {
	__u32 prefixlen;
	__u8 addr[4];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, __u64);
} verdict_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 32);
	__type(key, __u32);
	__type(value, __u64);
} proto_count SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} src_seen SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 64);
	__type(key, struct lpm_v4_key);
	__type(value, __u32);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} src_nets SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 4);
	__type(value, __u32);
} lengths SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} dst_bytes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__uint(max_entries, 1024);
	__uint(map_extra, 3); /* hash functions */
	__type(value, __u32);
} src_bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} stats SEC(".maps");


enum {
	STAT_V4, STAT_QUEUE_HEAD, STAT_MATCHES, STAT_PUSH_ERR,
	STAT_RB_AVAIL, STAT_RB_FAILED, STAT_RB_SIZE, STAT_BLOOM_HITS,
};

static __always_inline void
stat_set(__u32 idx, __u32 v)
{
	__u32 *p = bpf_map_lookup_elem(&stats, &idx);

	if (p)
		*p = v;
}

static __always_inline __u32
stat_get(__u32 idx)
{
	__u32 *p = bpf_map_lookup_elem(&stats, &idx);

	return p ? *p : 0;
}

/* One 8-byte record: three ways of writing it, chosen by n. */
static __always_inline void
log_event(__u32 n, __u32 saddr)
{
	__u64 rec = (__u64)n << 32 | saddr;
	__u64 *slot;
	__u32 failed = 0;

	if (n % 3 == 0) {
		failed = bpf_ringbuf_output(&events, &rec, sizeof(rec), 0) != 0;
	} else {
		slot = bpf_ringbuf_reserve(&events, sizeof(rec), 0);
		if (slot) {
			*slot = rec;
			if (n % 3 == 1)
				bpf_ringbuf_submit(slot, 0);
			else
				bpf_ringbuf_discard(slot, BPF_RB_NO_WAKEUP);
		} else {
			failed = 1;
		}
	}
	if (failed)
		stat_set(STAT_RB_FAILED, stat_get(STAT_RB_FAILED) + 1);
	stat_set(STAT_RB_AVAIL, bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA));
	stat_set(STAT_RB_SIZE, bpf_ringbuf_query(&events, BPF_RB_RING_SIZE));
}

static __always_inline int
count_verdict(int verdict)
{
	__u32 key = verdict;
	__u64 *c = bpf_map_lookup_elem(&verdict_count, &key);

	if (c)
		*c += 1;
	return verdict;
}

static __always_inline int
handle_v4(struct iphdr *ip, __u32 frame_len)
{
	struct lpm_v4_key key = { .prefixlen = 24 };
	__u32 n = stat_get(STAT_V4) + 1;
	__u32 proto = ip->protocol;
	__u32 saddr = ip->saddr;
	__u64 one = 1, bytes, *c;
	__u32 daddr;
	__u32 *match;
	__u32 head;

	stat_set(STAT_V4, n);
	log_event(n, saddr);
	__builtin_memcpy(key.addr, &ip->saddr, 4);
	key.addr[3] = 0;
	n += 1;
	bpf_map_update_elem(&src_nets, &key, &n, BPF_ANY);
	n -= 1;
	key.prefixlen = 4;
	bpf_map_update_elem(&src_nets, &key, &n, BPF_ANY);

	bpf_map_push_elem(&src_bloom, &saddr, BPF_ANY);
	daddr = ip->daddr;
	if (bpf_map_peek_elem(&src_bloom, &daddr) == 0)
		stat_set(STAT_BLOOM_HITS, stat_get(STAT_BLOOM_HITS) + 0x10000);
	if (bpf_map_peek_elem(&src_bloom, &saddr) == 0)
		stat_set(STAT_BLOOM_HITS, stat_get(STAT_BLOOM_HITS) + 1);
	c = bpf_map_lookup_elem(&dst_bytes, &daddr);
	if (c) {
		*c += frame_len;
	} else {
		bytes = frame_len;
		bpf_map_update_elem(&dst_bytes, &daddr, &bytes, BPF_ANY);
	}

	c = bpf_map_lookup_elem(&src_seen, &saddr);
	if (c)
		*c += 1;
	else
		bpf_map_update_elem(&src_seen, &saddr, &one, BPF_NOEXIST);

	c = bpf_map_lookup_elem(&proto_count, &proto);
	if (c)
		*c += 1;
	else
		bpf_map_update_elem(&proto_count, &proto, &one, BPF_NOEXIST);

	if (bpf_map_push_elem(&lengths, &frame_len, BPF_EXIST) != 0)
		stat_set(STAT_PUSH_ERR, stat_get(STAT_PUSH_ERR) + 1);
	if (bpf_map_peek_elem(&lengths, &head) == 0)
		stat_set(STAT_QUEUE_HEAD, head);

	key.prefixlen = 32;
	__builtin_memcpy(key.addr, &ip->daddr, 4);
	match = bpf_map_lookup_elem(&src_nets, &key);
	if (match) {
		stat_set(STAT_MATCHES, stat_get(STAT_MATCHES) + 1);
		if (*match & 1)
			return XDP_DROP;
	}
	return XDP_PASS;
}

SEC("xdp")
int
maps_mix(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct iphdr *ip;

	if ((void *)(eth + 1) > data_end)
		return count_verdict(XDP_PASS);
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return count_verdict(XDP_PASS);
	ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return count_verdict(XDP_PASS);
	return count_verdict(handle_v4(ip, (__u32)(data_end - data)));
}

char _license[] SEC("license") = "GPL";
