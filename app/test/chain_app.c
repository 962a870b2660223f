/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp-chain-app: chained mbufs built by hand, fed to net_uxdp through a
 * net_ring sub-port, to cover what a NIC may hand over and net_pcap never
 * does (a first segment with room left, empty segments, many small ones):
 *
 *   net_uxdp0 over net_ring0 runs a program without xdp.frags: a chain
 *   whose first segment can take the rest is linearised and passed, one
 *   whose first segment is full is dropped and counted;
 *   net_uxdp1 over net_ring1 runs frags_len (xdp.frags): segments become
 *   fragments (empty ones left out and freed), a shrink releases whole
 *   trailing segments, and a chain of more than 17 fragments is
 *   linearised instead.
 *
 * Every case checks the delivered mbuf chain (segments, lengths, bytes,
 * and frags_len's report inside the frame); the mempool's in-use count
 * must return to its baseline.
 *
 * With "-- IN.pcap OUT.pcap" it runs IN.pcap's frames instead, through
 * net_uxdp1 only, as chains shaped like the kernel test run's frames
 * (256 bytes of headroom, 3520 linear bytes, then page-sized fragments
 * that may grow to a page), and writes what comes out to OUT.pcap, for
 * comparison with the kernel (uxdp-kernel-run).
 *
 * Usage: uxdp-chain-app EAL-OPTIONS [-- IN.pcap OUT.pcap]
 * with --vdev=net_ring0 --vdev=net_uxdp0,dev=net_ring0,prog=<not frags>
 *      --vdev=net_ring1 --vdev=net_uxdp1,dev=net_ring1,prog=frags_len.o
 */

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_ring.h>

#define ETH_P_FRAGS_TEST 0x88B9
#define NB_MBUFS 1023
#define MAX_SEGS 24
#define REPORT_OFF 20

static int failures;

#define CHECK(cond, ...) do { \
	if (!(cond)) { \
		failures++; \
		printf("FAIL: "); \
		printf(__VA_ARGS__); \
		printf("\n"); \
	} \
} while (0)

struct chain_case {
	const char *name;
	uint16_t segs[MAX_SEGS]; /* segment lengths, ended by a 0 after
				  * the first (an empty segment is 0xffff) */
	uint8_t op;              /* frags_len tail command */
	uint16_t amount;
	bool delivered;
	uint16_t out_segs;       /* segments of the delivered chain */
	uint32_t out_len;
	uint32_t report_linear;  /* frags_len: linear length it saw */
};

#define EMPTY 0xffff

static uint8_t
pattern(uint32_t i)
{
	return (uint8_t)(i * 7 + 3);
}

/* A chain with the given segment lengths; the frame's bytes follow
 * pattern() after an Ethernet header of ethertype ETH_P_FRAGS_TEST and
 * the tail command. */
static struct rte_mbuf *
build_chain(struct rte_mempool *mp, const struct chain_case *c)
{
	struct rte_mbuf *head = NULL, *prev = NULL, *m;
	uint8_t frame[65536];
	uint32_t total = 0, off = 0;
	int i;

	for (i = 0; i < MAX_SEGS && (i == 0 || c->segs[i] != 0); i++)
		total += c->segs[i] == EMPTY ? 0 : c->segs[i];
	for (off = 0; off < total; off++)
		frame[off] = pattern(off);
	memcpy(frame, "\x02\x00\x00\x00\x00\x0b\x02\x00\x00\x00\x00\x0a\x88\xb9",
	       14);
	frame[14] = c->op;
	frame[15] = 0;
	frame[16] = c->amount & 0xff;
	frame[17] = c->amount >> 8;
	frame[18] = frame[19] = 0;
	off = 0;
	for (i = 0; i < MAX_SEGS && (i == 0 || c->segs[i] != 0); i++) {
		uint16_t len = c->segs[i] == EMPTY ? 0 : c->segs[i];
		char *p;

		m = rte_pktmbuf_alloc(mp);
		p = m != NULL ? rte_pktmbuf_append(m, len) : NULL;
		if (p == NULL) {
			rte_pktmbuf_free(m);
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(p, frame + off, len);
		off += len;
		if (head == NULL) {
			head = m;
		} else {
			prev->next = m;
			head->nb_segs++;
			head->pkt_len += len;
		}
		prev = m;
	}
	return head;
}

static uint32_t
le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void
check_out(const struct chain_case *c, struct rte_mbuf *m, bool frags)
{
	static uint8_t buf[65536];
	const uint8_t *d;
	uint32_t i, bad = 0;

	CHECK(m->nb_segs == c->out_segs, "%s: %u segments, want %u", c->name,
	      m->nb_segs, c->out_segs);
	CHECK(m->pkt_len == c->out_len, "%s: %u bytes, want %u", c->name,
	      m->pkt_len, c->out_len);
	CHECK(rte_mbuf_check(m, 1, NULL) == 0, "%s: a sane chain", c->name);
	if (m->pkt_len != c->out_len)
		return;
	d = rte_pktmbuf_read(m, 0, m->pkt_len, buf);
	if (!frags) {
		for (i = 14; i < m->pkt_len; i++)
			bad += i >= 20 && d[i] != pattern(i);
		CHECK(bad == 0, "%s: bytes unchanged", c->name);
		return;
	}
	CHECK(le32(d + REPORT_OFF) != 0 &&
	      le32(d + REPORT_OFF + 4) == c->report_linear,
	      "%s: the program saw %u linear bytes of %u, want %u", c->name,
	      le32(d + REPORT_OFF + 4), le32(d + REPORT_OFF), c->report_linear);
	CHECK(le32(d + REPORT_OFF + 24) == c->out_len,
	      "%s: get_buff_len after the run %u, want %u", c->name,
	      le32(d + REPORT_OFF + 24), c->out_len);
	if (c->report_linear + 4 <= c->out_len)
		CHECK(memcmp(d + c->report_linear - 4, "uxdpFRAG", 8) == 0,
		      "%s: store across the linear end", c->name);
}

static int
port_by_name(const char *name, struct rte_mempool *mp, uint16_t *port)
{
	struct rte_eth_conf conf;
	int ret;

	memset(&conf, 0, sizeof(conf));
	ret = rte_eth_dev_get_port_by_name(name, port);
	if (ret == 0)
		ret = rte_eth_dev_configure(*port, 1, 1, &conf);
	if (ret == 0)
		ret = rte_eth_rx_queue_setup(*port, 0, 64, rte_socket_id(),
					     NULL, mp);
	if (ret == 0)
		ret = rte_eth_tx_queue_setup(*port, 0, 64, rte_socket_id(),
					     NULL);
	if (ret == 0)
		ret = rte_eth_dev_start(*port);
	return ret;
}

static uint64_t
xstat(uint16_t port, const char *name)
{
	uint64_t id, value = UINT64_MAX;

	if (rte_eth_xstats_get_id_by_name(port, name, &id) == 0)
		rte_eth_xstats_get_by_id(port, &id, &value, 1);
	return value;
}

static void
run_cases(struct rte_mempool *mp, uint16_t port, struct rte_ring *ring,
	  const struct chain_case *cases, unsigned int n, bool frags)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct chain_case *c = &cases[i];
		struct rte_mbuf *m = build_chain(mp, c), *out[4], *orig = NULL;
		uint64_t drops = xstat(port, "xdp_nonlinear_drops");
		uint16_t got;

		if (m != NULL && strstr(c->name, "clone") != NULL) {
			orig = m;
			m = rte_pktmbuf_clone(orig, mp);
		}

		if (m == NULL || rte_ring_enqueue(ring, m) != 0) {
			CHECK(false, "%s: cannot build or enqueue", c->name);
			rte_pktmbuf_free(m);
			continue;
		}
		got = rte_eth_rx_burst(port, 0, out, 4);
		CHECK(got == (c->delivered ? 1 : 0), "%s: %u mbufs delivered",
		      c->name, got);
		if (!c->delivered)
			CHECK(xstat(port, "xdp_nonlinear_drops") == drops + 1,
			      "%s: counted in xdp_nonlinear_drops", c->name);
		if (got == 1)
			check_out(c, out[0], frags);
		if (got == 1 && orig != NULL && frags)
			CHECK((int32_t)le32(rte_pktmbuf_mtod(out[0], uint8_t *) +
					    REPORT_OFF + 16) == -22,
			      "%s: adjust_tail -EINVAL", c->name);
		rte_pktmbuf_free_bulk(out, got);
		rte_pktmbuf_free(orig);
		printf("%s: %s\n", c->name, got ? "delivered" : "dropped");
	}
}

/* Clones share their buffers: no growth, no linearising into them. */
static const struct chain_case clone_cases[] = {
	{ "clone: no growth into a shared last segment", { 100, 200, 50 },
	  1, 8, true, 3, 350, 100 },
	{ "clone: no growth into a shared linear buffer", { 300 }, 1, 8,
	  true, 1, 300, 300 },
};

static const struct chain_case linear_cases[] = {
	{ "linear: room in the first segment", { 60, 40, 100 }, 0, 0,
	  true, 1, 200, 0 },
	{ "linear: a clone is not linearised into", { 60, 40, 100 }, 0, 0,
	  false, 0, 0, 0 },
	{ "linear: first segment full", { 2048, 100 }, 0, 0,
	  false, 0, 0, 0 },
};

static const struct chain_case frags_cases[] = {
	{ "frags: empty segment left out", { 100, EMPTY, 200, 50 }, 0, 0,
	  true, 3, 350, 100 },
	{ "frags: shrink releases the last segment", { 100, 200, 50 }, 2, 60,
	  true, 2, 290, 100 },
	{ "frags: shrink releases every fragment", { 100, 200, 50 }, 2, 260,
	  true, 1, 90, 100 },
	{ "frags: growth into the last segment", { 100, 200, 50 }, 1, 1000,
	  true, 3, 1350, 100 },
	{ "frags: more than 17 fragments are linearised",
	  { 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20, 20,
	    20, 20, 20 }, 0, 0, true, 1, 380, 380 },
};

/* The kernel test run's frame shape: headroom, linear part, fragment. */
#define KSHAPE_HEADROOM 256
#define KSHAPE_LINEAR 3520
#define KSHAPE_FRAG 4096
#define KSHAPE_MAX (KSHAPE_LINEAR + 17 * KSHAPE_FRAG)

static struct rte_mbuf *
kernel_shaped(struct rte_mempool *mp, const uint8_t *frame, uint32_t len)
{
	struct rte_mbuf *head = NULL, *prev = NULL, *m;
	uint32_t off = 0;

	while (off < len || head == NULL) {
		uint32_t cap = head == NULL ? KSHAPE_LINEAR : KSHAPE_FRAG;
		uint32_t n = RTE_MIN(len - off, cap);

		m = rte_pktmbuf_alloc(mp);
		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		/* linear part behind the kernel's headroom, fragments from
		 * their buffer's start (a page each, as the kernel's) */
		m->data_off = head == NULL ? KSHAPE_HEADROOM : 0;
		memcpy(rte_pktmbuf_mtod(m, uint8_t *), frame + off, n);
		m->data_len = n;
		m->pkt_len = n;
		off += n;
		if (head == NULL) {
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

/* Frames of a classic pcap through port, outputs to another pcap. */
static int
run_pcap(const char *in_path, const char *out_path, uint16_t port,
	 struct rte_ring *ring)
{
	static uint8_t frame[KSHAPE_MAX + 1], out_buf[KSHAPE_MAX + 1];
	struct rte_mempool *mp;
	uint32_t hdr[6], rec[4];
	unsigned int n = 0;
	FILE *in, *out;

	mp = rte_pktmbuf_pool_create("kshape", 255, 0, 0,
				     KSHAPE_HEADROOM + KSHAPE_FRAG,
				     rte_socket_id());
	in = fopen(in_path, "rb");
	out = fopen(out_path, "wb");
	if (mp == NULL || in == NULL || out == NULL ||
	    fread(hdr, sizeof(hdr), 1, in) != 1 || hdr[0] != 0xa1b2c3d4) {
		fprintf(stderr, "cannot set up %s -> %s\n", in_path, out_path);
		return -1;
	}
	hdr[4] = 262144;
	fwrite(hdr, sizeof(hdr), 1, out);
	while (fread(rec, sizeof(rec), 1, in) == 1) {
		struct rte_mbuf *m, *got;
		const uint8_t *d;

		if (rec[2] > KSHAPE_MAX ||
		    fread(frame, rec[2], 1, in) != 1) {
			fprintf(stderr, "frame %u: too long or truncated\n", n);
			return -1;
		}
		m = kernel_shaped(mp, frame, rec[2]);
		if (m == NULL || rte_ring_enqueue(ring, m) != 0 ||
		    rte_eth_rx_burst(port, 0, &got, 1) != 1) {
			fprintf(stderr, "frame %u: not delivered\n", n);
			return -1;
		}
		d = rte_pktmbuf_read(got, 0, got->pkt_len, out_buf);
		rec[2] = rec[3] = got->pkt_len;
		fwrite(rec, sizeof(rec), 1, out);
		fwrite(d, got->pkt_len, 1, out);
		rte_pktmbuf_free(got);
		n++;
	}
	fclose(in);
	fclose(out);
	CHECK(rte_mempool_in_use_count(mp) == 0, "kernel-shaped: %u mbufs in use",
	      rte_mempool_in_use_count(mp));
	printf("%u kernel-shaped frames run\n", n);
	return 0;
}

int
main(int argc, char **argv)
{
	struct rte_ring *ring0, *ring1;
	struct rte_mempool *mp;
	uint16_t port0, port1;
	unsigned int base;
	int ret;

	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		fprintf(stderr, "EAL: %s\n", rte_strerror(rte_errno));
		return 1;
	}
	argc -= ret;
	argv += ret;
	mp = rte_pktmbuf_pool_create("chain_app", NB_MBUFS, 32, 0,
				     RTE_MBUF_DEFAULT_BUF_SIZE, rte_socket_id());
	/* net_ring's rings for its queue 0 (RX and TX share them) */
	ring0 = rte_ring_lookup("ETH_RXTX0_net_ring0");
	ring1 = rte_ring_lookup("ETH_RXTX0_net_ring1");
	if (mp == NULL || ring0 == NULL || ring1 == NULL ||
	    port_by_name("net_uxdp0", mp, &port0) != 0 ||
	    port_by_name("net_uxdp1", mp, &port1) != 0) {
		fprintf(stderr, "set-up failed (pool, rings or ports)\n");
		return 1;
	}
	if (argc == 3) {
		if (run_pcap(argv[1], argv[2], port1, ring1) != 0)
			failures++;
		goto out;
	}
	base = rte_mempool_in_use_count(mp);
	run_cases(mp, port0, ring0, linear_cases, RTE_DIM(linear_cases), false);
	run_cases(mp, port1, ring1, frags_cases, RTE_DIM(frags_cases), true);
	run_cases(mp, port1, ring1, clone_cases, RTE_DIM(clone_cases), true);
	CHECK(rte_mempool_in_use_count(mp) == base,
	      "mbufs in use %u, baseline %u", rte_mempool_in_use_count(mp),
	      base);
	printf("%u mbufs in use before and after\n", base);
out:
	rte_eth_dev_stop(port0);
	rte_eth_dev_stop(port1);
	rte_eth_dev_close(port0);
	rte_eth_dev_close(port1);
	rte_eal_cleanup();
	printf("%s\n", failures == 0 ? "PASS" : "FAILED");
	return failures == 0 ? 0 : 1;
}
