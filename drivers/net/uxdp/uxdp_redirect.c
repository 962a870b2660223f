/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * XDP_REDIRECT: the kernel's xdp_do_redirect() and xdp_do_flush() for
 * net_uxdp. The program's helpers recorded a target in the run's buff
 * (lib/uxdp_bpf/helpers_redirect.c); here it becomes a DPDK port and TX
 * queue, the frame (or, for BPF_F_BROADCAST, a copy per devmap entry) is
 * staged per egress port, and the RX burst flushes every stage at its end.
 *
 * The ifindex namespace (README, "Redirect"): ifindex N names the net_uxdp
 * port whose ifindex (ctx->ingress_ifindex: the ifindex= devarg, else the
 * Linux ifindex for iface=, the port id for dev=) is N; failing that, the
 * DPDK port with id N. A net_uxdp port is also reached through the port id
 * of its sub-port. 0 is never a device, as in Linux.
 *
 * Egress queues. A net_uxdp target sends through its sub-port on the XDP
 * TX queue of one of its RX queues (picked by the sending lcore): the
 * queues XDP_TX uses, never the application's (unless the sub-port had
 * too few queues and XDP_TX shares them already). Since other lcores may
 * redirect into the same queue, every XDP TX queue is taken under its
 * lock. A plain port (not net_uxdp, not owned by anyone) belongs to the
 * application, which must leave its last TX queue to uxdp: redirects use
 * queue nb_tx_queues - 1, under a lock per port, and a port with fewer
 * than two TX queues is refused rather than raced on.
 *
 * Devmap programs. A devmap entry may name a program (SEC("xdp/devmap")),
 * which runs on each frame before it leaves, as the kernel's
 * dev_map_bpf_prog_run() does at flush: XDP_PASS sends the frame as the
 * program left it, XDP_DROP frees it (xdp_devmap_drops), and every other
 * verdict is the kernel's warned drop (xdp_devmap_aborted). Like the
 * kernel's per-device bulk queue, a stage keeps the program of the first
 * frame staged for its port and runs it on all the stage's frames. The
 * program's ctx is the kernel's: ingress_ifindex of the receiving port,
 * rx_queue_index 0 (the kernel does not carry the queue over), and
 * egress_ifindex of the port the frame leaves by.
 *
 * Every frame ends sent (xdp_redirect) or freed (xdp_redirect_errors,
 * xdp_devmap_drops, xdp_devmap_aborted); nothing is allocated here but
 * the copies of a broadcast, taken from the frame's own mempool.
 */

#include <errno.h>

#include <ethdev_driver.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>

#include "uxdp_ethdev.h"
#include "uxdp_xdp_mbuf.h"

#ifndef BPF_F_EXCLUDE_INGRESS
#define BPF_F_EXCLUDE_INGRESS (1U << 4)
#endif

/* The net_uxdp port behind each port id: the wrapper's and its sub-port's.
 * Written by the control path at probe and close, read by data paths. */
static struct pmd_internals *uxdp_by_port[RTE_MAX_ETHPORTS];
/* net_uxdp ports whose ifindex is not their port id: only then must a
 * lookup scan the ports for an ifindex. */
static uint32_t n_renamed;
/* Serialises the lcores redirecting into a plain port's last TX queue. */
static rte_spinlock_t plain_txq_lock[RTE_MAX_ETHPORTS] = {
	[0 ... RTE_MAX_ETHPORTS - 1] = RTE_SPINLOCK_INITIALIZER
};

void
uxdp_redirect_register(struct pmd_internals *priv)
{
	__atomic_store_n(&uxdp_by_port[priv->sub_port_id], priv,
			 __ATOMIC_RELEASE);
	__atomic_store_n(&uxdp_by_port[priv->port_id], priv, __ATOMIC_RELEASE);
	if (priv->ingress_ifindex != priv->port_id)
		__atomic_fetch_add(&n_renamed, 1, __ATOMIC_RELEASE);
}

void
uxdp_redirect_unregister(struct pmd_internals *priv)
{
	if (uxdp_by_port[priv->port_id] != priv)
		return;
	if (priv->ingress_ifindex != priv->port_id)
		__atomic_fetch_sub(&n_renamed, 1, __ATOMIC_RELEASE);
	__atomic_store_n(&uxdp_by_port[priv->port_id], NULL, __ATOMIC_RELEASE);
	if (uxdp_by_port[priv->sub_port_id] == priv)
		__atomic_store_n(&uxdp_by_port[priv->sub_port_id], NULL,
				 __ATOMIC_RELEASE);
}

static struct pmd_internals *
uxdp_port(uint32_t port)
{
	return __atomic_load_n(&uxdp_by_port[port], __ATOMIC_ACQUIRE);
}

/* Where a frame leaves. */
struct egress {
	struct pmd_internals *uxdp; /* the net_uxdp target, NULL: plain port */
	uint16_t port;              /* DPDK port transmitted on */
	uint16_t queue;
	rte_spinlock_t *lock;
};

static int
egress_uxdp(struct pmd_internals *t, struct egress *e)
{
	const struct rte_eth_dev_data *d = rte_eth_devices[t->port_id].data;
	unsigned int lcore = rte_lcore_id();
	const struct uxdp_rxq *q;

	if (!d->dev_started || d->nb_rx_queues == 0)
		return -ENETDOWN;
	if (lcore == LCORE_ID_ANY)
		lcore = 0;
	q = d->rx_queues[lcore % d->nb_rx_queues];
	if (q == NULL)
		return -ENETDOWN;
	e->uxdp = t;
	e->port = t->sub_port_id;
	e->queue = q->xdp_txq;
	e->lock = q->xdp_txq_lock;
	return 0;
}

static int
egress_plain(uint16_t port, struct egress *e)
{
	const struct rte_eth_dev_data *d = rte_eth_devices[port].data;

	/* Owned ports (sub-ports of other drivers) are not ours to use. */
	if (d->owner.id != RTE_ETH_DEV_NO_OWNER)
		return -EPERM;
	if (!d->dev_started)
		return -ENETDOWN;
	if (d->nb_tx_queues < 2)
		return -ENOSPC;
	e->uxdp = NULL;
	e->port = port;
	e->queue = d->nb_tx_queues - 1;
	e->lock = &plain_txq_lock[port];
	return 0;
}

/* ifindex -> egress, by the namespace above. */
static int
resolve(uint32_t ifindex, struct egress *e)
{
	struct pmd_internals *t;
	uint32_t p;

	if (ifindex == 0)
		return -ENODEV;
	for (p = 0; __atomic_load_n(&n_renamed, __ATOMIC_ACQUIRE) != 0 &&
	     p < RTE_MAX_ETHPORTS; p++) {
		t = uxdp_port(p);
		if (t != NULL && t->port_id == p &&
		    t->ingress_ifindex == ifindex)
			return egress_uxdp(t, e);
	}
	if (ifindex >= RTE_MAX_ETHPORTS || !rte_eth_dev_is_valid_port(ifindex))
		return -ENODEV;
	t = uxdp_port(ifindex);
	if (t != NULL)
		return egress_uxdp(t, e);
	return egress_plain(ifindex, e);
}

/* Run the stage's devmap program on each of its frames, which it sees
 * as the port's own program does (uxdp_xdp_mbuf.h), with the kernel's
 * devmap ctx: ingress_ifindex of the receiving port, rx_queue_index 0
 * (dev_map_bpf_prog_run() gives only the device), egress_ifindex of the
 * target. Keep those it passes, in order, and free the rest. */
static void
run_devmap_prog(struct uxdp_rxq *rxq, struct uxdp_redirect_bulk *b)
{
	struct uxdp_xdp_frag frags[UXDP_XDP_MAX_FRAGS];
	struct uxdp_xdp_buff x;
	uint16_t i, kept = 0;

	x.frags = NULL;
	x.nr_frags = 0;
	x.frags_len = 0;
	x.room_misses = 0;
	x.ingress_ifindex = rxq->priv->ingress_ifindex;
	x.rx_queue_index = 0;
	x.egress_ifindex = b->egress_ifindex;
	x.mtu = rte_eth_devices[rxq->priv->port_id].data->mtu;
	for (i = 0; i < b->n; i++) {
		struct rte_mbuf *m = b->pkts[i];
		uint32_t act;

		uxdp_xdp_buff_from_mbuf(&x, m);
		if (unlikely(m->nb_segs > 1) &&
		    uxdp_xdp_prepare_chain(&x, m, b->prog, frags) != 0) {
			rxq->stats.nonlinear_drops++;
			rte_pktmbuf_free(m);
			continue;
		}
		act = uxdp_prog_run(b->prog, &x);
		rxq->stats.devmap_runs++;
		if (likely(act == UXDP_PASS)) {
			uxdp_xdp_buff_to_mbuf(&x, m);
			b->pkts[kept++] = m;
			continue;
		}
		if (act == UXDP_DROP)
			rxq->stats.devmap_drops++;
		else
			rxq->stats.devmap_aborted++;
		rte_pktmbuf_free(m);
		if (unlikely(x.frags != NULL))
			uxdp_xdp_buff_clear_frags(&x);
	}
	rxq->stats.room_misses += x.room_misses;
	b->n = kept;
}

static void
flush_bulk(struct uxdp_rxq *rxq, struct uxdp_redirect_bulk *b)
{
	uint16_t sent;

	if (b->prog != NULL) {
		run_devmap_prog(rxq, b);
		if (b->n == 0)
			return;
	}

	rte_spinlock_lock(b->lock);
	sent = rte_eth_tx_burst(b->port, b->queue, b->pkts, b->n);
	rte_spinlock_unlock(b->lock);
	rxq->stats.redirect += sent;
	if (unlikely(sent < b->n)) {
		rxq->stats.redirect_errors += b->n - sent;
		rte_pktmbuf_free_bulk(b->pkts + sent, b->n - sent);
	}
	b->n = 0;
}

void
uxdp_redirect_flush(struct uxdp_rxq *rxq)
{
	struct uxdp_redirect_stage *s = rxq->redirect;
	unsigned int i;

	for (i = 0; i < s->n_bulks; i++)
		if (s->bulks[i].n != 0)
			flush_bulk(rxq, &s->bulks[i]);
	s->n_bulks = 0;
}

static void
drop(struct uxdp_rxq *rxq, struct rte_mbuf *m)
{
	rxq->stats.redirect_errors++;
	rte_pktmbuf_free(m);
}

/* Stage m for e's port; prog_id names the devmap program of its entry
 * (0: none), resolved only when m opens the stage: later frames run the
 * stage's program, as in the kernel's bulk queue. A program freed while
 * its entry stayed (possible only with maps shared between objects) must
 * not let the frame leave unfiltered: a redirect error. */
static void
stage(struct uxdp_rxq *rxq, const struct egress *e, struct rte_mbuf *m,
      uint32_t prog_id)
{
	struct uxdp_redirect_stage *s = rxq->redirect;
	struct uxdp_redirect_bulk *b = NULL;
	unsigned int i;

	for (i = 0; i < s->n_bulks; i++) {
		if (s->bulks[i].port == e->port) {
			b = &s->bulks[i];
			break;
		}
	}
	if (b == NULL) {
		const struct uxdp_prog *prog = NULL;

		if (prog_id != 0) {
			prog = uxdp_id_lookup(prog_id, UXDP_ID_PROG);
			if (unlikely(prog == NULL)) {
				drop(rxq, m);
				return;
			}
		}
		/* More egress ports in one burst than stages: send early. */
		if (s->n_bulks == UXDP_REDIRECT_BULKS)
			uxdp_redirect_flush(rxq);
		b = &s->bulks[s->n_bulks++];
		b->port = e->port;
		b->queue = e->queue;
		b->lock = e->lock;
		b->n = 0;
		b->prog = prog;
		b->egress_ifindex = e->uxdp != NULL ?
			e->uxdp->ingress_ifindex : e->port;
	}
	b->pkts[b->n++] = m;
	if (b->n == RTE_DIM(b->pkts))
		flush_bulk(rxq, b);
}

/* BPF_F_BROADCAST: a frame to every entry of the devmap (the kernel's
 * dev_map_enqueue_multi()), the ingress port left out with
 * BPF_F_EXCLUDE_INGRESS; one copy per entry, the last entry gets m. */
static void
enqueue_multi(struct uxdp_rxq *rxq, struct rte_mbuf *m,
	      const struct uxdp_redirect *ri)
{
	const struct uxdp_map_def *def = uxdp_map_get_def(ri->map);
	struct egress targets[UXDP_REDIRECT_MULTI_MAX];
	uint32_t prog_ids[UXDP_REDIRECT_MULTI_MAX];
	uint32_t key, *prev = NULL, n = 0, i, walked;
	bool exclude = (ri->flags & BPF_F_EXCLUDE_INGRESS) != 0;

	/* At most max_entries steps: a hash walk restarts when the control
	 * plane deletes the key it stands on, and must still end. */
	for (walked = 0; walked < def->max_entries &&
	     uxdp_map_get_next_key(ri->map, prev, &key) == 0; walked++) {
		const uint32_t *v = uxdp_map_lookup(ri->map, &key);
		struct egress e;

		prev = &key;
		if (v == NULL)
			continue;
		if (resolve(*v, &e) < 0) {
			/* An entry that names no usable port: that copy is
			 * lost, the others still go. */
			rxq->stats.redirect_errors++;
			continue;
		}
		if (exclude && e.uxdp == rxq->priv)
			continue;
		if (n == RTE_DIM(targets)) {
			rxq->stats.redirect_errors++;
			continue;
		}
		/* The entry's program: {ifindex, program id} in every
		 * devmap. */
		prog_ids[n] = v[1];
		targets[n++] = e;
	}
	if (n == 0) {
		/* Nowhere to go: the kernel frees the frame silently; uxdp
		 * counts it so that every frame shows in a counter. */
		drop(rxq, m);
		return;
	}
	for (i = 0; i + 1 < n; i++) {
		struct rte_mbuf *c = rte_pktmbuf_copy(m, m->pool, 0, UINT32_MAX);

		if (c == NULL)
			rxq->stats.redirect_errors++;
		else
			stage(rxq, &targets[i], c, prog_ids[i]);
	}
	stage(rxq, &targets[n - 1], m, prog_ids[n - 1]);
}

void
uxdp_redirect_enqueue(struct uxdp_rxq *rxq, struct rte_mbuf *m,
		      const struct uxdp_redirect *ri)
{
	struct egress e;

	switch (ri->kind) {
	case UXDP_REDIRECT_IFINDEX:
	case UXDP_REDIRECT_DEVMAP:
		if (resolve(ri->ifindex, &e) < 0) {
			drop(rxq, m);
			return;
		}
		stage(rxq, &e, m, ri->kind == UXDP_REDIRECT_DEVMAP ?
		      ri->prog_id : 0);
		return;
	case UXDP_REDIRECT_MULTI:
		enqueue_multi(rxq, m, ri);
		return;
	default:
		/* XDP_REDIRECT without a helper call: the kernel's -EBADRQC. */
		drop(rxq, m);
		return;
	}
}
