/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_strncmp(s1, s1_sz, s2): the kernel's strncmp(s1, s2, s1_sz), which
 * returns -1, 0 or 1 (not the byte difference of C libraries). The kernel
 * verifier requires s2 to be a NUL-terminated string in read-only map
 * memory (.rodata); uxdp does not check that yet, and reads at most s1_sz
 * bytes of either string.
 */

#include <errno.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

UXDP_HELPER(strncmp)
{
	const unsigned char *s1 = (const void *)(uintptr_t)r1;
	const unsigned char *s2 = (const void *)(uintptr_t)r3;
	uint32_t n = (uint32_t)r2, i;

	/* The kernel verifier refuses NULL strings; uxdp must not crash. */
	if ((s1 == NULL || s2 == NULL) && n > 0)
		return uxdp_helper_errno(EFAULT);
	for (i = 0; i < n; i++) {
		if (s1[i] != s2[i])
			return s1[i] < s2[i] ? (uint64_t)-1 : 1;
		if (s1[i] == '\0')
			break;
	}
	return 0;
}
