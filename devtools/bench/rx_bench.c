/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * rx-bench: the cost of net_uxdp's RX path per packet. The same bursts of
 * prepared mbufs go through a net_ring port directly (the baseline) and
 * through net_uxdp wrapping it, alternately, and the tool prints the mean
 * ns per packet of each and their difference. The mbufs are recycled
 * (never freed), so only the RX paths are measured.
 *
 * Usage: rx-bench EAL-OPTIONS -- [ROUNDS] [FRAME_LEN] [SEGS]
 * with --vdev=net_ring0 --vdev=net_uxdp0,dev=net_ring0,prog=<XDP_PASS prog>
 * SEGS > 1 builds chains (FRAME_LEN split evenly) for multi-buffer runs.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#define BURST 32
#define PER_ROUND 4096  /* bursts per measured round */

static int
start_port(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, 256, rte_socket_id(),
					     NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, 256, rte_socket_id(),
					     NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	return ret;
}

static struct rte_mbuf *
frame(struct rte_mempool *mp, unsigned int len, unsigned int segs)
{
	struct rte_mbuf *head = NULL, *prev = NULL;
	unsigned int i;

	for (i = 0; i < segs; i++) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		unsigned int n = len / segs + (i == 0 ? len % segs : 0);
		char *p;

		if (m == NULL)
			return NULL;
		p = rte_pktmbuf_append(m, n);
		memset(p, 0x5a, n);
		if (i == 0) {
			memcpy(p, "\x02\x00\x00\x00\x00\x0b\x02\x00\x00\x00\x00\x0a\x08\x00", 14);
			head = m;
		} else {
			prev->next = m;
			head->nb_segs++;
			head->pkt_len += n;
		}
		prev = m;
	}
	return head;
}

/* ns per packet of PER_ROUND bursts through port, fed from ring. */
static double
round_ns(uint16_t port, struct rte_ring *ring, struct rte_mbuf **pkts)
{
	struct rte_mbuf *out[BURST];
	uint64_t start, n = 0;
	unsigned int i;

	start = rte_rdtsc_precise();
	for (i = 0; i < PER_ROUND; i++) {
		uint16_t got;

		rte_ring_enqueue_burst(ring, (void **)pkts, BURST, NULL);
		got = rte_eth_rx_burst(port, 0, out, BURST);
		n += got;
		/* the program may have moved nothing: same mbufs again */
		memcpy(pkts, out, got * sizeof(*out));
	}
	if (n != (uint64_t)PER_ROUND * BURST)
		return -1;
	return (double)(rte_rdtsc_precise() - start) * 1e9 /
	       rte_get_tsc_hz() / n;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct rte_mbuf *pkts[BURST];
	struct rte_mempool *mp;
	struct rte_ring *ring;
	uint16_t sub, wrap;
	unsigned int rounds = 50, len = 64, segs = 1, i;
	double *base, *uxdp;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	if (argc > 1)
		rounds = atoi(argv[1]);
	if (argc > 2)
		len = atoi(argv[2]);
	if (argc > 3)
		segs = atoi(argv[3]);
	mp = rte_pktmbuf_pool_create("rx_bench", 1023, 0, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	ring = rte_ring_lookup("ETH_RXTX0_net_ring0");
	if (mp == NULL || ring == NULL || rounds == 0 ||
	    rte_eth_dev_get_port_by_name("net_ring0", &sub) != 0 ||
	    rte_eth_dev_get_port_by_name("net_uxdp0", &wrap) != 0 ||
	    start_port(wrap, mp) != 0) {
		fprintf(stderr, "set-up failed\n");
		return 1;
	}
	for (i = 0; i < BURST; i++) {
		pkts[i] = frame(mp, len, segs);
		if (pkts[i] == NULL)
			return 1;
	}
	base = calloc(rounds, sizeof(*base));
	uxdp = calloc(rounds, sizeof(*uxdp));
	/* one warm-up round each, then alternate */
	round_ns(sub, ring, pkts);
	round_ns(wrap, ring, pkts);
	for (i = 0; i < rounds; i++) {
		base[i] = round_ns(sub, ring, pkts);
		uxdp[i] = round_ns(wrap, ring, pkts);
		if (base[i] < 0 || uxdp[i] < 0) {
			fprintf(stderr, "packets went missing\n");
			return 1;
		}
	}
	qsort(base, rounds, sizeof(*base), cmp_double);
	qsort(uxdp, rounds, sizeof(*uxdp), cmp_double);
	printf("{\"frame_len\": %u, \"segs\": %u, \"rounds\": %u, "
	       "\"ring_ns\": %.2f, \"uxdp_ns\": %.2f, \"uxdp_minus_ring_ns\": %.2f}\n",
	       len, segs, rounds, base[rounds / 2], uxdp[rounds / 2],
	       uxdp[rounds / 2] - base[rounds / 2]);
	rte_eth_dev_stop(wrap);
	rte_eth_dev_close(wrap);
	rte_eal_cleanup();
	return 0;
}
