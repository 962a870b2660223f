/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Hot program swap. The new object is loaded, checked and JIT-compiled off
 * the fast path, sharing the running object's maps that have the same name
 * and definition (their state survives); then one release store of
 * priv->prog switches every RX queue at its next burst (uxdp_rx_burst()
 * loads it with acquire, once per burst, so a burst runs one program from
 * its first packet to its last: no packet is lost or runs twice).
 *
 * The old object (code and the maps only it had) is freed once no burst
 * can still be using it: each RX queue is a QSBR thread (id = queue id)
 * that reports a quiescent state at the end of every burst and is online
 * while the port is started. A swap waits up to SWAP_GRACE_MS for that;
 * a queue nobody polls (the application paused forwarding) keeps the old
 * object in priv->retired until a later swap or /uxdp/info finds every
 * queue moved on, or the port closes. Up to UXDP_SWAP_RETIRED_MAX wait;
 * a swap beyond is refused.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_cycles.h>
#include <rte_malloc.h>

#include "uxdp_ethdev.h"

#define SWAP_GRACE_MS 1000
#define QSBR_THREADS RTE_MAX_QUEUES_PER_PORT

int
uxdp_swap_init(struct pmd_internals *priv)
{
	size_t size = rte_rcu_qsbr_get_memsize(QSBR_THREADS);

	priv->qsbr = rte_zmalloc("uxdp_qsbr", size, RTE_CACHE_LINE_SIZE);
	if (priv->qsbr == NULL)
		return -ENOMEM;
	return rte_rcu_qsbr_init(priv->qsbr, QSBR_THREADS);
}

unsigned int
uxdp_swap_reap(struct pmd_internals *priv)
{
	unsigned int i, kept = 0;

	for (i = 0; i < priv->n_retired; i++) {
		/* Tokens grow: once one is still pending, so are the later
		 * ones, but checking each is cheap and simple. */
		if (rte_rcu_qsbr_check(priv->qsbr, priv->retired_token[i],
				       false) == 1) {
			uxdp_obj_close(priv->retired[i]);
			continue;
		}
		priv->retired[kept] = priv->retired[i];
		priv->retired_token[kept] = priv->retired_token[i];
		kept++;
	}
	priv->n_retired = kept;
	return kept;
}

void
uxdp_swap_fini(struct pmd_internals *priv)
{
	unsigned int i;

	/* Closing: the port is stopped, so no queue runs a program. */
	for (i = 0; i < priv->n_retired; i++)
		uxdp_obj_close(priv->retired[i]);
	priv->n_retired = 0;
	rte_free(priv->qsbr);
	priv->qsbr = NULL;
}

void
uxdp_swap_queues_online(struct rte_eth_dev *dev)
{
	struct pmd_internals *priv = dev->data->dev_private;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		rte_rcu_qsbr_thread_register(priv->qsbr, i);
		rte_rcu_qsbr_thread_online(priv->qsbr, i);
	}
}

void
uxdp_swap_queues_offline(struct rte_eth_dev *dev)
{
	struct pmd_internals *priv = dev->data->dev_private;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		rte_rcu_qsbr_thread_offline(priv->qsbr, i);
		rte_rcu_qsbr_thread_unregister(priv->qsbr, i);
	}
	/* Retired objects are freed by the next swap or /uxdp/info (which
	 * now find every queue offline) or the close: the telemetry
	 * thread may be swapping right now, and owns priv->retired. */
}

static void
report_maps(const struct uxdp_obj *obj, struct uxdp_swap_report *rep)
{
	unsigned int i;

	for (i = 0; i < uxdp_obj_map_count(obj); i++) {
		const char *name =
			uxdp_map_name(uxdp_obj_map_at((struct uxdp_obj *)obj, i));

		if (uxdp_obj_map_is_borrowed(obj, i)) {
			if (rep->n_kept < RTE_DIM(rep->kept))
				rep->kept[rep->n_kept++] = name;
		} else if (rep->n_fresh < RTE_DIM(rep->fresh)) {
			rep->fresh[rep->n_fresh++] = name;
		}
	}
}

int
uxdp_prog_swap(struct pmd_internals *priv, const char *path, const char *sel,
	       struct uxdp_swap_report *rep, char *err, size_t err_len)
{
	const char *dev_name = priv->args.vdev_name;
	struct uxdp_loaded l;
	struct uxdp_obj *old;
	unsigned int waited;
	int ret;

	memset(rep, 0, sizeof(*rep));
	if (uxdp_swap_reap(priv) == UXDP_SWAP_RETIRED_MAX) {
		ret = -EBUSY;
		snprintf(err, err_len, "%u replaced programs are still in use: an RX queue of the started port has not been polled since; poll it or stop the port",
			 UXDP_SWAP_RETIRED_MAX);
		goto fail;
	}
	ret = uxdp_prog_load(&priv->args, dev_name, path, sel, priv->obj, &l,
			     err, err_len);
	if (ret < 0)
		goto fail;
	report_maps(l.obj, rep);

	old = priv->obj;
	uxdp_obj_take_maps(l.obj, old);
	priv->obj = l.obj;
	priv->load_ns = l.load_ns;
	snprintf(priv->prog_path, sizeof(priv->prog_path), "%s", l.path);
	/* The switch: bursts starting after this store run the new program. */
	__atomic_store_n(&priv->prog, l.prog, __ATOMIC_RELEASE);
	priv->retired[priv->n_retired] = old;
	priv->retired_token[priv->n_retired++] = rte_rcu_qsbr_start(priv->qsbr);
	priv->swaps++;
	priv->last_swap_error[0] = '\0';
	for (waited = 0; uxdp_swap_reap(priv) > 0 && waited < SWAP_GRACE_MS;
	     waited++)
		rte_delay_us_sleep(1000);
	rep->old_freed = priv->n_retired == 0;
	UXDP_LOG(NOTICE, "%s: swapped to program %s from %s (%u maps kept, %u fresh)%s",
		 dev_name, uxdp_prog_name(l.prog), path, rep->n_kept,
		 rep->n_fresh, rep->old_freed ? "" :
		 "; the old program is freed once every RX queue is polled again");
	return 0;
fail:
	snprintf(priv->last_swap_error, sizeof(priv->last_swap_error), "%s",
		 err);
	UXDP_LOG(ERR, "%s: swap to %s failed, the running program stays: %s",
		 dev_name, path, err);
	return ret;
}
