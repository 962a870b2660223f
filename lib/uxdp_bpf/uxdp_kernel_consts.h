/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_KERNEL_CONSTS_H
#define UXDP_KERNEL_CONSTS_H

/*
 * `volatile const` settings (struct uxdp_const_set) written into the
 * .rodata images of an object libbpf has opened and not yet loaded, as a
 * libbpf skeleton does before bpf_object__load(). The text of a value is
 * read by uxdp_const_encode(), exactly as uxdp's own loader reads it; the
 * variable is found in libbpf's view of the object. Used by the kernel
 * verification layer and by the kernel oracle.
 */

#include "uxdp_bpf.h"

struct bpf_object;

/* 0, or -errno with err naming path and the setting. */
int uxdp_kernel_set_consts(struct bpf_object *obj, const char *path,
			   const struct uxdp_const_set *consts, unsigned int n,
			   char *err, size_t err_len);

#endif /* UXDP_KERNEL_CONSTS_H */
