/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Chained mbufs as an XDP frame's fragments (multi-buffer XDP), out of
 * line: only chains pay for it.
 */

#include <errno.h>

#include "uxdp_xdp_mbuf.h"

/* Describe the segments after the first as the frame's fragments (for
 * xdp.frags programs), like the kernel's skb_shared_info frags. A
 * fragment may grow to the end of its segment's buffer, at most a page
 * (the kernel's frag_size in BPF_PROG_TEST_RUN). Empty segments are left
 * out (and freed on the way back). Fails when there are more fragments
 * than the kernel allows. */
int
uxdp_xdp_frags_from_mbuf(struct uxdp_xdp_buff *b, struct rte_mbuf *m,
		    struct uxdp_xdp_frag *frags)
{
	struct rte_mbuf *seg;
	uint32_t n = 0, len = 0;

	for (seg = m->next; seg != NULL; seg = seg->next) {
		if (seg->data_len == 0)
			continue;
		if (n == UXDP_XDP_MAX_FRAGS)
			return -E2BIG;
		frags[n].data = rte_pktmbuf_mtod(seg, uint8_t *);
		frags[n].len = seg->data_len;
		frags[n].room = uxdp_mbuf_room_is_own(seg) ?
				RTE_MIN((uint32_t)(seg->buf_len - seg->data_off),
					(uint32_t)UXDP_XDP_FRAME_SIZE) :
				seg->data_len;
		frags[n].owner = seg;
		len += seg->data_len;
		n++;
	}
	b->frags = frags;
	b->nr_frags = n;
	b->frags_len = len;
	return 0;
}

/* Write fragment lengths back; segments the program released (the
 * kernel frees a shrunk-away frag at once) and empty ones are freed. */
void
uxdp_xdp_frags_to_mbuf(const struct uxdp_xdp_buff *b, struct rte_mbuf *m)
{
	struct rte_mbuf *prev = m, *seg, *next;
	uint32_t i = 0;

	m->nb_segs = 1;
	for (seg = m->next; seg != NULL; seg = next) {
		next = seg->next;
		if (i < b->nr_frags && b->frags[i].owner == seg) {
			seg->data_len = (uint16_t)b->frags[i].len;
			m->pkt_len += seg->data_len;
			m->nb_segs++;
			prev = seg;
			i++;
			continue;
		}
		prev->next = next;
		seg->next = NULL;
		seg->nb_segs = 1;
		rte_pktmbuf_free_seg(seg);
	}
}
