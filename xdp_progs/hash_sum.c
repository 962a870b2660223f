/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * hash_sum: a digest of every frame's payload (the bytes after the
 * 14-byte Ethernet header, at most HASH_MAX_BYTES of them) for the next
 * stage: the byte sum and a 32-bit FNV-1a hash, read byte by byte with a
 * bounds check each, handed on in 8 bytes of XDP metadata in front of the
 * frame ({__u32 hash; __u32 byte_sum}, host order), which an AF_XDP
 * consumer or a later program reads without touching the payload again.
 *
 * State: hash_stats, a per-CPU array with one entry: frames digested,
 * bytes digested, the sum of all byte sums, the XOR of all hashes.
 * Frames shorter than an Ethernet header pass without a digest; a frame
 * whose metadata cannot be reserved passes with none (counted).
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

#define HASH_MAX_BYTES 1536
#define FNV32_OFFSET_BASIS 2166136261u
#define FNV32_PRIME 16777619u

struct payload_digest {
	__u32 hash;
	__u32 byte_sum;
};

struct hash_stats {
	__u64 frames;
	__u64 bytes;
	__u64 byte_sum_total;
	__u32 hash_xor;
	__u32 meta_failures;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct hash_stats);
} hash_stats SEC(".maps");

SEC("xdp")
int
hash_sum(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	unsigned char *payload = data + ETH_HLEN;
	struct payload_digest *meta;
	__u32 hash = FNV32_OFFSET_BASIS;
	struct hash_stats *st;
	__u32 byte_sum = 0;
	__u32 zero = 0;
	__u32 n;

	if ((void *)payload > data_end)
		return XDP_PASS;
	for (n = 0; n < HASH_MAX_BYTES; n++) {
		unsigned char *p = payload + n;

		if ((void *)(p + 1) > data_end)
			break;
		byte_sum += *p;
		hash = (hash ^ *p) * FNV32_PRIME;
	}

	st = bpf_map_lookup_elem(&hash_stats, &zero);
	if (!st)
		return XDP_ABORTED;
	st->frames++;
	st->bytes += n;
	st->byte_sum_total += byte_sum;
	st->hash_xor ^= hash;

	/* packet pointers are stale after adjust_meta: reload them */
	if (bpf_xdp_adjust_meta(ctx, -(int)sizeof(*meta)) != 0) {
		st->meta_failures++;
		return XDP_PASS;
	}
	meta = (void *)(long)ctx->data_meta;
	if ((void *)(meta + 1) > (void *)(long)ctx->data)
		return XDP_ABORTED;
	meta->hash = hash;
	meta->byte_sum = byte_sum;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
