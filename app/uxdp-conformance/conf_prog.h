/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef CONF_PROG_H
#define CONF_PROG_H

#include <stddef.h>
#include <stdint.h>

#include "uxdp_bpf.h"

/* How the program sees the input memory. */
enum conf_mem_mode {
	/* r1 = pointer to the memory, r2 = its length (the ISA conformance
	 * plugins' convention, e.g. uBPF's); r1 is not an xdp_md ctx. */
	CONF_MEM_PLAIN = 0,
	/* r1 = xdp_md ctx, the memory is the packet (data..data_end), as
	 * BPF_PROG_TEST_RUN in the libbpf plugin; for the runner's
	 * --xdp_prolog and for ELF objects. */
	CONF_MEM_XDP,
};

/* One program ready to run over one memory image. */
struct conf_prog {
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;
	enum conf_mem_mode mode;
	uint8_t *frame;  /* CONF_MEM_XDP: the XDP frame holding the packet */
	uint8_t *mem;    /* CONF_MEM_PLAIN: the memory r1 points to */
	size_t mem_len;
};

/*
 * Build a program from raw instruction bytes (len a multiple of 8) or, with
 * is_elf, from a whole ELF object, over the given memory (copied). Checks
 * it and selects the engine. -errno and a one-line message in err.
 */
int conf_prog_build(struct conf_prog *cp, const uint8_t *code, size_t len,
		    int is_elf, enum conf_mem_mode mode, const uint8_t *mem,
		    size_t mem_len, enum uxdp_engine engine, char *err,
		    size_t err_len);

/* Run once; the whole 64-bit r0. */
uint64_t conf_prog_run(struct conf_prog *cp);

/* Free what conf_prog_build() made; cp may be partly built. */
void conf_prog_free(struct conf_prog *cp);

#endif /* CONF_PROG_H */
