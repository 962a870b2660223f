/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_xdp_load_bytes() and bpf_xdp_store_bytes(): copies between the
 * packet and program memory, with the kernel's bounds. A multi-buffer
 * frame's packet is its linear part followed by its fragments; a range
 * may span any number of them.
 */

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

/* The kernel takes offsets and lengths up to 0xffff (-EFAULT beyond, its
 * frames being at most 64 KiB), then requires the range inside the
 * packet, fragments included (-EINVAL). The sum cannot wrap: both are
 * below 2^16. */
static int
packet_range_check(const struct uxdp_xdp_buff *xdp, uint32_t off,
		   uint32_t len, const void *buf)
{
	uintptr_t size = (uintptr_t)xdp->data_end - (uintptr_t)xdp->data +
			 xdp->frags_len;

	if (off > 0xffff || len > 0xffff)
		return -EFAULT;
	/* The kernel verifier refuses a NULL buffer; uxdp must not crash. */
	if (buf == NULL && len > 0)
		return -EFAULT;
	if ((uintptr_t)off + len > size)
		return -EINVAL;
	return 0;
}

/* Copy len bytes at packet offset off to (to_packet false) or from buf,
 * walking the linear part and then the fragments. The range was checked.
 * memmove: buf may itself point into the packet. */
static void
packet_copy(const struct uxdp_xdp_buff *xdp, uint32_t off, uint8_t *buf,
	    uint32_t len, bool to_packet)
{
	uint8_t *part = xdp->data;
	uint32_t part_len = (uintptr_t)xdp->data_end - (uintptr_t)xdp->data;
	uint32_t i = 0;

	while (len > 0) {
		if (off < part_len) {
			uint32_t n = part_len - off < len ? part_len - off :
				     len;

			if (to_packet)
				memmove(part + off, buf, n);
			else
				memmove(buf, part + off, n);
			buf += n;
			len -= n;
			off = 0;
		} else {
			off -= part_len;
		}
		if (len == 0 || i >= xdp->nr_frags)
			break;
		part = xdp->frags[i].data;
		part_len = xdp->frags[i].len;
		i++;
	}
}

/* bpf_xdp_load_bytes(ctx, offset, buf, len); buf is left untouched on
 * error, as in the kernel. */
UXDP_HELPER(xdp_load_bytes)
{
	const struct uxdp_xdp_buff *xdp = (void *)(uintptr_t)r1;
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;
	uint8_t *buf = (uint8_t *)(uintptr_t)r3;
	int ret;

	ret = packet_range_check(xdp, off, len, buf);
	if (ret < 0)
		return uxdp_helper_errno(-ret);
	packet_copy(xdp, off, buf, len, false);
	return 0;
}

/* bpf_xdp_store_bytes(ctx, offset, buf, len). */
UXDP_HELPER(xdp_store_bytes)
{
	const struct uxdp_xdp_buff *xdp = (void *)(uintptr_t)r1;
	uint32_t off = (uint32_t)r2, len = (uint32_t)r4;
	uint8_t *buf = (uint8_t *)(uintptr_t)r3;
	int ret;

	ret = packet_range_check(xdp, off, len, buf);
	if (ret < 0)
		return uxdp_helper_errno(-ret);
	packet_copy(xdp, off, buf, len, true);
	return 0;
}
