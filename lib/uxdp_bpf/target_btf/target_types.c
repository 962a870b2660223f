/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The CO-RE target of uxdp: the types whose layout uxdp really gives an
 * XDP program. The kernel relocates a program against its own BTF; uxdp
 * has no kernel structures, only the context it builds (the uapi struct
 * xdp_md) and the packet, whose headers have the layout of the wire. This
 * file is compiled with clang -g -target bpf at build time, its .BTF
 * section is embedded in the library (btf_embed.py) and loader_core.c
 * matches the program's types against it, as libbpf matches them against
 * /sys/kernel/btf/vmlinux.
 *
 * Only the types matter: the function below exists so that clang emits
 * BTF for each of them, complete since they are members by value (a
 * struct member that is a pointer to a struct brings in only a forward
 * declaration).
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/if_arp.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/in6.h>
#include <linux/tcp.h>
#include <linux/udp.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>

/* Headers the uapi does not export, with the kernel's names and layout
 * (include/linux/if_vlan.h, include/net/ipv6.h). */
struct vlan_hdr {
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

struct vlan_ethhdr {
	unsigned char h_dest[ETH_ALEN];
	unsigned char h_source[ETH_ALEN];
	__be16 h_vlan_proto;
	__be16 h_vlan_TCI;
	__be16 h_vlan_encapsulated_proto;
};

struct frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;
	__be32 identification;
};

struct uxdp_target_types {
	/* the context */
	struct xdp_md xdp_md;
	enum xdp_action xdp_action;
	/* layer 2 */
	struct ethhdr ethhdr;
	struct vlan_hdr vlan_hdr;
	struct vlan_ethhdr vlan_ethhdr;
	struct arphdr arphdr;
	/* layer 3 */
	struct iphdr iphdr;
	struct ip_comp_hdr ip_comp_hdr;
	struct ipv6hdr ipv6hdr;
	struct in6_addr in6_addr;
	struct ipv6_opt_hdr ipv6_opt_hdr;
	struct ipv6_rt_hdr ipv6_rt_hdr;
	struct frag_hdr frag_hdr;
	/* layer 4 */
	struct tcphdr tcphdr;
	struct udphdr udphdr;
	struct icmphdr icmphdr;
	struct icmp6hdr icmp6hdr;
};

/* Headers ending in a flexible array cannot be members of another struct:
 * arguments of the function bring them in. */
int
uxdp_target_types(struct uxdp_target_types *t, struct ip_auth_hdr *auth,
		  struct ip_esp_hdr *esp)
{
	return t != 0 && auth != 0 && esp != 0;
}
