/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_RUN_H
#define UXDP_RUN_H

#include <uxdp_bpf.h>

#include "run_main.h"

/* uxdp-run's backend state: the object, the chosen program and the one
 * frame every packet is copied into. */
struct uxdp_run {
	struct uxdp_obj *obj;
	struct uxdp_prog *prog; /* NULL with --list */
	uint8_t *frame;         /* UXDP_XDP_FRAME_SIZE bytes */
	/* Multi-buffer packets (uxdp_run_frame.c): one page per fragment,
	 * and the whole packet gathered for the output. */
	uint8_t *frag_pages;    /* UXDP_XDP_MAX_FRAGS pages */
	uint8_t *gathered;      /* UXDP_RUN_MAX_PKT bytes */
	struct uxdp_xdp_frag frags[UXDP_XDP_MAX_FRAGS];
	uint8_t *mbuf_buf;      /* --mbuf: UINT16_MAX bytes */
};

/* The most packet BPF_PROG_TEST_RUN keeps linear, and the most it takes:
 * the linear part plus MAX_SKB_FRAGS page-sized fragments. */
#define UXDP_RUN_MAX_LINEAR (UXDP_XDP_FRAME_SIZE - UXDP_XDP_HEADROOM - \
			     UXDP_XDP_TAILROOM)
#define UXDP_RUN_MAX_PKT (UXDP_RUN_MAX_LINEAR + \
			  UXDP_XDP_MAX_FRAGS * UXDP_XDP_FRAME_SIZE)

/* uxdp_run_frame.c */
int uxdp_run_packet(void *ctx, const struct run_opts *o,
		    const struct run_pkt *pkt, struct run_result *res,
		    char *err, size_t err_len);

/* uxdp_run_maps.c */
extern const struct run_map_ops uxdp_run_map_ops;

#endif /* UXDP_RUN_H */
