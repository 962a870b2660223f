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
#include "uxdp_xdp_mbuf.h"

/* What every packet of a burst shares: the program cannot write these
 * (xdp_md's ifindex and queue fields are read-only), and frags are only
 * set for a chain, then cleared again (uxdp_xdp_buff_to_mbuf). */
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

/* What one RX burst gathers before it ends: frames for XDP_TX, frames to
 * free (XDP_DROP, XDP_ABORTED, chains that cannot run), freed in one bulk,
 * and the verdict counts other than XDP_PASS, added to the queue's
 * counters once per burst rather than per packet. */
struct rx_burst_out {
	uint16_t nb_tx;
	uint16_t nb_free;
	uint16_t drop;
	uint16_t aborted;
	struct rte_mbuf *tx[UXDP_RX_BURST_MAX];
	struct rte_mbuf *free[UXDP_RX_BURST_MAX];
};

/* XDP_DROP and XDP_ABORTED: the frame is freed with the burst's others. A
 * chain's fragments need no write-back, the buff is linear again. */
static inline void
rx_free(struct rx_burst_out *out, struct uxdp_xdp_buff *buff,
	struct rte_mbuf *m)
{
	out->free[out->nb_free++] = m;
	if (unlikely(buff->frags != NULL))
		uxdp_xdp_buff_clear_frags(buff);
}

/* Every verdict but XDP_PASS and XDP_DROP, out of line: a port that passes
 * or drops most of its traffic keeps a small loop. */
static __rte_noinline void
rx_verdict_other(struct uxdp_rxq *rxq, struct rx_burst_out *out,
		 struct uxdp_xdp_buff *buff, struct rte_mbuf *m, uint32_t act)
{
	switch (act) {
	case UXDP_TX:
		uxdp_xdp_buff_to_mbuf(buff, m);
		out->tx[out->nb_tx++] = m;
		break;
	case UXDP_REDIRECT:
		uxdp_xdp_buff_to_mbuf(buff, m);
		uxdp_redirect_enqueue(rxq, m, &buff->redirect);
		break;
	default:
		/* XDP_ABORTED and unknown verdicts: the kernel's
		 * bpf_warn_invalid_xdp_action() path, a counted drop. */
		out->aborted++;
		rx_free(out, buff, m);
		break;
	}
}

/* Whether a net_uxdp RX queue of this process has ever passed a packet
 * with metadata. Until one has, the metadata length field of every mbuf
 * is still the 0 that rte_pktmbuf_init() gave it: only net_uxdp writes
 * the field, and only in the primary process (probe refuses secondaries).
 * So a pass without metadata writes the field only once this is set,
 * sparing a store per packet to the mbuf's second cache line. */
static bool meta_written;

/* XDP_PASS, the common verdict, inline. The mbuf is written only where the
 * program moved the packet's head or tail (or has fragments), and the
 * metadata length only when it is not 0 or a recycled mbuf may hold an
 * old one (meta_written). */
static inline void
rx_pass(struct uxdp_xdp_buff *buff, struct rte_mbuf *m, int meta_off,
	bool *meta_dirty)
{
	uint8_t *data = rte_pktmbuf_mtod(m, uint8_t *);
	uint8_t meta_len;

	if (unlikely(buff->data != data ||
		     buff->data_end != data + m->data_len ||
		     m->pkt_len != m->data_len || buff->frags != NULL))
		uxdp_xdp_buff_to_mbuf(buff, m);
	meta_len = (uint8_t)((uint8_t *)buff->data -
			     (uint8_t *)buff->data_meta);
	if (unlikely(meta_len != 0) && !*meta_dirty) {
		/* Before the first non-zero length leaves: a queue that later
		 * receives this mbuf again reads the flag after receiving it,
		 * so it sees the flag set. */
		__atomic_store_n(&meta_written, true, __ATOMIC_RELEASE);
		*meta_dirty = true;
	}
	if (*meta_dirty)
		*RTE_MBUF_DYNFIELD(m, meta_off, uint8_t *) = meta_len;
}

uint16_t
uxdp_rx_burst(void *queue, struct rte_mbuf **pkts, uint16_t nb_pkts)
{
	struct uxdp_rxq *rxq = queue;
	const struct uxdp_prog *prog;
	struct uxdp_xdp_frag frags[UXDP_XDP_MAX_FRAGS];
	struct uxdp_xdp_buff buff;
	struct rx_burst_out out;
	uint16_t nb_rx, nb_pass = 0, nonlinear = 0, i;
	bool meta_dirty;
	int meta_off;

	prog = __atomic_load_n(&rxq->priv->prog, __ATOMIC_ACQUIRE);
	nb_rx = rte_eth_rx_burst(rxq->priv->sub_port_id, rxq->queue_id, pkts,
				 RTE_MIN(nb_pkts, UXDP_RX_BURST_MAX));
	if (nb_rx == 0)
		goto quiescent;
	xdp_buff_burst_init(&buff, rxq);
	meta_off = rxq->meta_dynfield;
	/* After the sub-port's RX: mbufs a pass with metadata released reach
	 * this queue through the mempool, whose ring orders the flag's store
	 * before them. */
	meta_dirty = __atomic_load_n(&meta_written, __ATOMIC_ACQUIRE);
	out.nb_tx = 0;
	out.nb_free = 0;
	out.drop = 0;
	out.aborted = 0;
	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t act;

		uxdp_xdp_buff_from_mbuf(&buff, m);
		if (unlikely(m->nb_segs > 1) &&
		    uxdp_xdp_prepare_chain(&buff, m, prog, frags) != 0) {
			nonlinear++;
			out.free[out.nb_free++] = m;
			continue;
		}
		/* uxdp_prog_run() without its extra call frame. */
		act = (uint32_t)uxdp_prog_run_r0(prog, &buff);
		if (likely(act == UXDP_PASS)) {
			rx_pass(&buff, m, meta_off, &meta_dirty);
			/* Passed mbufs close up at the front of pkts; until a
			 * packet did not pass, each is already in its slot. */
			if (unlikely(nb_pass != i))
				pkts[nb_pass] = m;
			nb_pass++;
			continue;
		}
		if (act == UXDP_DROP) {
			out.drop++;
			rx_free(&out, &buff, m);
			continue;
		}
		rx_verdict_other(rxq, &out, &buff, m, act);
	}
	rxq->stats.pass += nb_pass;
	if (unlikely(nb_pass != nb_rx)) {
		rxq->stats.drop += out.drop;
		rxq->stats.aborted += out.aborted;
		rxq->stats.nonlinear_drops += nonlinear;
		if (out.nb_tx != 0)
			flush_xdp_tx(rxq, out.tx, out.nb_tx);
		if (out.nb_free != 0)
			rte_pktmbuf_free_bulk(out.free, out.nb_free);
	}
	/* Helpers failed for lack of mbuf room: counted once per burst. */
	if (unlikely(buff.room_misses != 0))
		rxq->stats.room_misses += buff.room_misses;
	/* The kernel's xdp_do_flush(): redirects leave once per burst. */
	uxdp_redirect_flush(rxq);
quiescent:
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
