/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef KERNEL_RUN_H
#define KERNEL_RUN_H

#include <bpf/libbpf.h>

#include "run_main.h"

/* The kernel oracle's state: the object loaded into the kernel, the
 * chosen program's fd and the maps libbpf created for it. */
struct kernel_run {
	struct bpf_object *obj;
	int prog_fd;             /* -1 with --list */
	struct bpf_map **maps;   /* maps with a kernel fd, in libbpf's order */
	unsigned int n_maps;
	uint8_t *out_buf;        /* BPF_PROG_TEST_RUN data_out */
	size_t out_buf_len;
};

/* kernel_run_maps.c */
extern const struct run_map_ops kernel_run_map_ops;
int kernel_run_collect_maps(struct kernel_run *kr);

#endif /* KERNEL_RUN_H */
