/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_probe_read_kernel(dst, size, unsafe_ptr): a copy that fails instead
 * of faulting. The kernel asks the MMU; uxdp accepts only the current
 * run's packet frame and stack (run_mem.c), so reading a map value or
 * other host memory through this helper fails in uxdp where the kernel
 * would succeed. On failure dst is zeroed, as in the kernel.
 *
 * The error is the kernel's on x86-64: -ERANGE for an address the kernel
 * would not even try (user half, which includes NULL, and non-canonical
 * addresses; copy_from_kernel_nofault_allowed()), -EFAULT for a kernel
 * address that is not mapped.
 */

#include <errno.h>
#include <string.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

/* First kernel-half address of x86-64 with 4-level page tables. */
#define KERNEL_HALF 0xffff800000000000ull

UXDP_HELPER(probe_read_kernel)
{
	void *dst = (void *)(uintptr_t)r1;
	uint32_t size = (uint32_t)r2;
	const void *src = (const void *)(uintptr_t)r3;

	if (dst == NULL && size > 0)
		return uxdp_helper_errno(EFAULT);
	/* Even an empty read of a user-half address is -ERANGE. */
	if (size == 0)
		return uxdp_run_mem_avail(src) > 0 || r3 >= KERNEL_HALF ? 0 :
			uxdp_helper_errno(ERANGE);
	if (!uxdp_run_mem_ok(src, size)) {
		memset(dst, 0, size);
		return uxdp_helper_errno(r3 < KERNEL_HALF ? ERANGE : EFAULT);
	}
	memmove(dst, src, size);
	return 0;
}
