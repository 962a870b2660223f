/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp-meta-app: an application reading XDP metadata through
 * rte_pmd_uxdp.h. It writes a pcap of adjust_head_tail command frames,
 * receives them through net_uxdp over net_pcap (EAL options come from the
 * command line: -d <plugin> and --no-huge), and checks that every passed
 * mbuf reports the metadata the program reserved, with the program's
 * bytes right in front of the packet data, and that the mempool's in-use
 * count returns to its baseline. Exit 0 when every check holds.
 *
 * Usage: uxdp-meta-app EAL-OPTIONS -- IN.pcap
 * where the EAL options make net_uxdp (over a net_pcap reading IN.pcap)
 * the first port. IN.pcap is written before the EAL starts (net_pcap opens
 * it at probe).
 */

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_pmd_uxdp.h>

#define ETH_P_GEOMETRY_TEST 0x88B6
#define OP_META 5           /* reserve n bytes, filled 0xA0 + i */
#define OP_META_THEN_POP 9  /* "uxdpMETA", then pop n bytes at the head */
#define FRAME_LEN 80
#define NB_MBUFS 511
#define WAIT_MS 5000

struct meta_case {
	uint8_t op;
	uint8_t n;
	bool passes;        /* XDP_PASS, else the program drops it */
	uint8_t want_len;   /* metadata length the app must see */
};

static const struct meta_case cases[] = {
	{ 0, 0, true, 0 },                  /* not a command: no metadata */
	{ OP_META, 4, true, 4 },
	{ OP_META, 32, true, 32 },
	/* the whole usable headroom (256 - 40), beyond testpmd's 128 */
	{ OP_META, 216, true, 216 },
	{ OP_META, 220, false, 0 },         /* beyond it: -EINVAL */
	{ OP_META, 0, true, 0 },
	{ OP_META_THEN_POP, 16, true, 8 },  /* metadata travels with data */
	{ OP_META, 3, false, 0 },           /* not a multiple of 4 */
	{ OP_META, 8, true, 8 },
	{ 0, 0, true, 0 },                  /* after metadata: none again */
};
#define NB_CASES (sizeof(cases) / sizeof(cases[0]))

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		printf("FAIL: "); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

static void
frame_of(const struct meta_case *c, uint8_t *f)
{
	int i;

	memset(f, 0, FRAME_LEN);
	memcpy(f, "\x02\x00\x00\x00\x00\x0b\x02\x00\x00\x00\x00\x0a", 12);
	f[12] = c->op != 0 ? ETH_P_GEOMETRY_TEST >> 8 : 0x08;
	f[13] = c->op != 0 ? ETH_P_GEOMETRY_TEST & 0xff : 0x00;
	f[14] = c->op;
	f[15] = c->n;
	for (i = 16; i < FRAME_LEN; i++)
		f[i] = (uint8_t)i;
}

static int
write_pcap(const char *path)
{
	static const uint32_t hdr[6] = { 0xa1b2c3d4, 0x00040002, 0, 0,
					 65535, 1 };
	uint8_t f[FRAME_LEN];
	FILE *fp = fopen(path, "wb");
	unsigned int i;

	if (fp == NULL)
		return -1;
	fwrite(hdr, sizeof(hdr), 1, fp);
	for (i = 0; i < NB_CASES; i++) {
		uint32_t rec[4] = { 1, i, FRAME_LEN, FRAME_LEN };

		frame_of(&cases[i], f);
		fwrite(rec, sizeof(rec), 1, fp);
		fwrite(f, FRAME_LEN, 1, fp);
	}
	return fclose(fp);
}

/* The metadata bytes adjust_head_tail writes for a case. */
static void
want_meta(const struct meta_case *c, uint8_t *m)
{
	int i;

	if (c->op == OP_META_THEN_POP) {
		memcpy(m, "uxdpMETA", 8);
		return;
	}
	for (i = 0; i < c->want_len; i++)
		m[i] = (uint8_t)(0xA0 + i);
}

static void
check_mbuf(struct rte_mbuf *m, const struct meta_case *c, int off,
	   unsigned int idx)
{
	uint8_t want[256];
	uint8_t len = rte_pmd_uxdp_meta_len(m, off);
	const uint8_t *meta = rte_pmd_uxdp_meta(m, off);

	CHECK(len == c->want_len,
	      "frame %u (op %u, n %u): metadata length %u, want %u (got op %u n %u)",
	      idx, c->op, c->n, len, c->want_len,
	      rte_pktmbuf_mtod(m, const uint8_t *)[14],
	      rte_pktmbuf_mtod(m, const uint8_t *)[15]);
	if (len != c->want_len)
		return;
	CHECK(meta + len == rte_pktmbuf_mtod(m, const uint8_t *),
	      "frame %u: metadata ends at the packet data", idx);
	CHECK(meta >= (const uint8_t *)m->buf_addr,
	      "frame %u: metadata inside the buffer", idx);
	want_meta(c, want);
	CHECK(memcmp(meta, want, len) == 0, "frame %u: metadata bytes", idx);
	printf("frame %u (op %u, n %u): %u bytes of metadata, data_off %u\n",
	       idx, c->op, c->n, len, m->data_off);
}

static int
port_up(uint16_t port, struct rte_mempool *mp)
{
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_configure(port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(port, 0, 64, rte_socket_id(),
					     NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(port, 0, 64, rte_socket_id(),
					     NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(port);
	return ret;
}

int
main(int argc, char **argv)
{
	struct rte_mbuf *pkts[32];
	struct rte_mempool *mp;
	unsigned int seen = 0, nb_pass = 0, base, i, k;
	uint16_t port = RTE_MAX_ETHPORTS, p;
	int ret, off, waited;

	for (i = 1; i + 1 < (unsigned int)argc; i++)
		if (strcmp(argv[i], "--") == 0)
			break;
	if (i + 2 != (unsigned int)argc) {
		fprintf(stderr, "usage: uxdp-meta-app EAL-OPTIONS -- IN.pcap\n");
		return 2;
	}
	if (write_pcap(argv[i + 1]) != 0) {
		perror(argv[i + 1]);
		return 1;
	}
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	off = rte_pmd_uxdp_meta_len_offset();
	CHECK(off < 0, "no metadata field before a net_uxdp queue is set up");
	RTE_ETH_FOREACH_DEV(p)
		if (port == RTE_MAX_ETHPORTS)
			port = p;
	if (port == RTE_MAX_ETHPORTS) {
		fprintf(stderr, "no port\n");
		return 1;
	}
	mp = rte_pktmbuf_pool_create("meta_app", NB_MBUFS, 32, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	if (mp == NULL || port_up(port, mp) != 0) {
		fprintf(stderr, "port %u: cannot start\n", port);
		return 1;
	}
	off = rte_pmd_uxdp_meta_len_offset();
	CHECK(off >= 0, "field %s registered", RTE_PMD_UXDP_META_LEN_DYNFIELD);
	base = rte_mempool_in_use_count(mp);
	for (i = 0; i < NB_CASES; i++)
		nb_pass += cases[i].passes;
	i = 0;
	/* One frame a burst, each freed before the next arrives: net_pcap
	 * allocates the next frame's mbuf from the lcore's mempool cache,
	 * which hands back the mbuf just freed, so a frame without metadata
	 * lands in an mbuf that carried some and must still read 0. */
	for (waited = 0; seen < nb_pass && waited < WAIT_MS; waited++) {
		uint16_t n = rte_eth_rx_burst(port, 0, pkts, 1);

		for (k = 0; k < n; k++, seen++, i++) {
			/* dropped frames leave gaps in the order */
			while (i < NB_CASES && !cases[i].passes)
				i++;
			if (off >= 0 && i < NB_CASES)
				check_mbuf(pkts[k], &cases[i], off, i);
			rte_pktmbuf_free(pkts[k]);
		}
		if (n == 0)
			usleep(1000);
	}
	CHECK(seen == nb_pass, "%u frames passed, want %u", seen, nb_pass);
	CHECK(rte_mempool_in_use_count(mp) == base,
	      "mbufs in use %u, baseline %u", rte_mempool_in_use_count(mp),
	      base);
	printf("%u frames checked, %u mbufs in use before and after\n", seen,
	       base);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_eal_cleanup();
	printf("%s\n", failures == 0 ? "PASS" : "FAILED");
	return failures == 0 ? 0 : 1;
}
