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
/* An object with a prog array loads all its XDP programs: the array's
 * initial values (and any tail call) need them (kernel_run_maps.c). */
bool kernel_run_loads_tail_targets(struct bpf_object *obj,
				   struct bpf_program *prog);

/* kernel_run_list.c: type the sections uxdp takes for XDP but libbpf 1.1
 * does not know; print a loaded program's ", \"map_refs\": [...]". */
void kernel_run_adopt_xdp_sections(struct bpf_object *obj);
void kernel_run_list_map_refs(struct bpf_object *obj,
			      const struct bpf_program *prog, FILE *f);
/* -1 (and why on stderr) when a map the kernel created differs from
 * libbpf's definition of it. */
int kernel_run_check_created_maps(struct bpf_object *obj);

#endif /* KERNEL_RUN_H */
