/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Extended statistics: the per-verdict counters of all RX queues summed,
 * xdp_sandbox_faults (the runs of the port's program that the sandbox
 * ended, doc/sandbox.md), then the sub-port's own xstats under a "sub_"
 * prefix so nothing the underlying device reports is hidden by the
 * wrapper.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ethdev_driver.h>

#include "uxdp_ethdev.h"

static const struct {
	const char *name;
	size_t offset;
} uxdp_xstats[] = {
	{ "xdp_pass", offsetof(struct uxdp_rxq_stats, pass) },
	{ "xdp_drop", offsetof(struct uxdp_rxq_stats, drop) },
	{ "xdp_tx", offsetof(struct uxdp_rxq_stats, tx) },
	{ "xdp_aborted", offsetof(struct uxdp_rxq_stats, aborted) },
	{ "xdp_tx_errors", offsetof(struct uxdp_rxq_stats, tx_errors) },
	{ "xdp_nonlinear_drops", offsetof(struct uxdp_rxq_stats, nonlinear_drops) },
	{ "xdp_room_misses", offsetof(struct uxdp_rxq_stats, room_misses) },
	{ "xdp_redirect", offsetof(struct uxdp_rxq_stats, redirect) },
	{ "xdp_redirect_errors", offsetof(struct uxdp_rxq_stats, redirect_errors) },
	{ "xdp_devmap_runs", offsetof(struct uxdp_rxq_stats, devmap_runs) },
	{ "xdp_devmap_drops", offsetof(struct uxdp_rxq_stats, devmap_drops) },
	{ "xdp_devmap_aborted", offsetof(struct uxdp_rxq_stats, devmap_aborted) },
};

#define NB_UXDP_XSTATS RTE_DIM(uxdp_xstats)
#define SUB_PREFIX "sub_"
/* Port-level stats after the per-queue ones: xdp_sandbox_faults. */
#define NB_PORT_XSTATS 1
#define NB_OWN_XSTATS (NB_UXDP_XSTATS + NB_PORT_XSTATS)

/* The running program's sandbox faults since the last reset; a program
 * swapped in starts from its own count. */
static uint64_t
sandbox_faults(const struct pmd_internals *priv)
{
	const struct uxdp_prog *prog = __atomic_load_n(&priv->prog,
						       __ATOMIC_ACQUIRE);
	uint64_t n = uxdp_prog_sandbox_faults(prog);

	if (prog == priv->sandbox_faults_prog && n >= priv->sandbox_faults_base)
		n -= priv->sandbox_faults_base;
	return n;
}

static uint64_t
read_counter(const struct uxdp_rxq_stats *s, size_t offset)
{
	const uint64_t *p = (const uint64_t *)((const char *)s + offset);

	/* Written by the polling lcore; an aligned 64-bit load cannot tear. */
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void
uxdp_stats_sum(struct rte_eth_dev *dev, struct uxdp_rxq_stats *sum)
{
	uint16_t q;
	unsigned int i;

	memset(sum, 0, sizeof(*sum));
	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		const struct uxdp_rxq *rxq = dev->data->rx_queues[q];

		if (rxq == NULL)
			continue;
		for (i = 0; i < NB_UXDP_XSTATS; i++)
			*(uint64_t *)((char *)sum + uxdp_xstats[i].offset) +=
				read_counter(&rxq->stats, uxdp_xstats[i].offset);
	}
}

unsigned int
uxdp_xstat_count(void)
{
	return NB_UXDP_XSTATS;
}

const char *
uxdp_xstat_name(unsigned int i)
{
	return i < NB_UXDP_XSTATS ? uxdp_xstats[i].name : NULL;
}

uint64_t
uxdp_xstat_value(const struct uxdp_rxq_stats *s, unsigned int i)
{
	return i < NB_UXDP_XSTATS ? read_counter(s, uxdp_xstats[i].offset) : 0;
}

static int
sub_xstats_count(const struct pmd_internals *priv)
{
	int n = rte_eth_xstats_get_names(priv->sub_port_id, NULL, 0);

	return n < 0 ? 0 : n;
}

int
uxdp_xstats_get_names(struct rte_eth_dev *dev,
		      struct rte_eth_xstat_name *names, unsigned int size)
{
	struct pmd_internals *priv = dev->data->dev_private;
	unsigned int nb_sub = sub_xstats_count(priv);
	unsigned int total = NB_OWN_XSTATS + nb_sub, i;
	struct rte_eth_xstat_name *sub_names;
	int n;

	if (names == NULL || size < total)
		return total;
	for (i = 0; i < NB_UXDP_XSTATS; i++)
		snprintf(names[i].name, sizeof(names[i].name), "%s",
			 uxdp_xstats[i].name);
	snprintf(names[NB_UXDP_XSTATS].name, sizeof(names[0].name),
		 "xdp_sandbox_faults");
	if (nb_sub == 0)
		return NB_OWN_XSTATS;
	sub_names = calloc(nb_sub, sizeof(*sub_names));
	if (sub_names == NULL)
		return -ENOMEM;
	n = rte_eth_xstats_get_names(priv->sub_port_id, sub_names, nb_sub);
	if (n < 0 || (unsigned int)n > nb_sub)
		n = 0;
	for (i = 0; i < (unsigned int)n; i++)
		snprintf(names[NB_OWN_XSTATS + i].name,
			 sizeof(names[0].name), SUB_PREFIX "%.*s",
			 (int)(sizeof(names[0].name) - sizeof(SUB_PREFIX)),
			 sub_names[i].name);
	free(sub_names);
	return NB_OWN_XSTATS + n;
}

int
uxdp_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xstats,
		unsigned int n)
{
	struct pmd_internals *priv = dev->data->dev_private;
	unsigned int nb_sub = sub_xstats_count(priv);
	unsigned int total = NB_OWN_XSTATS + nb_sub, i;
	struct uxdp_rxq_stats sum;
	int got;

	if (xstats == NULL || n < total)
		return total;
	uxdp_stats_sum(dev, &sum);
	for (i = 0; i < NB_UXDP_XSTATS; i++) {
		xstats[i].id = i;
		xstats[i].value = read_counter(&sum, uxdp_xstats[i].offset);
	}
	xstats[NB_UXDP_XSTATS].id = NB_UXDP_XSTATS;
	xstats[NB_UXDP_XSTATS].value = sandbox_faults(priv);
	if (nb_sub == 0)
		return NB_OWN_XSTATS;
	got = rte_eth_xstats_get(priv->sub_port_id, xstats + NB_OWN_XSTATS,
				 nb_sub);
	if (got < 0 || (unsigned int)got > nb_sub)
		got = 0;
	for (i = 0; i < (unsigned int)got; i++)
		xstats[NB_OWN_XSTATS + i].id = NB_OWN_XSTATS + i;
	return NB_OWN_XSTATS + got;
}

int
uxdp_xstats_reset(struct rte_eth_dev *dev)
{
	struct pmd_internals *priv = dev->data->dev_private;
	uint16_t q;

	for (q = 0; q < dev->data->nb_rx_queues; q++) {
		struct uxdp_rxq *rxq = dev->data->rx_queues[q];

		if (rxq != NULL)
			memset(&rxq->stats, 0, sizeof(rxq->stats));
	}
	priv->sandbox_faults_prog = __atomic_load_n(&priv->prog,
						    __ATOMIC_ACQUIRE);
	priv->sandbox_faults_base =
		uxdp_prog_sandbox_faults(priv->sandbox_faults_prog);
	rte_eth_xstats_reset(priv->sub_port_id);
	return 0;
}
