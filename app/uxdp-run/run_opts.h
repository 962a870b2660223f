/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef RUN_OPTS_H
#define RUN_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One --map-update MAP:KEYHEX:VALHEX, decoded. */
struct run_map_update {
	char *map;
	uint8_t *key;
	size_t key_len;
	uint8_t *value;
	size_t value_len;
	/* MAP:KEY:VALUE:PROG: the program whose reference (uxdp: id, kernel:
	 * fd) fills bytes 4..7 of a devmap value; NULL when not given */
	char *prog;
};

struct uxdp_const_set;

/* The command line of uxdp-run (and of the kernel oracle, a subset). */
struct run_opts {
	const char *engine;   /* "jit", "interp" or NULL for the default */
	const char *prog;     /* --prog: function or section name, or NULL */
	uint32_t ifindex;     /* --ifindex: xdp_md.ingress_ifindex */
	uint32_t rxq;         /* --rxq: xdp_md.rx_queue_index */
	/* --mbuf HEADROOM:BUF_LEN: the packet sits in a buffer like
	 * net_uxdp's mbufs, under the kernel frame (uxdp_run_frame.c) */
	bool has_mbuf;
	uint32_t mbuf_headroom;
	uint32_t mbuf_buf_len;
	struct run_map_update *updates;
	unsigned int n_updates;
	/* --set NAME=VALUE: `volatile const` settings, parsed by
	 * uxdp_const_parse(), in command line order */
	struct uxdp_const_set *consts;
	unsigned int n_consts;
	bool dump_maps;
	/* --sandbox: run under the sandbox's run-time checks whatever the
	 * verification mode (doc/sandbox.md) */
	bool sandbox;
	bool btf_json;        /* --btf-json: dumps add BTF-formatted entries */
	bool list;
	bool timed;           /* --repeat was given: report ns_per_run */
	uint32_t repeat;      /* runs per packet, >= 1 */
	const char *out_path; /* --out */
	const char *obj_path;
	uint8_t *pkt;         /* --pkt, decoded */
	size_t pkt_len;
	bool has_pkt;
	const char *in_path;  /* --in */
};

/* What a tool's command line accepts beyond the common options. */
struct run_opts_spec {
	const char *tool_name;
	const char *usage;    /* printed by --help and after usage errors */
	bool has_engine;      /* --engine */
	bool has_btf_json;    /* --btf-json */
	bool has_mbuf;        /* --mbuf */
	bool has_sandbox;     /* --sandbox */
};

/*
 * Parse argv. Returns 0 when the tool should run, 1 when --help was
 * printed (exit 0), or -EINVAL after printing the problem to stderr
 * (exit 2). run_opts_free() releases what a parse left, in every case.
 */
int run_opts_parse(int argc, char **argv, const struct run_opts_spec *spec,
		   struct run_opts *o);
void run_opts_free(struct run_opts *o);

#endif /* RUN_OPTS_H */
