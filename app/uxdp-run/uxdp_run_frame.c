/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "uxdp_run.h"

/* What bpf_check_mtu() reports: the MTU of lo (65536), the device the
 * kernel's BPF_PROG_TEST_RUN runs XDP programs on. */
#define UXDP_RUN_MTU 65536

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The engine and its helpers must keep the frame's invariants; a result
 * outside them would print memory that is not packet. */
static int
check_geometry(const struct uxdp_xdp_buff *b, char *err, size_t err_len)
{
	const uint8_t *start = b->data_hard_start;
	const uint8_t *meta = b->data_meta, *data = b->data;
	const uint8_t *end = b->data_end, *hard_end = b->data_hard_end;

	if (meta < start || data < meta || end < data || end > hard_end) {
		snprintf(err, err_len,
			 "the run left an invalid frame: meta %+td, data %+td, data_end %+td from the frame start",
			 meta - start, data - start, end - start);
		return -EFAULT;
	}
	return 0;
}

/* BPF_PROG_TEST_RUN's multi-buffer frame: what does not fit the linear
 * part goes into page-sized fragments, each a page of its own that tail
 * growth may fill (the kernel's frag_size of the test run is a page). */
static void
build_frags(struct uxdp_run *run, struct uxdp_xdp_buff *b,
	    const uint8_t *rest, uint32_t len)
{
	uint32_t n = 0, off = 0;

	while (off < len) {
		uint32_t chunk = len - off < UXDP_XDP_FRAME_SIZE ?
				 len - off : UXDP_XDP_FRAME_SIZE;
		struct uxdp_xdp_frag *f = &run->frags[n];

		f->data = run->frag_pages + (size_t)n * UXDP_XDP_FRAME_SIZE;
		memset(f->data, 0, UXDP_XDP_FRAME_SIZE);
		memcpy(f->data, rest + off, chunk);
		f->len = chunk;
		f->room = UXDP_XDP_FRAME_SIZE;
		f->owner = NULL;
		off += chunk;
		n++;
	}
	b->frags = run->frags;
	b->nr_frags = n;
	b->frags_len = len;
}

/* The output of a multi-buffer frame: linear part, then fragments. */
static void
gather(struct uxdp_run *run, const struct uxdp_xdp_buff *b,
       struct run_result *res)
{
	size_t n = (uint8_t *)b->data_end - (uint8_t *)b->data;
	uint32_t i;

	memcpy(run->gathered, b->data, n);
	for (i = 0; i < b->nr_frags; i++) {
		memcpy(run->gathered + n, b->frags[i].data, b->frags[i].len);
		n += b->frags[i].len;
	}
	res->data = run->gathered;
	res->data_len = n;
}

/* --mbuf: the packet in a zeroed buffer the way net_uxdp describes an
 * mbuf (drivers/net/uxdp/uxdp_rxtx.c): the buffer is where bytes may go,
 * the kernel frame (256 bytes of headroom in front of the data, 4 KiB)
 * what the program's limits come from. */
static int
mbuf_frame(struct uxdp_run *run, const struct run_opts *o,
	   const struct run_pkt *pkt, struct uxdp_xdp_buff *b, char *err,
	   size_t err_len)
{
	uint8_t *data = run->mbuf_buf + o->mbuf_headroom;
	uintptr_t frame = (uintptr_t)data - UXDP_XDP_HEADROOM;

	if (pkt->len > o->mbuf_buf_len - o->mbuf_headroom ||
	    pkt->len > UXDP_RUN_MAX_LINEAR) {
		snprintf(err, err_len,
			 "%" PRIu32 " bytes do not fit the --mbuf buffer's %" PRIu32 " bytes after its headroom, or a linear frame's %d",
			 pkt->len, o->mbuf_buf_len - o->mbuf_headroom,
			 UXDP_RUN_MAX_LINEAR);
		return -EMSGSIZE;
	}
	memset(run->mbuf_buf, 0, o->mbuf_buf_len);
	memcpy(data, pkt->bytes, pkt->len);
	b->data_hard_start = run->mbuf_buf;
	b->data_hard_end = run->mbuf_buf + o->mbuf_buf_len;
	b->frame_start = (void *)frame;
	b->frame_end = (void *)(frame + UXDP_XDP_FRAME_SIZE -
				UXDP_XDP_TAILROOM);
	b->data = data;
	b->data_meta = data;
	b->data_end = data + pkt->len;
	return 0;
}

int
uxdp_run_packet(void *ctx, const struct run_opts *o, const struct run_pkt *pkt,
		struct run_result *res, char *err, size_t err_len)
{
	struct uxdp_run *run = ctx;
	struct uxdp_xdp_buff buff;
	uint64_t start, elapsed, faults;
	uint32_t i, ret = 0, linear;

	/* The kernel's test run refuses more fragments than MAX_SKB_FRAGS
	 * (-ENOMEM). */
	if (pkt->len > UXDP_RUN_MAX_PKT) {
		snprintf(err, err_len,
			 "%" PRIu32 " bytes exceed the %d bytes of an XDP frame (%d linear, %d fragments of %d)",
			 pkt->len, UXDP_RUN_MAX_PKT, UXDP_RUN_MAX_LINEAR,
			 UXDP_XDP_MAX_FRAGS, UXDP_XDP_FRAME_SIZE);
		return -EMSGSIZE;
	}
	linear = pkt->len < UXDP_RUN_MAX_LINEAR ? pkt->len :
		 UXDP_RUN_MAX_LINEAR;

	memset(&buff, 0, sizeof(buff));
	if (o->has_mbuf) {
		if (mbuf_frame(run, o, pkt, &buff, err, err_len) < 0)
			return -EMSGSIZE;
	} else {
		/* A fresh, zeroed frame with the kernel test run's geometry:
		 * the headroom a program may push into reads as zeros there
		 * too. */
		memset(run->frame, 0, UXDP_XDP_FRAME_SIZE);
		memcpy(run->frame + UXDP_XDP_HEADROOM, pkt->bytes, linear);
		buff.data_hard_start = run->frame;
		buff.data = run->frame + UXDP_XDP_HEADROOM;
		buff.data_meta = buff.data;
		buff.data_end = (uint8_t *)buff.data + linear;
		buff.data_hard_end = run->frame + UXDP_XDP_FRAME_SIZE -
				     UXDP_XDP_TAILROOM;
	}
	buff.ingress_ifindex = o->ifindex;
	buff.rx_queue_index = o->rxq;
	/* lo's MTU: the kernel's test run, uxdp-run's model, runs on lo. */
	buff.mtu = UXDP_RUN_MTU;
	/* As in the kernel's test run, every program gets the fragments,
	 * xdp.frags or not (only attaching to a device checks). */
	if (pkt->len > linear && !o->has_mbuf)
		build_frags(run, &buff, pkt->bytes + linear, pkt->len - linear);

	/* Repeated runs work on the same frame in place, as the kernel's
	 * repeat does: a program that moves the head moves it every time. */
	faults = uxdp_prog_sandbox_faults(run->prog);
	start = now_ns();
	for (i = 0; i < o->repeat; i++)
		ret = uxdp_prog_run(run->prog, &buff);
	elapsed = now_ns() - start;
	res->sandboxed = uxdp_prog_verify(run->prog) == UXDP_VERIFY_SANDBOX;
	res->sandbox_faults = uxdp_prog_sandbox_faults(run->prog) - faults;

	if (check_geometry(&buff, err, err_len) < 0)
		return -EFAULT;
	res->ret = ret;
	res->data = buff.data;
	res->data_len = (uint8_t *)buff.data_end - (uint8_t *)buff.data;
	if (buff.frags != NULL)
		gather(run, &buff, res);
	res->meta = buff.data_meta;
	res->meta_len = (uint8_t *)buff.data - (uint8_t *)buff.data_meta;
	res->ns_per_run = elapsed / o->repeat;
	return 0;
}
