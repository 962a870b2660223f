/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp_obj_load_mem(): the loader over bytes the caller already holds (an
 * object embedded in an application, received over a socket, or a
 * fuzzer's input). The loader reads a file whole before parsing it, so
 * this only skips the read; every later stage is the same.
 */

#include <errno.h>

#include "loader.h"

/* Name of an object given without one: a file name, since the internal
 * map names (".rodata" -> "mem.rodata") derive from it as from a path. */
#define LOAD_MEM_DEFAULT_NAME "mem.o"

int
uxdp_obj_load_mem(const void *buf, size_t size, const char *name,
		  const struct uxdp_obj_opts *opts, struct uxdp_obj **out,
		  char *err, size_t err_len)
{
	if (name == NULL || name[0] == '\0')
		name = LOAD_MEM_DEFAULT_NAME;
	if (buf == NULL) {
		if (out != NULL)
			*out = NULL;
		return uxdp_set_err(err, err_len, EINVAL,
				    "%s: no object bytes", name);
	}
	return ldr_load(name, buf, size, opts, out, err, err_len);
}
