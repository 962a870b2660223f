/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef RTE_PMD_UXDP_H
#define RTE_PMD_UXDP_H

/**
 * @file
 * What net_uxdp tells an application about the mbufs it delivers.
 *
 * XDP metadata: an XDP program may reserve bytes in front of the packet
 * with bpf_xdp_adjust_meta() (data_meta .. data in struct xdp_md). After
 * XDP_PASS, net_uxdp leaves those bytes right in front of
 * rte_pktmbuf_mtod() and stores their count in the mbuf dynamic field
 * RTE_PMD_UXDP_META_LEN_DYNFIELD (one byte; 0 when the program reserved
 * none). The field is registered when the first net_uxdp RX queue is set
 * up and is written for every mbuf net_uxdp's RX burst returns; other
 * ports do not write it, so read it only for mbufs from a net_uxdp port.
 * The bytes are headroom: anything that prepends to the mbuf (or frees
 * and reuses it) overwrites them.
 *
 * @code
 *	int off = rte_pmd_uxdp_meta_len_offset();   // once, after queue setup
 *	...
 *	uint8_t n = rte_pmd_uxdp_meta_len(m, off);
 *	const uint8_t *meta = rte_pmd_uxdp_meta(m, off);  // n bytes
 * @endcode
 */

#include <stdint.h>

#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Name of the mbuf dynamic field holding the XDP metadata length. */
#define RTE_PMD_UXDP_META_LEN_DYNFIELD "uxdp_xdp_meta_len"

/**
 * Offset of the metadata length field in struct rte_mbuf, or -1 (with
 * rte_errno ENOENT) before any net_uxdp RX queue was set up.
 */
static inline int
rte_pmd_uxdp_meta_len_offset(void)
{
	return rte_mbuf_dynfield_lookup(RTE_PMD_UXDP_META_LEN_DYNFIELD, NULL);
}

/** Bytes of XDP metadata in front of the packet data of m. */
static inline uint8_t
rte_pmd_uxdp_meta_len(const struct rte_mbuf *m, int offset)
{
	return *RTE_MBUF_DYNFIELD(m, offset, const uint8_t *);
}

/** First byte of the XDP metadata of m (equals the packet data when
 *  there is none). */
static inline const void *
rte_pmd_uxdp_meta(const struct rte_mbuf *m, int offset)
{
	return rte_pktmbuf_mtod(m, const uint8_t *) -
	       rte_pmd_uxdp_meta_len(m, offset);
}

#ifdef __cplusplus
}
#endif

#endif /* RTE_PMD_UXDP_H */
