/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef L4LB_H
#define L4LB_H

/*
 * Map layouts of the l4lb load balancer (xdp_progs/l4lb.c), shared by the
 * program and mirrored by its control plane (devtools/l4lb-ctl.py). All
 * addresses are in network byte order; an IPv4 address sits in addr[0]
 * with addr[1..3] zero. Everything else is host (little-endian) order.
 */

#include <linux/types.h>

/* Size of one VIP's consistent-hash ring. A prime, so that the Maglev
 * permutation of the control plane (offset + i * skip mod size) visits
 * every slot for any skip. Katran uses 65537; a smaller ring keeps the
 * maps small and is filled quickly through telemetry. */
#ifndef L4LB_RING_SIZE
#define L4LB_RING_SIZE 1021
#endif
#define L4LB_MAX_VIPS 64
#define L4LB_MAX_REALS 4096
/* CPUs (uxdp: lcores) that get their own connection table; others share
 * the fallback table. */
#define L4LB_MAX_CPUS 128
#define L4LB_CONN_ENTRIES 8192

/* vip_meta.flags */
#define L4LB_VIP_NO_SRC_PORT 0x1	/* hash the client address only */
#define L4LB_VIP_NO_CONN_TABLE 0x2	/* stateless: ring on every packet */

/* real_def.flags */
#define L4LB_REAL_IPV6 0x1

/* A virtual service: destination address, port and protocol. A VIP
 * with port 0 takes every port of its address and protocol. */
struct vip_key {
	__be32 addr[4];
	__be16 port;
	__u8 proto;
	__u8 pad;
};

struct vip_meta {
	__u32 flags;
	__u32 vip_num;		/* ring number and stats slot, < L4LB_MAX_VIPS */
};

/* A backend server, by real id (the values of the rings). Id 0 is
 * reserved: a ring slot holding 0 has no backend. */
struct real_def {
	__be32 addr[4];
	__u32 flags;
};

/* One connection: the 5-tuple as the client sent it. */
struct flow_key {
	__be32 src[4];
	__be32 dst[4];
	__be16 sport;
	__be16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct conn_entry {
	__u32 real_id;
};

/* Traffic counters, per VIP (vip_stats, indexed by vip_num) and per
real (real_stats, indexed by real id); per-CPU arrays. */
struct lb_stats {
	__u64 packets;
	__u64 bytes;
};

/* Global counters (per-CPU array), by index. */
enum l4lb_counter {
	L4LB_CNT_NOT_VIP = 0,	/* passed: no VIP for the destination */
	L4LB_CNT_NOT_LB,	/* passed: not TCP/UDP over plain IP, fragments */
	L4LB_CNT_CONN_HIT,	/* connection table hits */
	L4LB_CNT_CONN_NEW,	/* ring lookups that created a connection entry */
	L4LB_CNT_NO_REAL,	/* dropped: empty ring slot or unknown real */
	L4LB_CNT_BAD_FAMILY,	/* dropped: IPv6 client to an IPv4 real */
	L4LB_CNT_ENCAP_FAIL,	/* dropped: no headroom for the outer header */
	L4LB_CNT_FALLBACK_TABLE,	/* packets that used the shared table */
	L4LB_CNT_MAX,
};

/* lb_config.flags */
#define L4LB_CFG_SRC_ENTROPY 0x1	/* low 16 bits of the outer source
					 * from the flow hash */

/* The load balancer's own addresses: outer source of the tunnels and
 * the next hop's MAC. */
struct lb_config {
	__u8 gw_mac[6];
	__u8 flags;
	__u8 pad;
	__be32 src_v4;
	__be32 src_v6[4];
};

#endif /* L4LB_H */
