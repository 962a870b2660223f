/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * net_uxdp probe and remove. The wrapper port owns one sub-port (an existing
 * DPDK device named by dev=, or a net_af_xdp device it creates on iface=),
 * hides it from RTE_ETH_FOREACH_DEV through ethdev ownership, and runs an XDP
 * program on everything the sub-port receives.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>
#include <linux/bpf.h>

#include <bus_vdev_driver.h>
#include <ethdev_driver.h>
#include <ethdev_vdev.h>
#include <rte_malloc.h>

#include "uxdp_ethdev.h"

RTE_LOG_REGISTER(uxdp_logtype, pmd.net.uxdp, NOTICE);

#define AF_XDP_DRIVER "net_af_xdp"

static int
load_program(struct pmd_internals *priv, const char *dev_name)
{
	struct uxdp_loaded l;
	char err[UXDP_ERR_MAX + PATH_MAX];
	int ret;

	ret = uxdp_prog_load(&priv->args, dev_name, priv->args.prog, NULL,
			     NULL, &l, err, sizeof(err));
	if (ret < 0) {
		UXDP_LOG(ERR, "%s: %s", dev_name, err);
		return ret;
	}
	priv->obj = l.obj;
	priv->prog = l.prog;
	priv->load_ns = l.load_ns;
	snprintf(priv->prog_path, sizeof(priv->prog_path), "%s", l.path);
	if (priv->args.n_consts > 0)
		UXDP_LOG(INFO, "%s: %u const= setting(s) applied to %s",
			 dev_name, priv->args.n_consts, priv->args.prog);
	UXDP_LOG(INFO, "%s: program %s (section %s, %u insns, verify=%s) from %s",
		 dev_name, uxdp_prog_name(priv->prog),
		 uxdp_prog_section(priv->prog),
		 uxdp_prog_insn_count(priv->prog),
		 uxdp_verify_name(uxdp_prog_verify(priv->prog)),
		 priv->args.prog);
	if (uxdp_prog_engine(priv->prog) == UXDP_ENGINE_JIT)
		UXDP_LOG(INFO, "%s: program %s JIT-compiled in %.3f ms",
			 dev_name, uxdp_prog_name(priv->prog),
			 uxdp_prog_jit_ns(priv->prog) / 1e6);
	return 0;
}

/* iface=: create a net_af_xdp sub-device on the Linux netdev. */
static int
create_af_xdp_sub(struct pmd_internals *priv, const char *dev_name)
{
	const struct uxdp_devargs *a = &priv->args;
	char params[128];
	int ret;

	if (if_nametoindex(a->iface) == 0) {
		UXDP_LOG(ERR, "%s: iface=%s: no such Linux network interface",
			 dev_name, a->iface);
		return -ENODEV;
	}
	snprintf(priv->sub_name, sizeof(priv->sub_name), "%s_%s",
		 AF_XDP_DRIVER, dev_name);
	snprintf(params, sizeof(params), "iface=%s,start_queue=%u,queue_count=%u",
		 a->iface, a->start_queue, a->queue_count);
	ret = rte_vdev_init(priv->sub_name, params);
	if (ret < 0) {
		UXDP_LOG(ERR, "%s: cannot create %s on iface=%s (%s); is the net_af_xdp PMD available?",
			 dev_name, priv->sub_name, a->iface, rte_strerror(-ret));
		return ret;
	}
	priv->sub_created = true;
	return 0;
}

static int
attach_sub(struct pmd_internals *priv, const char *dev_name)
{
	const struct uxdp_devargs *a = &priv->args;
	uint16_t sub;
	int ret;

	if (a->iface[0] != '\0') {
		ret = create_af_xdp_sub(priv, dev_name);
		if (ret < 0)
			return ret;
	} else {
		snprintf(priv->sub_name, sizeof(priv->sub_name), "%s", a->dev);
	}
	if (rte_eth_dev_get_port_by_name(priv->sub_name, &sub) != 0) {
		UXDP_LOG(ERR, "%s: dev=%s: no such DPDK port; give it with --vdev or -a before %s",
			 dev_name, priv->sub_name, dev_name);
		return -ENODEV;
	}
	if (sub == priv->port_id) {
		UXDP_LOG(ERR, "%s: dev= cannot name the port itself", dev_name);
		return -EINVAL;
	}
	ret = rte_eth_dev_owner_new(&priv->owner.id);
	if (ret == 0) {
		snprintf(priv->owner.name, sizeof(priv->owner.name), "%s", dev_name);
		ret = rte_eth_dev_owner_set(sub, &priv->owner);
	}
	if (ret != 0) {
		UXDP_LOG(ERR, "%s: cannot take ownership of %s (port %u): %s; is it owned by another device?",
			 dev_name, priv->sub_name, sub, rte_strerror(-ret));
		priv->owner.id = RTE_ETH_DEV_NO_OWNER;
		return ret;
	}
	priv->sub_port_id = sub;
	if (a->ifindex >= 0)
		priv->ingress_ifindex = (uint32_t)a->ifindex;
	else if (a->iface[0] != '\0')
		priv->ingress_ifindex = if_nametoindex(a->iface);
	else
		priv->ingress_ifindex = priv->port_id;
	return 0;
}

static int
init_port_data(struct rte_eth_dev *dev, struct pmd_internals *priv)
{
	struct rte_ether_addr *mac;
	struct rte_eth_link link;

	/* ethdev frees mac_addrs on close: it must not be private data. */
	mac = rte_zmalloc_socket("uxdp_mac", sizeof(*mac), 0, dev->device->numa_node);
	if (mac == NULL)
		return -ENOMEM;
	if (rte_eth_macaddr_get(priv->sub_port_id, mac) != 0)
		rte_eth_random_addr(mac->addr_bytes);
	dev->data->mac_addrs = mac;
	if (rte_eth_link_get_nowait(priv->sub_port_id, &link) == 0)
		dev->data->dev_link = link;
	dev->data->dev_flags |= RTE_ETH_DEV_AUTOFILL_QUEUE_XSTATS;
	dev->dev_ops = &uxdp_dev_ops;
	dev->rx_pkt_burst = uxdp_rx_burst;
	dev->tx_pkt_burst = uxdp_tx_burst;
	return 0;
}

static int
uxdp_probe(struct rte_vdev_device *vdev)
{
	const char *name = rte_vdev_device_name(vdev);
	struct pmd_internals *priv;
	struct rte_eth_dev *dev;
	unsigned int i;
	int ret;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY) {
		UXDP_LOG(ERR, "%s: net_uxdp runs in the primary process only", name);
		return -ENOTSUP;
	}
	/* Allocate the wrapper first: with iface= it is created before its
	 * sub-port and so gets the lower port id. */
	dev = rte_eth_vdev_allocate(vdev, sizeof(*priv));
	if (dev == NULL)
		return -ENOMEM;
	priv = dev->data->dev_private;
	priv->port_id = dev->data->port_id;
	priv->owner.id = RTE_ETH_DEV_NO_OWNER;
	for (i = 0; i < RTE_DIM(priv->txq_lock); i++)
		rte_spinlock_init(&priv->txq_lock[i]);

	ret = uxdp_devargs_parse(name, rte_vdev_device_args(vdev), &priv->args);
	if (ret == 0)
		ret = uxdp_swap_init(priv);
	if (ret == 0)
		ret = load_program(priv, name);
	if (ret == 0)
		ret = uxdp_map_updates_apply(priv, name);
	if (ret == 0)
		ret = attach_sub(priv, name);
	if (ret == 0)
		ret = init_port_data(dev, priv);
	if (ret != 0) {
		uxdp_release_sub(priv);
		uxdp_obj_close(priv->obj);
		priv->obj = NULL;
		uxdp_swap_fini(priv);
		rte_eth_dev_release_port(dev);
		UXDP_LOG(ERR, "%s: probe failed: %s", name, rte_strerror(-ret));
		return ret;
	}
	uxdp_registry_add(priv);
	uxdp_redirect_register(priv);
	rte_eth_dev_probing_finish(dev);
	UXDP_LOG(NOTICE, "%s: port %u runs %s over %s (port %u)", name,
		 priv->port_id, uxdp_prog_name(priv->prog), priv->sub_name,
		 priv->sub_port_id);
	return 0;
}

static int
uxdp_remove(struct rte_vdev_device *vdev)
{
	struct rte_eth_dev *dev;

	dev = rte_eth_dev_allocated(rte_vdev_device_name(vdev));
	if (dev == NULL)
		return 0; /* the application closed it already */
	/* dev_close releases the sub-port and the program; ethdev then
	 * releases the port itself. */
	return rte_eth_dev_close(dev->data->port_id);
}

static struct rte_vdev_driver uxdp_vdev_driver = {
	.probe = uxdp_probe,
	.remove = uxdp_remove,
};

RTE_PMD_REGISTER_VDEV(net_uxdp, uxdp_vdev_driver);
RTE_PMD_REGISTER_PARAM_STRING(net_uxdp,
	"dev=<DPDK device name> "
	"iface=<Linux netdev> "
	"prog=<BPF object file> "
	"sec=<program section> "
	"name=<program function name> "
	"mode=jit|interp "
	"queue_count=<int> "
	"start_queue=<int> "
	"ifindex=<int> "
	"const=<name>:<value> "
	"map_update=<map>:<key hex>:<value hex>");
