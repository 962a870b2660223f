/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef XDP_PROG_UTIL_H
#define XDP_PROG_UTIL_H

/*
 * Small pieces shared by the example programs. Everything is static inline:
 * each program is one self-contained object, as users build them.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>

/* An 802.1Q/802.1ad tag as it follows the Ethernet addresses. The uapi
 * headers do not export one (linux/if_vlan.h is kernel-internal). */
struct vlan_tag {
	__be16 tci;
	__be16 encap_proto;
};

/* Exchange source and destination MAC, so that a frame sent back out of
 * the port it came from (XDP_TX) is addressed to its sender. The caller
 * has checked that the Ethernet header is inside the packet. */
static __always_inline void
swap_macs(struct ethhdr *eth)
{
	unsigned char tmp[ETH_ALEN];

	__builtin_memcpy(tmp, eth->h_dest, ETH_ALEN);
	__builtin_memcpy(eth->h_dest, eth->h_source, ETH_ALEN);
	__builtin_memcpy(eth->h_source, tmp, ETH_ALEN);
}

#endif /* XDP_PROG_UTIL_H */
