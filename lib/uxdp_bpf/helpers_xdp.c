/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * XDP frame helpers with the kernel's limits. r1 is the ctx, which at run
 * time is the struct uxdp_xdp_buff itself. Pointer arithmetic is done on
 * uintptr_t so that out-of-frame candidates can be compared safely.
 */

#include <errno.h>
#include <string.h>
#include <linux/if_ether.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

/* Metadata the kernel allows in front of the packet: its skb keeps the
 * length in a u8 (older kernels allowed 32 bytes). */
#define XDP_META_MAX 255

static struct uxdp_xdp_buff *
buff_arg(uint64_t r)
{
	return (struct uxdp_xdp_buff *)(uintptr_t)r;
}

/* Lowest address data_meta may reach: the kernel keeps struct xdp_frame
 * at the start of the frame. */
static uintptr_t
frame_floor(const struct uxdp_xdp_buff *xdp)
{
	return (uintptr_t)xdp->data_hard_start + UXDP_XDP_FRAME_RESERVE;
}

/* bpf_xdp_adjust_head(ctx, delta): move the packet start, carrying any
 * metadata along; at least an Ethernet header must remain. */
UXDP_HELPER(xdp_adjust_head)
{
	struct uxdp_xdp_buff *xdp = buff_arg(r1);
	int delta = (int)r2;
	uintptr_t data = (uintptr_t)xdp->data;
	uintptr_t meta = (uintptr_t)xdp->data_meta;
	size_t meta_len = data - meta;
	uintptr_t new_data = data + delta;

	if (new_data < frame_floor(xdp) + meta_len ||
	    new_data > (uintptr_t)xdp->data_end - ETH_HLEN)
		return uxdp_helper_errno(EINVAL);
	if (meta_len > 0)
		memmove((void *)(meta + delta), (void *)meta, meta_len);
	xdp->data_meta = (void *)(meta + delta);
	xdp->data = (void *)new_data;
	return 0;
}

/* bpf_xdp_adjust_meta(ctx, delta): grow or shrink the metadata in front
 * of the packet; its length must stay a multiple of 4. */
UXDP_HELPER(xdp_adjust_meta)
{
	struct uxdp_xdp_buff *xdp = buff_arg(r1);
	int delta = (int)r2;
	uintptr_t data = (uintptr_t)xdp->data;
	uintptr_t new_meta = (uintptr_t)xdp->data_meta + delta;
	size_t meta_len;

	if (new_meta < frame_floor(xdp) || new_meta > data)
		return uxdp_helper_errno(EINVAL);
	meta_len = data - new_meta;
	if ((meta_len & 3) != 0 || meta_len > XDP_META_MAX)
		return uxdp_helper_errno(EACCES);
	xdp->data_meta = (void *)new_meta;
	return 0;
}

/* bpf_xdp_adjust_tail(ctx, delta): move the packet end within the frame's
 * tailroom; grown bytes are zeroed (they may hold stale data). */
UXDP_HELPER(xdp_adjust_tail)
{
	struct uxdp_xdp_buff *xdp = buff_arg(r1);
	int delta = (int)r2;
	uintptr_t end = (uintptr_t)xdp->data_end;
	uintptr_t new_end = end + delta;

	if (new_end > (uintptr_t)xdp->data_hard_end ||
	    new_end < (uintptr_t)xdp->data + ETH_HLEN)
		return uxdp_helper_errno(EINVAL);
	if (delta > 0)
		memset((void *)end, 0, delta);
	xdp->data_end = (void *)new_end;
	return 0;
}

/* bpf_xdp_get_buff_len(ctx): packet length (uxdp frames are linear). */
UXDP_HELPER(xdp_get_buff_len)
{
	const struct uxdp_xdp_buff *xdp = buff_arg(r1);

	return (uintptr_t)xdp->data_end - (uintptr_t)xdp->data;
}
