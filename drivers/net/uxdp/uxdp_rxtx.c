/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The data path: every packet the sub-port receives runs the XDP program,
 * and every mbuf ends in exactly one place: returned to the application
 * (XDP_PASS), handed to a TX queue (XDP_TX, XDP_REDIRECT: uxdp_redirect.c)
 * or freed (XDP_DROP, XDP_ABORTED,
 * unknown verdicts, and whatever a TX burst did not take).
 */

#include <ethdev_driver.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "uxdp_ethdev.h"

/* What every packet of a burst shares: the program cannot write these
 * (xdp_md's ifindex and queue fields are read-only), and frags are only
 * set for a chain, then cleared again (xdp_buff_to_mbuf). */
static inline void
xdp_buff_burst_init(struct uxdp_xdp_buff *b, const struct uxdp_rxq *rxq)
{
	b->frags = NULL;
	b->nr_frags = 0;
	b->frags_len = 0;
	b->room_misses = 0;
	b->ingress_ifindex = rxq->priv->ingress_ifindex;
	b->rx_queue_index = rxq->queue_id;
	b->egress_ifindex = 0;
	/* The wrapper's MTU, which ethdev keeps in step with set_mtu. */
	b->mtu = rte_eth_devices[rxq->priv->port_id].data->mtu;
}

/* Whether the room around the packet in m's buffer is m's alone: not for
 * clones (indirect mbufs, or an mbuf others still hold) nor for external
 * buffers shared with other mbufs, whose neighbours a move or growth
 * would overwrite. */
static inline bool
mbuf_room_is_own(const struct rte_mbuf *m)
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
xdp_buff_from_mbuf(struct uxdp_xdp_buff *b, struct rte_mbuf *m)
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
	if (unlikely(!mbuf_room_is_own(m))) {
		b->data_hard_start = data;
		b->data_hard_end = b->data_end;
	}
}

/* Describe the segments after the first as the frame's fragments (for
 * xdp.frags programs), like the kernel's skb_shared_info frags. A
 * fragment may grow to the end of its segment's buffer, at most a page
 * (the kernel's frag_size in BPF_PROG_TEST_RUN). Empty segments are left
 * out (and freed on the way back). Fails when there are more fragments
 * than the kernel allows. */
static int
xdp_frags_from_mbuf(struct uxdp_xdp_buff *b, struct rte_mbuf *m,
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
		frags[n].room = mbuf_room_is_own(seg) ?
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
static void
xdp_frags_to_mbuf(const struct uxdp_xdp_buff *b, struct rte_mbuf *m)
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

/* Back to a linear buff for the next packet of the burst. */
static inline void
xdp_buff_clear_frags(struct uxdp_xdp_buff *b)
{
	b->frags = NULL;
	b->nr_frags = 0;
	b->frags_len = 0;
}

/* Write head/tail moves back into the mbuf; a chain's fragments too,
 * after which the buff is linear again for the next packet. */
static inline void
xdp_buff_to_mbuf(struct uxdp_xdp_buff *b, struct rte_mbuf *m)
{
	uint16_t len = (uint16_t)((uint8_t *)b->data_end - (uint8_t *)b->data);

	m->data_off = (uint16_t)((uint8_t *)b->data - (uint8_t *)m->buf_addr);
	m->data_len = len;
	m->pkt_len = len;
	if (unlikely(b->frags != NULL)) {
		xdp_frags_to_mbuf(b, m);
		xdp_buff_clear_frags(b);
	}
}

/* A chained mbuf: fragments for an xdp.frags program, else one linear
 * buffer when the first segment has room of its own. Fails (the caller drops and
 * counts) when neither works. */
static inline int
xdp_prepare_chain(struct uxdp_xdp_buff *b, struct rte_mbuf *m,
		  const struct uxdp_prog *prog, struct uxdp_xdp_frag *frags)
{
	if (uxdp_prog_has_frags(prog) &&
	    xdp_frags_from_mbuf(b, m, frags) == 0)
		return 0;
	/* Linearising writes into the first segment's tailroom. */
	if (!mbuf_room_is_own(m) || rte_pktmbuf_linearize(m) != 0)
		return -1;
	/* The first segment's length changed. */
	b->data_end = (uint8_t *)b->data + m->data_len;
	return 0;
}

static void
flush_xdp_tx(struct uxdp_rxq *rxq, struct rte_mbuf **pkts, uint16_t n)
{
	uint16_t sub = rxq->priv->sub_port_id;
	uint16_t sent;

	if (rxq->xdp_txq_lock != NULL) {
		rte_spinlock_lock(rxq->xdp_txq_lock);
		sent = rte_eth_tx_burst(sub, rxq->xdp_txq, pkts, n);
		rte_spinlock_unlock(rxq->xdp_txq_lock);
	} else {
		sent = rte_eth_tx_burst(sub, rxq->xdp_txq, pkts, n);
	}
	rxq->stats.tx += sent;
	if (unlikely(sent < n)) {
		rxq->stats.tx_errors += n - sent;
		rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	}
}

uint16_t
uxdp_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct uxdp_rxq *rxq = queue;
	const struct uxdp_prog *prog;
	struct rte_mbuf *tx[UXDP_RX_BURST_MAX];
	struct uxdp_xdp_frag frags[UXDP_XDP_MAX_FRAGS];
	struct uxdp_xdp_buff buff;
	uint16_t nb_rx, nb_pass = 0, nb_tx = 0, i;

	prog = __atomic_load_n(&rxq->priv->prog, __ATOMIC_ACQUIRE);
	nb_rx = rte_eth_rx_burst(rxq->priv->sub_port_id, rxq->queue_id, pkts,
				 RTE_MIN(nb_pkts, UXDP_RX_BURST_MAX));
	if (likely(nb_rx != 0))
		xdp_buff_burst_init(&buff, rxq);
	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t act;

		xdp_buff_from_mbuf(&buff, m);
		if (unlikely(m->nb_segs > 1) &&
		    xdp_prepare_chain(&buff, m, prog, frags) != 0) {
			rxq->stats.nonlinear_drops++;
			rte_pktmbuf_free(m);
			continue;
		}
		act = uxdp_prog_run(prog, &buff);
		switch (act) {
		case UXDP_PASS:
			xdp_buff_to_mbuf(&buff, m);
			*RTE_MBUF_DYNFIELD(m, rxq->meta_dynfield, uint8_t *) =
				(uint8_t)((uint8_t *)buff.data -
					  (uint8_t *)buff.data_meta);
			pkts[nb_pass++] = m;
			rxq->stats.pass++;
			break;
		case UXDP_TX:
			xdp_buff_to_mbuf(&buff, m);
			tx[nb_tx++] = m;
			break;
		case UXDP_REDIRECT:
			xdp_buff_to_mbuf(&buff, m);
			uxdp_redirect_enqueue(rxq, m, &buff.redirect);
			break;
		case UXDP_DROP:
			rxq->stats.drop++;
			rte_pktmbuf_free(m);
			if (unlikely(buff.frags != NULL))
				xdp_buff_clear_frags(&buff);
			break;
		default:
			/* XDP_ABORTED and unknown verdicts: the kernel's
			 * bpf_warn_invalid_xdp_action() path, a counted drop. */
			rxq->stats.aborted++;
			rte_pktmbuf_free(m);
			if (unlikely(buff.frags != NULL))
				xdp_buff_clear_frags(&buff);
			break;
		}
	}
	/* Helpers failed for lack of mbuf room: counted once per burst. */
	if (nb_rx != 0 && unlikely(buff.room_misses != 0))
		rxq->stats.room_misses += buff.room_misses;
	if (nb_tx != 0)
		flush_xdp_tx(rxq, tx, nb_tx);
	/* The kernel's xdp_do_flush(): redirects leave once per burst. */
	uxdp_redirect_flush(rxq);
	/* This queue is done with prog: a hot swap may free the old one. */
	rte_rcu_qsbr_quiescent(rxq->priv->qsbr, rxq->queue_id);
	return nb_pass;
}

uint16_t
uxdp_tx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct uxdp_txq *txq = queue;
	uint16_t sent;

	if (txq->lock == NULL)
		return rte_eth_tx_burst(txq->priv->sub_port_id, txq->queue_id,
					pkts, nb_pkts);
	rte_spinlock_lock(txq->lock);
	sent = rte_eth_tx_burst(txq->priv->sub_port_id, txq->queue_id, pkts,
				nb_pkts);
	rte_spinlock_unlock(txq->lock);
	return sent;
}
