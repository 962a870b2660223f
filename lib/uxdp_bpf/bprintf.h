/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_BPRINTF_H
#define UXDP_BPRINTF_H

/*
 * The kernel's formatting for BPF (bpf_bprintf_prepare() + bstr_printf()),
 * shared by bpf_snprintf() and bpf_trace_vprintk().
 */

#include <stddef.h>
#include <stdint.h>

/* Most arguments a format may take (the kernel's MAX_BPRINTF_VARARGS). */
#define UXDP_BPRINTF_MAX_ARGS 12

/*
 * Format fmt (NUL-terminated within fmt_max bytes) with args[0..n_args)
 * into buf, at most size bytes including a terminating NUL (none when size
 * is 0). Returns the length of the whole text, excluding the NUL, even
 * past size; -EINVAL for a format the kernel refuses (nothing written);
 * -ENOSPC when the arguments exceed the kernel's 512-byte argument buffer.
 */
int uxdp_bprintf(char *buf, size_t size, const char *fmt, size_t fmt_max,
		 const uint64_t *args, unsigned int n_args);

#endif /* UXDP_BPRINTF_H */
