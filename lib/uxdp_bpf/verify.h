/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_VERIFY_H
#define UXDP_VERIFY_H

/*
 * Private to lib/uxdp_bpf: the verification modes at load time. verify.c
 * resolves AUTO once the kernel's answer is known; verify_kernel.c asks
 * the kernel verifier about an ELF object or raw instructions;
 * verify_log.c turns its log into a one-line reason and captures libbpf's
 * messages while it works.
 */

#include <stddef.h>
#include <stdint.h>

#include "uxdp_bpf.h"

struct bpf_insn;

/*
 * The mode a load gets: NONE, KERNEL or SANDBOX. AUTO becomes KERNEL when
 * the bpf() syscall can load an XDP program here (asked once per
 * process), else SANDBOX. KERNEL without the syscall is -ENOTSUP with err
 * saying why. Unknown values are -EINVAL.
 */
int uxdp_verify_resolve(enum uxdp_verify asked, enum uxdp_verify *got,
			char *err, size_t err_len);

/*
 * Load the ELF object image (size bytes, named path in messages) into the
 * kernel with libbpf: every program of a section uxdp takes for XDP, maps
 * created from the same definitions, consts applied to .rodata as uxdp
 * applies them, nothing pinned or attached; everything is closed before
 * this returns. 0 when the kernel accepts all of them. Otherwise -errno
 * (-EACCES for a verifier refusal) with a one-line reason in err and, when
 * log is not NULL, the verifier's log and libbpf's messages in log
 * (NUL-terminated, the tail when longer than log_size).
 */
int uxdp_verify_kernel_elf(const char *path, const void *image, size_t size,
			   const struct uxdp_const_set *consts,
			   unsigned int n_consts, char *log, size_t log_size,
			   char *err, size_t err_len);

/* The same for raw instructions: one XDP program, license "GPL". */
int uxdp_verify_kernel_insns(const char *name, const struct bpf_insn *insns,
			     uint32_t n, char *log, size_t log_size,
			     char *err, size_t err_len);

/*
 * verify_log.c: the reason of a verifier log in one line, e.g.
 * "insn 1: r0 = *(u8 *)(r2 +0): invalid access to packet, off=0 size=1,
 * R2(id=0,off=0,r=0); R2 offset is outside of the packet". Empty when the
 * log has nothing that looks like a refusal.
 */
void uxdp_verify_log_reason(const char *log, char *out, size_t out_len);

/* Copy text into a log buffer, keeping its tail when it does not fit. */
void uxdp_verify_log_put(char *log, size_t log_size, const char *text);

#endif /* UXDP_VERIFY_H */
