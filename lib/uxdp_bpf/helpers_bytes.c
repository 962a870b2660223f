/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_xdp_load_bytes() and bpf_xdp_store_bytes(): copies between the
 * packet and program memory, with the kernel's bounds. uxdp frames are
 * linear, so the kernel's fragment walk never applies.
 */

#include <errno.h>
#include <string.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

/* The kernel takes offsets and lengths up to 0xffff (-EFAULT beyond, its
 * frames being at most 64 KiB), then requires the range inside the
 * packet (-EINVAL). The sum cannot wrap: both are below 2^16. */
static int
packet_range(const struct uxdp_xdp_buff *xdp, uint32_t off, uint32_t len,
	     const void *buf, uint8_t **ptr)
{
	uintptr_t size = (uintptr_t)xdp->data_end - (uintptr_t)xdp->data;

	if (off > 0xffff || len > 0xffff)
		return -EFAULT;
	/* The kernel verifier refuses a NULL buffer; uxdp must not crash. */
	if (buf == NULL && len > 0)
		return -EFAULT;
	if ((uintptr_t)off + len > size)
		return -EINVAL;
	*ptr = (uint8_t *)xdp->data + off;
	return 0;
}

/* bpf_xdp_load_bytes(ctx, offset, buf, len); buf is left untouched on
 * error, as in the kernel. */
UXDP_HELPER(xdp_load_bytes)
{
	const struct uxdp_xdp_buff *xdp = (void *)(uintptr_t)r1;
	uint32_t len = (uint32_t)r4;
	uint8_t *ptr;
	int ret;

	ret = packet_range(xdp, (uint32_t)r2, len, (void *)(uintptr_t)r3, &ptr);
	if (ret < 0)
		return uxdp_helper_errno(-ret);
	memmove((void *)(uintptr_t)r3, ptr, len);
	return 0;
}

/* bpf_xdp_store_bytes(ctx, offset, buf, len). */
UXDP_HELPER(xdp_store_bytes)
{
	const struct uxdp_xdp_buff *xdp = (void *)(uintptr_t)r1;
	uint32_t len = (uint32_t)r4;
	uint8_t *ptr;
	int ret;

	ret = packet_range(xdp, (uint32_t)r2, len, (void *)(uintptr_t)r3, &ptr);
	if (ret < 0)
		return uxdp_helper_errno(-ret);
	/* memmove: buf may itself point into the packet. */
	memmove(ptr, (const void *)(uintptr_t)r3, len);
	return 0;
}
