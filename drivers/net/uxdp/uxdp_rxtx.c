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

		uxdp_xdp_buff_from_mbuf(&buff, m);
		if (unlikely(m->nb_segs > 1) &&
		    uxdp_xdp_prepare_chain(&buff, m, prog, frags) != 0) {
			rxq->stats.nonlinear_drops++;
			rte_pktmbuf_free(m);
			continue;
		}
		act = uxdp_prog_run(prog, &buff);
		switch (act) {
		case UXDP_PASS:
			uxdp_xdp_buff_to_mbuf(&buff, m);
			*RTE_MBUF_DYNFIELD(m, rxq->meta_dynfield, uint8_t *) =
				(uint8_t)((uint8_t *)buff.data -
					  (uint8_t *)buff.data_meta);
			pkts[nb_pass++] = m;
			rxq->stats.pass++;
			break;
		case UXDP_TX:
			uxdp_xdp_buff_to_mbuf(&buff, m);
			tx[nb_tx++] = m;
			break;
		case UXDP_REDIRECT:
			uxdp_xdp_buff_to_mbuf(&buff, m);
			uxdp_redirect_enqueue(rxq, m, &buff.redirect);
			break;
		case UXDP_DROP:
			rxq->stats.drop++;
			rte_pktmbuf_free(m);
			if (unlikely(buff.frags != NULL))
				uxdp_xdp_buff_clear_frags(&buff);
			break;
		default:
			/* XDP_ABORTED and unknown verdicts: the kernel's
			 * bpf_warn_invalid_xdp_action() path, a counted drop. */
			rxq->stats.aborted++;
			rte_pktmbuf_free(m);
			if (unlikely(buff.frags != NULL))
				uxdp_xdp_buff_clear_frags(&buff);
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
