/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef RUN_MAIN_H
#define RUN_MAIN_H

#include <stdio.h>

#include "run_json.h"
#include "run_maps.h"
#include "run_opts.h"
#include "run_pcap.h"

/* open() result: this environment cannot run the tool at all. */
#define RUN_OPEN_SKIP 1
/* Exit status for RUN_OPEN_SKIP: the automake/meson "skipped" code. */
#define RUN_EXIT_SKIP 77

/*
 * One execution backend behind the uxdp-run command line: uxdp itself, or
 * the kernel through BPF_PROG_TEST_RUN. The driver in run_main.c owns the
 * options, the packet loop, the JSON lines, the pcap files and the map
 * dump, so the two tools print the same thing for the same semantics.
 */
struct run_tool {
	struct run_opts_spec spec;
	/* Load OBJ.o and pick the program: 0, RUN_OPEN_SKIP or -errno, with
	 * a message in err for anything but 0. */
	int (*open)(const struct run_opts *o, void **ctx, char *err,
		    size_t err_len);
	void (*close)(void *ctx);
	/* --list: print the JSON array of programs. */
	int (*list_progs)(void *ctx, FILE *f);
	/*
	 * Run one packet o->repeat times on one frame, in place. res points
	 * into the backend's frame until the next call. -errno with a
	 * message in err when this packet cannot be run; the loop goes on.
	 */
	int (*run_packet)(void *ctx, const struct run_opts *o,
			  const struct run_pkt *pkt, struct run_result *res,
			  char *err, size_t err_len);
	const struct run_map_ops *map_ops;
};

/* The whole tool; returns the exit status. */
int run_main(int argc, char **argv, const struct run_tool *tool);

#endif /* RUN_MAIN_H */
