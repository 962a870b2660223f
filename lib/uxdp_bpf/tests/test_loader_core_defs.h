/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef TEST_LOADER_CORE_DEFS_H
#define TEST_LOADER_CORE_DEFS_H

/*
 * Shared by test_loader_core.bpf.c and test_loader_core.c: where the
 * program stores each CO-RE value (slots of the u64 array `out`, in
 * .bss), and the test packet's layout.
 */

enum core_out {
	OUT_DADDR_OFF,        /* FIELD_BYTE_OFFSET on an ALU mov */
	OUT_DADDR_SIZE,       /* FIELD_BYTE_SIZE */
	OUT_DADDR_LOAD,       /* FIELD_BYTE_OFFSET on a load, resized 8 -> 4 */
	OUT_SADDR_ADDRS_OFF,  /* through the target's anonymous union */
	OUT_V6_DADDR8_5_OFF,  /* nested structs, a union and an array index */
	OUT_TTL_EXISTS,       /* FIELD_EXISTS: 1 */
	OUT_NOSUCH_EXISTS,    /* FIELD_EXISTS of a field uxdp lacks: 0 */
	OUT_TTL_SIGNED,       /* FIELD_SIGNED: local __s8, target __u8 */
	OUT_IHL_LSHIFT,       /* FIELD_LSHIFT_U64 */
	OUT_IHL_RSHIFT,       /* FIELD_RSHIFT_U64 */
	OUT_VER_LSHIFT,
	OUT_VER_RSHIFT,
	OUT_IHL,              /* BPF_CORE_READ_BITFIELD() of the packet */
	OUT_VERSION,
	OUT_TYPE_ID_LOCAL,    /* TYPE_ID_LOCAL: the object's BTF id */
	OUT_TYPE_ID_TARGET,   /* TYPE_ID_TARGET: the id in uxdp's BTF */
	OUT_TYPE_EXISTS,      /* TYPE_EXISTS: 1 */
	OUT_NOSUCH_TYPE_EXISTS, /* 0 */
	OUT_NOSUCH_TYPE_SIZE, /* TYPE_SIZE of a missing type: 0, as libbpf */
	OUT_TYPE_SIZE,        /* TYPE_SIZE */
	OUT_UDP_MATCHES,      /* TYPE_MATCHES: 1 */
	OUT_UDP_BAD_MATCHES,  /* TYPE_MATCHES: 0 */
	OUT_PASS_EXISTS,      /* ENUMVAL_EXISTS: 1 */
	OUT_NOPE_EXISTS,      /* ENUMVAL_EXISTS: 0 */
	OUT_PASS_VALUE,       /* ENUMVAL_VALUE on an ALU mov */
	OUT_REDIRECT_VALUE64, /* ENUMVAL_VALUE on an ld_imm64 */
	OUT_RXQ,              /* a ctx load through a shuffled struct xdp_md */
	OUT_LEN,              /* data_end - data, the same way */
	OUT_COUNT
};

/* The packet: an IPv4 header at offset 0 (no Ethernet header), then an
 * IPv6 header. */
#define PKT_V6_OFF 20
#define PKT_LEN (PKT_V6_OFF + 40)
#define PKT_RXQ 3
/* Written by the program into the IPv4 header's tos (a relocated store). */
#define PKT_TOS_STORED 0x5a

#endif /* TEST_LOADER_CORE_DEFS_H */
