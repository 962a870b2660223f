/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Control-path operations: forwarded to the sub-port through the public
 * rte_eth_* API (the sub-port is a port like any other, merely owned).
 *
 * XDP_TX needs a TX queue the application does not use, because DPDK TX
 * queues are not thread-safe. When the sub-port has enough TX queues it gets
 * one extra queue per RX queue (queue nb_app_txq + rxq); otherwise XDP_TX
 * shares the application's queue rxq % nb_app_txq under a lock that the
 * application's tx_burst then takes too.
 */

#include <errno.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_malloc.h>
#include <bus_vdev_driver.h>

#include "uxdp_ethdev.h"

static struct pmd_internals *
priv_of(struct rte_eth_dev *dev)
{
	return dev->data->dev_private;
}

static int
uxdp_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct pmd_internals *priv = priv_of(dev);
	struct rte_eth_dev_info sub;
	int ret;

	ret = rte_eth_dev_info_get(priv->sub_port_id, &sub);
	if (ret != 0)
		return ret;
	info->max_rx_queues = sub.max_rx_queues;
	info->max_tx_queues = sub.max_tx_queues;
	info->min_rx_bufsize = sub.min_rx_bufsize;
	info->max_rx_pktlen = sub.max_rx_pktlen;
	info->max_lro_pkt_size = sub.max_lro_pkt_size;
	info->min_mtu = sub.min_mtu;
	info->max_mtu = sub.max_mtu;
	info->max_mac_addrs = 1;
	info->rx_offload_capa = sub.rx_offload_capa;
	info->tx_offload_capa = sub.tx_offload_capa;
	info->rx_queue_offload_capa = sub.rx_queue_offload_capa;
	info->tx_queue_offload_capa = sub.tx_queue_offload_capa;
	info->reta_size = sub.reta_size;
	info->hash_key_size = sub.hash_key_size;
	info->flow_type_rss_offloads = sub.flow_type_rss_offloads;
	info->default_rxconf = sub.default_rxconf;
	info->default_txconf = sub.default_txconf;
	info->rx_desc_lim = sub.rx_desc_lim;
	info->tx_desc_lim = sub.tx_desc_lim;
	info->default_rxportconf = sub.default_rxportconf;
	info->default_txportconf = sub.default_txportconf;
	info->speed_capa = sub.speed_capa;
	return 0;
}

static int
uxdp_dev_configure(struct rte_eth_dev *dev)
{
	struct pmd_internals *priv = priv_of(dev);
	uint16_t nb_rxq = dev->data->nb_rx_queues;
	uint16_t nb_txq = dev->data->nb_tx_queues;
	struct rte_eth_dev_info sub;
	uint16_t sub_txq;
	int ret;

	ret = rte_eth_dev_info_get(priv->sub_port_id, &sub);
	if (ret != 0)
		return ret;
	if ((uint32_t)nb_txq + nb_rxq <= sub.max_tx_queues || nb_txq == 0) {
		priv->xdp_tx_shared = false;
		sub_txq = nb_txq + nb_rxq;
	} else {
		priv->xdp_tx_shared = true;
		sub_txq = nb_txq;
		UXDP_LOG(NOTICE, "port %u: %s has %u TX queues, not %u: XDP_TX shares the application's TX queues under a lock",
			 priv->port_id, priv->sub_name, sub.max_tx_queues,
			 nb_txq + nb_rxq);
	}
	priv->nb_app_txq = nb_txq;
	ret = rte_eth_dev_configure(priv->sub_port_id, nb_rxq, sub_txq,
				    &dev->data->dev_conf);
	if (ret != 0)
		UXDP_LOG(ERR, "port %u: configuring %s with %u RX / %u TX queues failed: %s",
			 priv->port_id, priv->sub_name, nb_rxq, sub_txq,
			 rte_strerror(-ret));
	return ret;
}

static int
uxdp_dev_start(struct rte_eth_dev *dev)
{
	struct pmd_internals *priv = priv_of(dev);
	struct rte_eth_link link;
	uint16_t i;
	int ret;

	ret = rte_eth_dev_start(priv->sub_port_id);
	if (ret != 0)
		return ret;
	if (rte_eth_link_get_nowait(priv->sub_port_id, &link) == 0)
		rte_eth_linkstatus_set(dev, &link);
	uxdp_swap_queues_online(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	return 0;
}

static int
uxdp_dev_stop(struct rte_eth_dev *dev)
{
	struct pmd_internals *priv = priv_of(dev);
	struct rte_eth_link link = { .link_status = RTE_ETH_LINK_DOWN };
	uint16_t i;
	int ret;

	ret = rte_eth_dev_stop(priv->sub_port_id);
	rte_eth_linkstatus_set(dev, &link);
	uxdp_swap_queues_offline(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	return ret;
}

static void
free_rxq(struct uxdp_rxq *rxq)
{
	if (rxq != NULL)
		rte_free(rxq->redirect);
	rte_free(rxq);
}

static void
uxdp_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	free_rxq(dev->data->rx_queues[qid]);
	dev->data->rx_queues[qid] = NULL;
}

static void
uxdp_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	rte_free(dev->data->tx_queues[qid]);
	dev->data->tx_queues[qid] = NULL;
}

/* The dedicated XDP_TX queue of an RX queue lives only on the sub-port. */
static int
setup_xdp_txq(struct pmd_internals *priv, struct uxdp_rxq *rxq,
	      unsigned int socket_id)
{
	uint16_t nb_app_txq = priv->nb_app_txq;
	int ret;

	/* Locked in both cases: lcores redirecting into this port send
	 * through the same queues (uxdp_redirect.c). */
	if (priv->xdp_tx_shared) {
		rxq->xdp_txq = rxq->queue_id % nb_app_txq;
		rxq->xdp_txq_lock = &priv->txq_lock[rxq->xdp_txq];
		return 0;
	}
	rxq->xdp_txq = nb_app_txq + rxq->queue_id;
	rxq->xdp_txq_lock = &priv->txq_lock[rxq->xdp_txq];
	/* 0 descriptors: the sub-port's preferred ring size. */
	ret = rte_eth_tx_queue_setup(priv->sub_port_id, rxq->xdp_txq, 0,
				     socket_id, NULL);
	if (ret != 0)
		UXDP_LOG(ERR, "port %u: XDP_TX queue %u on %s: %s",
			 priv->port_id, rxq->xdp_txq, priv->sub_name,
			 rte_strerror(-ret));
	return ret;
}

static int
uxdp_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		    unsigned int socket_id, const struct rte_eth_rxconf *conf,
		    struct rte_mempool *mp)
{
	struct pmd_internals *priv = priv_of(dev);
	struct uxdp_rxq *rxq;
	int ret;

	ret = rte_eth_rx_queue_setup(priv->sub_port_id, qid, nb_desc,
				     socket_id, conf, mp);
	if (ret != 0)
		return ret;
	rxq = rte_zmalloc_socket("uxdp_rxq", sizeof(*rxq), RTE_CACHE_LINE_SIZE,
				 socket_id);
	if (rxq == NULL)
		return -ENOMEM;
	rxq->priv = priv;
	rxq->queue_id = qid;
	rxq->meta_dynfield = uxdp_meta_dynfield_register();
	if (rxq->meta_dynfield < 0) {
		ret = rxq->meta_dynfield;
		rte_free(rxq);
		return ret;
	}
	/* The redirect stages: allocated here so that the burst allocates
	 * nothing. */
	rxq->redirect = rte_zmalloc_socket("uxdp_redirect",
					   sizeof(*rxq->redirect),
					   RTE_CACHE_LINE_SIZE, socket_id);
	if (rxq->redirect == NULL) {
		rte_free(rxq);
		return -ENOMEM;
	}
	ret = setup_xdp_txq(priv, rxq, socket_id);
	if (ret != 0) {
		free_rxq(rxq);
		return ret;
	}
	free_rxq(dev->data->rx_queues[qid]);
	dev->data->rx_queues[qid] = rxq;
	return 0;
}

static int
uxdp_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		    unsigned int socket_id, const struct rte_eth_txconf *conf)
{
	struct pmd_internals *priv = priv_of(dev);
	struct uxdp_txq *txq;
	int ret;

	ret = rte_eth_tx_queue_setup(priv->sub_port_id, qid, nb_desc,
				     socket_id, conf);
	if (ret != 0)
		return ret;
	txq = rte_zmalloc_socket("uxdp_txq", sizeof(*txq), RTE_CACHE_LINE_SIZE,
				 socket_id);
	if (txq == NULL)
		return -ENOMEM;
	txq->priv = priv;
	txq->queue_id = qid;
	txq->lock = priv->xdp_tx_shared ? &priv->txq_lock[qid] : NULL;
	rte_free(dev->data->tx_queues[qid]);
	dev->data->tx_queues[qid] = txq;
	return 0;
}

/* Give the sub-port back: stop and close it, drop ownership, and remove the
 * device when we created it. Safe to call on a half-built port. */
void
uxdp_release_sub(struct pmd_internals *priv)
{
	bool owned = priv->owner.id != RTE_ETH_DEV_NO_OWNER;

	if (owned && rte_eth_dev_is_valid_port(priv->sub_port_id)) {
		rte_eth_dev_stop(priv->sub_port_id);
		rte_eth_dev_close(priv->sub_port_id);
	}
	if (owned)
		rte_eth_dev_owner_delete(priv->owner.id);
	priv->owner.id = RTE_ETH_DEV_NO_OWNER;
	if (priv->sub_created) {
		rte_vdev_uninit(priv->sub_name);
		priv->sub_created = false;
	}
}

static int
uxdp_dev_close(struct rte_eth_dev *dev)
{
	struct pmd_internals *priv = priv_of(dev);
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return 0;
	uxdp_registry_remove(priv);
	uxdp_redirect_unregister(priv);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		uxdp_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		uxdp_tx_queue_release(dev, i);
	uxdp_release_sub(priv);
	__atomic_store_n(&priv->prog, NULL, __ATOMIC_RELEASE);
	uxdp_swap_fini(priv);
	uxdp_obj_close(priv->obj);
	priv->obj = NULL;
	/* mac_addrs is freed by ethdev when the port is released. */
	return 0;
}

static int
uxdp_link_update(struct rte_eth_dev *dev, int wait_to_complete)
{
	struct pmd_internals *priv = priv_of(dev);
	struct rte_eth_link link;
	int ret;

	ret = wait_to_complete ?
		rte_eth_link_get(priv->sub_port_id, &link) :
		rte_eth_link_get_nowait(priv->sub_port_id, &link);
	if (ret != 0)
		return ret;
	return rte_eth_linkstatus_set(dev, &link);
}

static int
uxdp_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *stats)
{
	/* Like a kernel NIC's counters: everything the sub-port received and
	 * sent, whatever the program decided; verdicts are in the xstats. */
	return rte_eth_stats_get(priv_of(dev)->sub_port_id, stats);
}

static int
uxdp_stats_reset(struct rte_eth_dev *dev)
{
	uxdp_xstats_reset(dev);
	return rte_eth_stats_reset(priv_of(dev)->sub_port_id);
}

static int
uxdp_promiscuous_enable(struct rte_eth_dev *dev)
{
	return rte_eth_promiscuous_enable(priv_of(dev)->sub_port_id);
}

static int
uxdp_promiscuous_disable(struct rte_eth_dev *dev)
{
	return rte_eth_promiscuous_disable(priv_of(dev)->sub_port_id);
}

static int
uxdp_allmulticast_enable(struct rte_eth_dev *dev)
{
	return rte_eth_allmulticast_enable(priv_of(dev)->sub_port_id);
}

static int
uxdp_allmulticast_disable(struct rte_eth_dev *dev)
{
	return rte_eth_allmulticast_disable(priv_of(dev)->sub_port_id);
}

static int
uxdp_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	return rte_eth_dev_set_mtu(priv_of(dev)->sub_port_id, mtu);
}

static int
uxdp_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *addr)
{
	return rte_eth_dev_default_mac_addr_set(priv_of(dev)->sub_port_id, addr);
}

const struct eth_dev_ops uxdp_dev_ops = {
	.dev_configure = uxdp_dev_configure,
	.dev_start = uxdp_dev_start,
	.dev_stop = uxdp_dev_stop,
	.dev_close = uxdp_dev_close,
	.dev_infos_get = uxdp_dev_infos_get,
	.rx_queue_setup = uxdp_rx_queue_setup,
	.tx_queue_setup = uxdp_tx_queue_setup,
	.rx_queue_release = uxdp_rx_queue_release,
	.tx_queue_release = uxdp_tx_queue_release,
	.link_update = uxdp_link_update,
	.stats_get = uxdp_stats_get,
	.stats_reset = uxdp_stats_reset,
	.xstats_get = uxdp_xstats_get,
	.xstats_get_names = uxdp_xstats_get_names,
	.xstats_reset = uxdp_xstats_reset,
	.promiscuous_enable = uxdp_promiscuous_enable,
	.promiscuous_disable = uxdp_promiscuous_disable,
	.allmulticast_enable = uxdp_allmulticast_enable,
	.allmulticast_disable = uxdp_allmulticast_disable,
	.mtu_set = uxdp_mtu_set,
	.mac_addr_set = uxdp_mac_addr_set,
};
