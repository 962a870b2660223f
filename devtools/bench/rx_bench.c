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
 *
 * rx-bench EAL-OPTIONS -- ROUNDS FRAME_LEN alloc [RTE_BPF_OBJ]
 * with, besides the two ports above (any XDP program), --vdev=net_ring1
 * and, with RTE_BPF_OBJ, --vdev=net_ring2: the shape of an application
 * (testpmd rxonly): every burst is new mbufs (a UDP/IPv4 frame of
 * FRAME_LEN bytes) and the application frees what RX returns. Ports, in
 * turn: net_ring1 bare ("plain"), net_ring2 with DPDK's librte_bpf RX
 * callback running RTE_BPF_OBJ's .text (as testpmd's `bpf-load rx ... J`:
 * a pointer to the packet data, return 0 drops), and net_uxdp0.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_bpf_ethdev.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#define BURST 32
#define PER_ROUND 4096  /* bursts per measured round */
/* Alloc mode: shorter rounds, so that more of them, in turn, share out
 * the load of a busy machine evenly. */
#define ALLOC_PER_ROUND 512

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

/* ---- alloc mode ---- */

/* An IPv4/UDP frame for parsers to walk. */
static void
udp_frame(uint8_t *f, unsigned int len)
{
	static const uint8_t hdr[] = {
		0x02, 0, 0, 0, 0, 0x0b, 0x02, 0, 0, 0, 0, 0x0a, 0x08, 0x00,
		0x45, 0, 0, 0, 0, 0, 0, 0, 64, 17, 0, 0,
		10, 0, 0, 1, 10, 0, 0, 2,
		0x30, 0x39, 0x00, 0x35, 0, 0, 0, 0,
	};

	memset(f, 0x5a, len);
	memcpy(f, hdr, RTE_MIN(len, (unsigned int)sizeof(hdr)));
}

/* ns per packet of PER_ROUND bursts of fresh mbufs through port; the
 * application frees what comes back, as testpmd's rxonly does. */
static double
alloc_round_ns(uint16_t port, struct rte_ring *ring, struct rte_mempool *mp,
	       const uint8_t *tmpl, unsigned int len)
{
	struct rte_mbuf *in[BURST], *out[BURST];
	uint64_t start;
	unsigned int i, k;

	start = rte_rdtsc_precise();
	for (i = 0; i < ALLOC_PER_ROUND; i++) {
		uint16_t got;

		if (rte_pktmbuf_alloc_bulk(mp, in, BURST) != 0)
			return -1;
		for (k = 0; k < BURST; k++) {
			memcpy(rte_pktmbuf_mtod(in[k], void *), tmpl, len);
			in[k]->data_len = (uint16_t)len;
			in[k]->pkt_len = len;
		}
		if (rte_ring_enqueue_burst(ring, (void **)in, BURST, NULL) !=
		    BURST)
			return -1;
		got = rte_eth_rx_burst(port, 0, out, BURST);
		rte_pktmbuf_free_bulk(out, got);
	}
	return (double)(rte_rdtsc_precise() - start) * 1e9 /
	       rte_get_tsc_hz() / ((double)ALLOC_PER_ROUND * BURST);
}

static struct rte_ring *
port_ring(const char *name, uint16_t *port, struct rte_mempool *mp)
{
	char ring_name[RTE_RING_NAMESIZE];

	snprintf(ring_name, sizeof(ring_name), "ETH_RXTX0_%s", name);
	if (rte_eth_dev_get_port_by_name(name, port) != 0 ||
	    start_port(*port, mp) != 0)
		return NULL;
	return rte_ring_lookup(ring_name);
}

static int
cmp_double(const void *a, const void *b);

static double
median(double *v, unsigned int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

static int
alloc_mode(unsigned int rounds, unsigned int len, const char *bpf_obj)
{
	struct rte_ring *ring_plain, *ring_bpf = NULL, *ring_uxdp;
	uint16_t plain, bpf = 0, wrap, sub;
	struct rte_mempool *mp;
	uint8_t tmpl[RTE_MBUF_DEFAULT_DATAROOM];
	double *ns[3];
	unsigned int i, c;

	if (len < 60 || len > sizeof(tmpl)) {
		fprintf(stderr, "frame length %u: 60..%zu\n", len, sizeof(tmpl));
		return 1;
	}
	udp_frame(tmpl, len);
	mp = rte_pktmbuf_pool_create("rx_bench", 2047, 256, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	ring_uxdp = rte_ring_lookup("ETH_RXTX0_net_ring0");
	if (mp == NULL || ring_uxdp == NULL ||
	    rte_eth_dev_get_port_by_name("net_ring0", &sub) != 0 ||
	    rte_eth_dev_get_port_by_name("net_uxdp0", &wrap) != 0 ||
	    start_port(wrap, mp) != 0) {
		fprintf(stderr, "set-up failed\n");
		return 1;
	}
	ring_plain = port_ring("net_ring1", &plain, mp);
	if (bpf_obj != NULL) {
		struct rte_bpf_prm prm;

		ring_bpf = port_ring("net_ring2", &bpf, mp);
		memset(&prm, 0, sizeof(prm));
		prm.prog_arg.type = RTE_BPF_ARG_PTR;
		prm.prog_arg.size = RTE_MBUF_DEFAULT_BUF_SIZE;
		if (ring_bpf == NULL ||
		    rte_bpf_eth_rx_elf_load(bpf, 0, &prm, bpf_obj, ".text",
					    RTE_BPF_ETH_F_JIT) != 0) {
			fprintf(stderr, "librte_bpf: cannot load %s\n", bpf_obj);
			return 1;
		}
	}
	if (ring_plain == NULL) {
		fprintf(stderr, "set-up of net_ring1 failed\n");
		return 1;
	}
	for (c = 0; c < 3; c++)
		ns[c] = calloc(rounds, sizeof(double));
	/* one warm-up round each, then in turn */
	for (i = 0; i <= rounds; i++) {
		double r[3];

		r[0] = alloc_round_ns(plain, ring_plain, mp, tmpl, len);
		r[1] = bpf_obj != NULL ?
		       alloc_round_ns(bpf, ring_bpf, mp, tmpl, len) : 0;
		r[2] = alloc_round_ns(wrap, ring_uxdp, mp, tmpl, len);
		if (r[0] < 0 || r[1] < 0 || r[2] < 0) {
			fprintf(stderr, "mbufs ran out\n");
			return 1;
		}
		for (c = 0; i > 0 && c < 3; c++)
			ns[c][i - 1] = r[c];
	}
	printf("{\"mode\": \"alloc\", \"frame_len\": %u, \"rounds\": %u, "
	       "\"plain_ns\": %.2f, \"rte_bpf_ns\": %.2f, \"uxdp_ns\": %.2f}\n",
	       len, rounds, median(ns[0], rounds), median(ns[1], rounds),
	       median(ns[2], rounds));
	rte_eth_dev_stop(wrap);
	rte_eth_dev_close(wrap);
	rte_eal_cleanup();
	return 0;
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
	if (argc > 3 && strcmp(argv[3], "alloc") == 0)
		return alloc_mode(rounds, len, argc > 4 ? argv[4] : NULL);
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
