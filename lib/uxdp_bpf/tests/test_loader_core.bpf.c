/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * CO-RE test object: local types whose layout differs on purpose from
 * uxdp's target types (the uapi struct xdp_md, the packet headers), under
 * "___flavor" names, so that every relocated value differs from what the
 * compiler wrote. The program stores the values in `out`
 * (test_loader_core_defs.h) and touches a packet through the local types;
 * test_loader_core.c checks them against the uapi layout.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "test_loader_core_defs.h"

#define PAI __attribute__((preserve_access_index))

/* struct iphdr, shuffled and widened. */
struct iphdr___mine {
	__u64 daddr;     /* __be32 in the target */
	__s8 ttl;        /* __u8 */
	__u8 tos;
	__u32 nosuch;    /* not in the target */
	__u8 ihl: 4, version: 4;
	__u32 saddr;
} PAI;

/* The target's saddr lives in an anonymous union with a named struct
 * 'addrs': reach it by name. */
struct iphdr___addrs {
	struct {
		__u32 saddr;
	} addrs;
} PAI;

struct in6_addr___mine {
	union {
		__u8 u6_addr8[16];
	} in6_u;
} PAI;

struct ipv6hdr___mine {
	struct in6_addr___mine daddr;
} PAI;

/* The same as the target's udphdr, and one that does not match it. */
struct udphdr___same {
	__u16 source;
	__u16 dest;
	__u16 len;
	__u16 check;
} PAI;

struct udphdr___bad {
	__u32 source;
} PAI;

struct uxdp_no_such_type {
	int x;
} PAI;

enum xdp_action___mine {
	XDP_PASS___mine = 99,
	XDP_NOPE___mine = 100,
};

/* An enum64 locally: its value needs an ld_imm64. */
enum xdp_action___wide {
	XDP_REDIRECT___wide = 0x100000000ULL,
};

struct xdp_md___shuffled {
	__u32 rx_queue_index;
	__u32 data_end;
	__u32 data;
} PAI;

__u64 out[OUT_COUNT];

SEC("xdp")
int
xdp_core(struct xdp_md *uctx)
{
	struct xdp_md___shuffled *ctx = (void *)uctx;
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct iphdr___mine *iph = data;

	out[OUT_RXQ] = ctx->rx_queue_index;
	out[OUT_LEN] = data_end - data;
	if (data + PKT_LEN > data_end)
		return XDP_ABORTED;

	out[OUT_DADDR_OFF] = bpf_core_field_offset(iph->daddr);
	out[OUT_DADDR_SIZE] = bpf_core_field_size(iph->daddr);
	out[OUT_DADDR_LOAD] = iph->daddr;
	iph->tos = PKT_TOS_STORED;
	out[OUT_SADDR_ADDRS_OFF] =
		bpf_core_field_offset(struct iphdr___addrs, addrs.saddr);
	out[OUT_V6_DADDR8_5_OFF] =
		bpf_core_field_offset(struct ipv6hdr___mine,
				      daddr.in6_u.u6_addr8[5]);
	out[OUT_TTL_EXISTS] = bpf_core_field_exists(iph->ttl);
	out[OUT_NOSUCH_EXISTS] = bpf_core_field_exists(iph->nosuch);
	out[OUT_TTL_SIGNED] = __builtin_preserve_field_info(iph->ttl,
							    BPF_FIELD_SIGNED);
	out[OUT_IHL_LSHIFT] = __builtin_preserve_field_info(iph->ihl,
							    BPF_FIELD_LSHIFT_U64);
	out[OUT_IHL_RSHIFT] = __builtin_preserve_field_info(iph->ihl,
							    BPF_FIELD_RSHIFT_U64);
	out[OUT_VER_LSHIFT] = __builtin_preserve_field_info(iph->version,
							    BPF_FIELD_LSHIFT_U64);
	out[OUT_VER_RSHIFT] = __builtin_preserve_field_info(iph->version,
							    BPF_FIELD_RSHIFT_U64);
	out[OUT_IHL] = BPF_CORE_READ_BITFIELD(iph, ihl);
	out[OUT_VERSION] = BPF_CORE_READ_BITFIELD(iph, version);

	out[OUT_TYPE_ID_LOCAL] = bpf_core_type_id_local(struct iphdr___mine);
	out[OUT_TYPE_ID_TARGET] = bpf_core_type_id_kernel(struct iphdr___mine);
	out[OUT_TYPE_EXISTS] = bpf_core_type_exists(struct iphdr___mine);
	out[OUT_NOSUCH_TYPE_EXISTS] =
		bpf_core_type_exists(struct uxdp_no_such_type);
	out[OUT_NOSUCH_TYPE_SIZE] = bpf_core_type_size(struct uxdp_no_such_type);
	out[OUT_TYPE_SIZE] = bpf_core_type_size(struct iphdr___mine);
	out[OUT_UDP_MATCHES] = bpf_core_type_matches(struct udphdr___same);
	out[OUT_UDP_BAD_MATCHES] = bpf_core_type_matches(struct udphdr___bad);

	out[OUT_PASS_EXISTS] = bpf_core_enum_value_exists(enum xdp_action___mine,
							  XDP_PASS___mine);
	out[OUT_NOPE_EXISTS] = bpf_core_enum_value_exists(enum xdp_action___mine,
							  XDP_NOPE___mine);
	out[OUT_PASS_VALUE] = bpf_core_enum_value(enum xdp_action___mine,
						  XDP_PASS___mine);
	out[OUT_REDIRECT_VALUE64] = bpf_core_enum_value(enum xdp_action___wide,
							XDP_REDIRECT___wide);
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
