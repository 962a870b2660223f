/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Test program for the frame-geometry helpers. A frame of ethertype 0x88B6
 * carries a command after its Ethernet header: byte 0 an op, byte 1 an
 * amount n.
 *
 *   op 1  push n bytes at the head, Ethernet header moved to the new front,
 *         gap filled with 0xAB                          -> XDP_TX
 *   op 2  pop the n bytes following the Ethernet header -> XDP_PASS
 *   op 3  grow the tail by n * 8 bytes, filled with 0xCD -> XDP_PASS
 *   op 4  shrink the tail by n bytes                    -> XDP_PASS
 *   op 5  reserve n bytes of metadata, filled with a pattern -> XDP_PASS
 *   op 6  bpf_csum_diff() pushing n payload bytes (from byte 2 on) onto a
 *         seed                                          -> XDP_PASS
 *   op 7  bpf_csum_diff() from those n bytes to their complement, seed 0
 *                                                       -> XDP_PASS
 *   op 8  reserve 8 bytes of metadata, then push n bytes at the head
 *   op 9  reserve 8 bytes of metadata, then pop n bytes at the head:
 *         the metadata must travel with the data    -> XDP_PASS
 *
 * Ops 6 and 7 store the helper's result in csum_out and over the first 8
 * payload bytes, so every packet's output shows its own result.
 *
 * A failing helper counts in helper_errors and drops the frame. The limits
 * exercised are the kernel's: headroom above its struct xdp_frame,
 * tailroom, the 14-byte minimum, metadata length (a multiple of 4; at most
 * 32 bytes on older kernels, 252 on recent ones) and csum_diff sizes (a
 * multiple of 4 and 512 bytes at most before Linux 6.13, anything since).
 * Frames of other ethertypes, or too short for a command, pass untouched.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_GEOMETRY_TEST 0x88B6
#define GAP_FILL 0xAB
#define GROW_FILL 0xCD
/* Largest csum_diff buffer used: enough for the tests, small enough for
 * the 512-byte stack with two of them. */
#define CSUM_MAX 128
#define CSUM_SEED 0x12345678

enum geometry_op {
	OP_PUSH_HEAD = 1,
	OP_POP_HEAD = 2,
	OP_GROW_TAIL = 3,
	OP_SHRINK_TAIL = 4,
	OP_META = 5,
	OP_CSUM_PUSH = 6,
	OP_CSUM_DIFF = 7,
	OP_META_THEN_PUSH = 8,
	OP_META_THEN_POP = 9,
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} helper_errors SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} csum_out SEC(".maps");

static __always_inline int
helper_failed(void)
{
	__u32 zero = 0;
	__u64 *cnt = bpf_map_lookup_elem(&helper_errors, &zero);

	if (cnt)
		__sync_fetch_and_add(cnt, 1);
	return XDP_DROP;
}

static __always_inline int
push_head(struct xdp_md *ctx, __u32 n)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr saved;
	__u8 *gap;
	__u32 i;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	saved = *eth;
	if (bpf_xdp_adjust_head(ctx, -(int)n))
		return helper_failed();

	/* the helper invalidated every packet pointer: reload them */
	eth = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	*eth = saved;

	gap = (__u8 *)(eth + 1);
	for (i = 0; i < 255; i++) {
		if (i >= n || (void *)(gap + i + 1) > data_end)
			break;
		gap[i] = GAP_FILL;
	}
	return XDP_TX;
}

static __always_inline int
pop_head(struct xdp_md *ctx, __u32 n)
{
	struct ethhdr *eth = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr saved;

	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	saved = *eth;
	if (bpf_xdp_adjust_head(ctx, n))
		return helper_failed();

	eth = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	if ((void *)(eth + 1) > data_end)
		return XDP_DROP;
	*eth = saved;
	return XDP_PASS;
}

static __always_inline int
grow_tail(struct xdp_md *ctx, __u32 n)
{
	__u32 old_len = ctx->data_end - ctx->data;
	__u32 grow = n * 8;
	__u8 *data, *data_end;
	__u32 i;

	if (bpf_xdp_adjust_tail(ctx, grow))
		return helper_failed();

	data = (void *)(long)ctx->data;
	data_end = (void *)(long)ctx->data_end;
	/* the verifier needs a bound on the variable offset */
	if (old_len > 4096)
		return XDP_DROP;
	for (i = 0; i < 255 * 8; i++) {
		__u8 *p = data + old_len + i;

		if (i >= grow || p + 1 > data_end)
			break;
		*p = GROW_FILL;
	}
	return XDP_PASS;
}

static __always_inline int
shrink_tail(struct xdp_md *ctx, __u32 n)
{
	if (bpf_xdp_adjust_tail(ctx, -(int)n))
		return helper_failed();
	return XDP_PASS;
}

static __always_inline int
add_meta(struct xdp_md *ctx, __u32 n)
{
	__u8 *meta, *data;
	__u32 i;

	if (bpf_xdp_adjust_meta(ctx, -(int)n))
		return helper_failed();

	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	for (i = 0; i < 255; i++) {
		if (i >= n || meta + i + 1 > data)
			break;
		meta[i] = 0xA0 + i;
	}
	return XDP_PASS;
}

static __always_inline int
meta_then_head(struct xdp_md *ctx, int delta)
{
	__u8 *meta, *data;

	if (bpf_xdp_adjust_meta(ctx, -8))
		return helper_failed();
	meta = (void *)(long)ctx->data_meta;
	data = (void *)(long)ctx->data;
	if (meta + 8 > data)
		return XDP_DROP;
	__builtin_memcpy(meta, "uxdpMETA", 8);
	if (bpf_xdp_adjust_head(ctx, delta))
		return helper_failed();
	return XDP_PASS;
}

/* Copy up to n payload bytes (beyond the command) to buf; bytes past the
 * end of the frame stay zero. */
static __always_inline void
copy_payload(__u8 *buf, __u8 *payload, void *data_end, __u32 n)
{
	__u32 i;

	for (i = 0; i < CSUM_MAX; i++) {
		if (i >= n || (void *)(payload + i + 1) > data_end)
			break;
		buf[i] = payload[i];
	}
}

static __always_inline int
csum_op(struct xdp_md *ctx, __u8 op, __u32 n, __u8 *payload)
{
	void *data_end = (void *)(long)ctx->data_end;
	__u8 from[CSUM_MAX] = {}, to[CSUM_MAX] = {};
	__u64 *slot = (__u64 *)payload;
	__u32 zero = 0;
	__s64 res;
	__u64 *out;
	__u32 i;

	/* The sizes below must be provably within the buffers. */
	if (n > CSUM_MAX)
		return XDP_PASS;
	copy_payload(to, payload, data_end, n);
	if (op == OP_CSUM_PUSH) {
		res = bpf_csum_diff(NULL, 0, (__be32 *)to, n, CSUM_SEED);
	} else {
		for (i = 0; i < CSUM_MAX; i++)
			from[i] = ~to[i];
		res = bpf_csum_diff((__be32 *)from, n, (__be32 *)to, n, 0);
	}

	out = bpf_map_lookup_elem(&csum_out, &zero);
	if (out)
		*out = res;
	if ((void *)(slot + 1) <= data_end)
		*slot = res;
	return res < 0 ? helper_failed() : XDP_PASS;
}

SEC("xdp")
int
adjust_head_tail(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 *cmd = (__u8 *)(eth + 1);
	__u8 op, n;

	if ((void *)(cmd + 2) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_GEOMETRY_TEST))
		return XDP_PASS;
	op = cmd[0];
	n = cmd[1];

	switch (op) {
	case OP_PUSH_HEAD:
		return push_head(ctx, n);
	case OP_POP_HEAD:
		return pop_head(ctx, n);
	case OP_GROW_TAIL:
		return grow_tail(ctx, n);
	case OP_SHRINK_TAIL:
		return shrink_tail(ctx, n);
	case OP_META:
		return add_meta(ctx, n);
	case OP_CSUM_PUSH:
	case OP_CSUM_DIFF:
		return csum_op(ctx, op, n, cmd + 2);
	case OP_META_THEN_PUSH:
		return meta_then_head(ctx, -(int)n);
	case OP_META_THEN_POP:
		return meta_then_head(ctx, n);
	default:
		return XDP_PASS;
	}
}

char LICENSE[] SEC("license") = "GPL";
