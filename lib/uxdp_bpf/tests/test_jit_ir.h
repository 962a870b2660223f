/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_TEST_JIT_IR_H
#define UXDP_TEST_JIT_IR_H

/*
 * For tests that look at what the JIT made of a program: its optimised
 * LLVM IR, as UXDP_JIT_DUMP_IR=1 prints it on stderr.
 */

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "uxdp_bpf_internal.h"

/* Compile prog with the JIT (UXDP_JIT_NO_BITCODE=1 too when no_bitcode)
 * and return its optimised IR, malloc'd; NULL with err on failure. */
static inline char *
t_jit_ir(struct uxdp_prog *prog, int no_bitcode, char *err, size_t err_len)
{
	char path[] = "/tmp/uxdp-jit-ir-XXXXXX";
	int fd = mkstemp(path);
	int saved = dup(STDERR_FILENO);
	char *ir = NULL;
	long len;
	FILE *f;
	int ret;

	if (fd < 0 || saved < 0) {
		snprintf(err, err_len, "no temporary file for the IR");
		return NULL;
	}
	setenv("UXDP_JIT_DUMP_IR", "1", 1);
	if (no_bitcode)
		setenv("UXDP_JIT_NO_BITCODE", "1", 1);
	fflush(stderr);
	dup2(fd, STDERR_FILENO);
	ret = uxdp_prog_set_engine(prog, UXDP_ENGINE_JIT, err, err_len);
	fflush(stderr);
	dup2(saved, STDERR_FILENO);
	close(saved);
	unsetenv("UXDP_JIT_DUMP_IR");
	unsetenv("UXDP_JIT_NO_BITCODE");
	f = fdopen(fd, "r");
	if (ret == 0 && f != NULL && fseek(f, 0, SEEK_END) == 0 &&
	    (len = ftell(f)) > 0) {
		ir = calloc(1, len + 1);
		rewind(f);
		if (ir != NULL && fread(ir, 1, len, f) != (size_t)len) {
			free(ir);
			ir = NULL;
		}
	}
	if (f != NULL)
		fclose(f);
	else
		close(fd);
	unlink(path);
	return ir;
}

#endif /* UXDP_TEST_JIT_IR_H */
