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

/* Describe an mbuf to the engine. Linux's geometry rules apply: data can
 * grow into the headroom down to the struct xdp_frame reserve, and the tail
 * can grow to the end of the buffer but not past what a 4 KiB kernel frame
 * allows, so a program sees the same limits as in the kernel. */
static inline void
xdp_buff_from_mbuf(struct uxdp_xdp_buff *b, struct rte_mbuf *m,
		   const struct uxdp_rxq *rxq)
{
	uint8_t *hard_start = m->buf_addr;
	uint8_t *data = rte_pktmbuf_mtod(m, uint8_t *);
	uint32_t limit = RTE_MIN((uint32_t)m->buf_len,
				 (uint32_t)(UXDP_XDP_FRAME_SIZE - UXDP_XDP_TAILROOM));

	b->data_hard_start = hard_start;
	b->data_hard_end = hard_start + limit;
	b->data = data;
	b->data_meta = data;
	b->data_end = data + m->data_len;
	b->ingress_ifindex = rxq->priv->ingress_ifindex;
	b->rx_queue_index = rxq->queue_id;
	b->egress_ifindex = 0;
	/* The wrapper's MTU, which ethdev keeps in step with set_mtu. */
	b->mtu = rte_eth_devices[rxq->priv->port_id].data->mtu;
}

/* Write head/tail moves back into the (single-segment) mbuf. */
static inline void
xdp_buff_to_mbuf(const struct uxdp_xdp_buff *b, struct rte_mbuf *m)
{
	uint16_t len = (uint16_t)((uint8_t *)b->data_end - (uint8_t *)b->data);

	m->data_off = (uint16_t)((uint8_t *)b->data - (uint8_t *)m->buf_addr);
	m->data_len = len;
	m->pkt_len = len;
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
	struct uxdp_xdp_buff buff;
	uint16_t nb_rx, nb_pass = 0, nb_tx = 0, i;

	prog = __atomic_load_n(&rxq->priv->prog, __ATOMIC_ACQUIRE);
	nb_rx = rte_eth_rx_burst(rxq->priv->sub_port_id, rxq->queue_id, pkts,
				 RTE_MIN(nb_pkts, UXDP_RX_BURST_MAX));
	for (i = 0; i < nb_rx; i++) {
		struct rte_mbuf *m = pkts[i];
		uint32_t act;

		/* Until multi-buffer XDP lands, a program sees one contiguous
		 * buffer: linearise when the first segment has room. */
		if (unlikely(m->nb_segs > 1) && rte_pktmbuf_linearize(m) != 0) {
			rxq->stats.nonlinear_drops++;
			rte_pktmbuf_free(m);
			continue;
		}
		xdp_buff_from_mbuf(&buff, m, rxq);
		act = uxdp_prog_run(prog, &buff);
		switch (act) {
		case UXDP_PASS:
			xdp_buff_to_mbuf(&buff, m);
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
			break;
		default:
			/* XDP_ABORTED and unknown verdicts: the kernel's
			 * bpf_warn_invalid_xdp_action() path, a counted drop. */
			rxq->stats.aborted++;
			rte_pktmbuf_free(m);
			break;
		}
	}
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
