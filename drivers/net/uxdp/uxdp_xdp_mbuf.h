/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_XDP_MBUF_H
#define UXDP_XDP_MBUF_H

/*
 * An mbuf as the engine's struct uxdp_xdp_buff and back: the kernel's
 * frame geometry over the mbuf's buffer, chains as fragments or
 * linearised. Used by the RX path (the port's program) and by redirect
 * (programs on devmap entries), so both see frames alike.
 */

#include <stdbool.h>

#include <rte_mbuf.h>

#include "uxdp_bpf.h"

/* Fragments of a chain (uxdp_xdp_mbuf.c): describe m's segments after the
 * first, or -E2BIG past the kernel's limit; and write their lengths
 * back, freeing the segments the program released. */
int uxdp_xdp_frags_from_mbuf(struct uxdp_xdp_buff *b, struct rte_mbuf *m,
			     struct uxdp_xdp_frag *frags);
void uxdp_xdp_frags_to_mbuf(const struct uxdp_xdp_buff *b, struct rte_mbuf *m);

/* Whether the room around the packet in m's buffer is m's alone: not for
 * clones (indirect mbufs, or an mbuf others still hold) nor for external
 * buffers shared with other mbufs, whose neighbours a move or growth
 * would overwrite. */
static inline bool
uxdp_mbuf_room_is_own(const struct rte_mbuf *m)
{
	if (rte_mbuf_refcnt_read(m) != 1 || RTE_MBUF_CLONED(m))
		return false;
	return (m->ol_flags & RTE_MBUF_F_EXTERNAL) == 0 ||
	       rte_mbuf_ext_refcnt_read(m->shinfo) == 1;
}

/* Describe an mbuf to the engine. The program sees the kernel's frame
 * (BPF_PROG_TEST_RUN's: 256 bytes of headroom in front of the received
 * data, a 4 KiB frame), whatever the mbuf's own headroom; the bytes stay
 * where they are unless a helper needs room the mbuf has only at its
 * other end (helpers_xdp.c moves them then). */
static inline void
uxdp_xdp_buff_from_mbuf(struct uxdp_xdp_buff *b, struct rte_mbuf *m)
{
	uint8_t *data = rte_pktmbuf_mtod(m, uint8_t *);
	uintptr_t frame = (uintptr_t)data - UXDP_XDP_HEADROOM;

	b->data_hard_start = m->buf_addr;
	b->data_hard_end = (uint8_t *)m->buf_addr + m->buf_len;
	b->frame_start = (void *)frame;
	b->frame_end = (void *)(frame + UXDP_XDP_FRAME_SIZE -
				UXDP_XDP_TAILROOM);
	b->data = data;
	b->data_meta = data;
	b->data_end = data + m->data_len;
	/* Without room of its own, the packet is all the buffer there is:
	 * growth fails as on a kernel frame without room. */
	if (unlikely(!uxdp_mbuf_room_is_own(m))) {
		b->data_hard_start = data;
		b->data_hard_end = b->data_end;
	}
}

/* Back to a linear buff for the next packet of the burst. */
static inline void
uxdp_xdp_buff_clear_frags(struct uxdp_xdp_buff *b)
{
	b->frags = NULL;
	b->nr_frags = 0;
	b->frags_len = 0;
}

/* Write head/tail moves back into the mbuf; a chain's fragments too,
 * after which the buff is linear again for the next packet. */
static inline void
uxdp_xdp_buff_to_mbuf(struct uxdp_xdp_buff *b, struct rte_mbuf *m)
{
	uint16_t len = (uint16_t)((uint8_t *)b->data_end - (uint8_t *)b->data);

	m->data_off = (uint16_t)((uint8_t *)b->data - (uint8_t *)m->buf_addr);
	m->data_len = len;
	m->pkt_len = len;
	if (unlikely(b->frags != NULL)) {
		uxdp_xdp_frags_to_mbuf(b, m);
		uxdp_xdp_buff_clear_frags(b);
	}
}

/* A chained mbuf: fragments for an xdp.frags program, else one linear
 * buffer when the first segment has room of its own. Fails (the caller drops and
 * counts) when neither works. */
static inline int
uxdp_xdp_prepare_chain(struct uxdp_xdp_buff *b, struct rte_mbuf *m,
		  const struct uxdp_prog *prog, struct uxdp_xdp_frag *frags)
{
	if (uxdp_prog_has_frags(prog) &&
	    uxdp_xdp_frags_from_mbuf(b, m, frags) == 0)
		return 0;
	/* Linearising writes into the first segment's tailroom. */
	if (!uxdp_mbuf_room_is_own(m) || rte_pktmbuf_linearize(m) != 0)
		return -1;
	/* The first segment's length changed. */
	b->data_end = (uint8_t *)b->data + m->data_len;
	return 0;
}

#endif /* UXDP_XDP_MBUF_H */
