/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef NF_BASIC_H
#define NF_BASIC_H

/*
 * Wire formats and checksum arithmetic shared by the basic network
 * functions (xdp_drop, csum, xdping, adjust_tail). Everything is static
 * inline: each program stays one self-contained object.
 */

#include <linux/types.h>
#include <bpf/bpf_helpers.h>

/* <linux/icmp.h> pulls in glibc's <sys/socket.h>, which needs 32-bit glibc
 * stubs under -target bpf on Debian; these fields are stable wire format
 * (RFC 792). The second word is the echo id/sequence or, for "destination
 * unreachable", unused + next-hop MTU (RFC 1191). */
struct nf_icmphdr {
	__u8 type;
	__u8 code;
	__sum16 checksum;
	union {
		struct {
			__be16 id;
			__be16 sequence;
		} echo;
		struct {
			__be16 unused;
			__be16 mtu;
		} frag;
	} un;
};

#define NF_ICMP_ECHOREPLY 0
#define NF_ICMP_DEST_UNREACH 3
#define NF_ICMP_FRAG_NEEDED 4	/* code of NF_ICMP_DEST_UNREACH */
#define NF_ICMP_SOURCE_QUENCH 4
#define NF_ICMP_REDIRECT 5
#define NF_ICMP_ECHO 8
#define NF_ICMP_TIME_EXCEEDED 11
#define NF_ICMP_PARAMETERPROB 12

/* IPv4 frag_off bits (host order after bpf_ntohs) */
#define NF_IP_DF 0x4000
#define NF_IP_MF 0x2000
#define NF_IP_OFFSET 0x1fff

/* Fold a 32-bit one's complement sum (bpf_csum_diff's result) to 16 bits
 * and complement it: the value that goes into a checksum field. */
static __always_inline __u16
nf_csum_fold(__u32 sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (__u16)~sum;
}

/* RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m'), for one changed 16-bit word.
 * Words in network order like the checksum: the one's complement sum does
 * not care about byte order as long as all operands agree. */
static __always_inline __u16
nf_csum_replace16(__u16 csum, __u16 old_word, __u16 new_word)
{
	__u32 sum = (__u16)~csum;

	sum += (__u16)~old_word;
	sum += new_word;
	return nf_csum_fold(sum);
}

#endif /* NF_BASIC_H */
