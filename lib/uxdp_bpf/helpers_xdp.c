/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * XDP frame helpers with the kernel's limits. r1 is the ctx, which at run
 * time is the struct uxdp_xdp_buff itself. Pointer arithmetic is done on
 * uintptr_t so that out-of-frame candidates can be compared safely.
 *
 * Two geometries meet here. The kernel frame (frame_start/frame_end, or
 * the buffer itself when they are NULL) decides every answer, so return
 * codes are the kernel's. The buffer [data_hard_start, data_hard_end) is
 * where the bytes live: when a program asks for headroom or tailroom the
 * kernel frame has but the buffer has only at its other end, the packet
 * moves inside the buffer first (the kernel's verifier invalidates every
 * packet pointer across these helpers, so a program cannot tell). When
 * the buffer is too small altogether the helper fails with -EINVAL, the
 * kernel's answer for a frame of that size.
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
	const void *start = xdp->frame_start != NULL ? xdp->frame_start :
			    xdp->data_hard_start;

	return (uintptr_t)start + UXDP_XDP_FRAME_RESERVE;
}

/* Highest address data_end may reach (the kernel's xdp_data_hard_end()). */
static uintptr_t
frame_ceiling(const struct uxdp_xdp_buff *xdp)
{
	return (uintptr_t)(xdp->frame_end != NULL ? xdp->frame_end :
			   xdp->data_hard_end);
}

/* Make the bytes [lo, hi) that the packet and its metadata will occupy
 * lie inside the buffer, moving them by the least amount that does; the
 * kernel frame moves along. Returns the shift applied to every pointer
 * of the frame, or fails when the buffer cannot hold hi - lo bytes. */
static int
fit_in_buffer(struct uxdp_xdp_buff *xdp, uintptr_t lo, uintptr_t hi,
	      intptr_t *shift)
{
	uintptr_t buf_lo = (uintptr_t)xdp->data_hard_start;
	uintptr_t buf_hi = (uintptr_t)xdp->data_hard_end;
	uintptr_t meta = (uintptr_t)xdp->data_meta;
	uintptr_t end = (uintptr_t)xdp->data_end;
	intptr_t d;

	*shift = 0;
	if (lo >= buf_lo && hi <= buf_hi)
		return 0;
	if (xdp->frame_start == NULL)
		return -1;
	if (hi - lo > buf_hi - buf_lo) {
		xdp->room_misses++;
		return -1;
	}
	d = lo < buf_lo ? (intptr_t)(buf_lo - lo) : -(intptr_t)(hi - buf_hi);
	memmove((void *)(meta + d), (void *)meta, end - meta);
	xdp->data_meta = (void *)(meta + d);
	xdp->data = (uint8_t *)xdp->data + d;
	xdp->data_end = (void *)(end + d);
	xdp->frame_start = (uint8_t *)xdp->frame_start + d;
	xdp->frame_end = (uint8_t *)xdp->frame_end + d;
	*shift = d;
	return 0;
}

/* bpf_xdp_adjust_head(ctx, delta): move the packet start, carrying any
 * metadata along; at least an Ethernet header must remain. */
UXDP_HELPER(xdp_adjust_head)
{
	struct uxdp_xdp_buff *xdp = buff_arg(r1);
	int delta = (int)r2;
	uintptr_t data = (uintptr_t)xdp->data;
	size_t meta_len = data - (uintptr_t)xdp->data_meta;
	uintptr_t new_data = data + delta;
	intptr_t shift;

	if (new_data < frame_floor(xdp) + meta_len ||
	    new_data > (uintptr_t)xdp->data_end - ETH_HLEN)
		return uxdp_helper_errno(EINVAL);
	if (fit_in_buffer(xdp, new_data - meta_len, (uintptr_t)xdp->data_end,
			  &shift) < 0)
		return uxdp_helper_errno(EINVAL);
	new_data += shift;
	if (meta_len > 0)
		memmove((void *)(new_data - meta_len), xdp->data_meta,
			meta_len);
	xdp->data_meta = (void *)(new_data - meta_len);
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
	intptr_t shift;

	if (new_meta < frame_floor(xdp) || new_meta > data)
		return uxdp_helper_errno(EINVAL);
	meta_len = data - new_meta;
	if ((meta_len & 3) != 0 || meta_len > XDP_META_MAX)
		return uxdp_helper_errno(EACCES);
	if (fit_in_buffer(xdp, new_meta, (uintptr_t)xdp->data_end, &shift) < 0)
		return uxdp_helper_errno(EINVAL);
	xdp->data_meta = (void *)(new_meta + shift);
	return 0;
}

/* Multi-buffer growth: into the last fragment's room. */
static int
frags_grow_tail(struct uxdp_xdp_buff *xdp, uint32_t delta)
{
	struct uxdp_xdp_frag *last = &xdp->frags[xdp->nr_frags - 1];

	if (delta > last->room - last->len)
		return -EINVAL;
	memset(last->data + last->len, 0, delta);
	last->len += delta;
	xdp->frags_len += delta;
	return 0;
}

/* Multi-buffer shrinking, as the kernel's: trailing fragments emptied
 * entirely are released (nr_frags drops; the frame's builder frees
 * them), the last one left keeps the rest; what is left of delta once no
 * fragment remains comes off the linear part. At least an Ethernet
 * header of packet must remain. */
static int
frags_shrink_tail(struct uxdp_xdp_buff *xdp, uint32_t delta)
{
	uint32_t linear = (uintptr_t)xdp->data_end - (uintptr_t)xdp->data;

	if ((uint64_t)delta + ETH_HLEN > (uint64_t)linear + xdp->frags_len)
		return -EINVAL;
	while (xdp->nr_frags > 0 && delta > 0) {
		struct uxdp_xdp_frag *last = &xdp->frags[xdp->nr_frags - 1];

		if (delta < last->len) {
			last->len -= delta;
			xdp->frags_len -= delta;
			return 0;
		}
		delta -= last->len;
		xdp->frags_len -= last->len;
		xdp->nr_frags--;
	}
	if (xdp->nr_frags == 0)
		xdp->data_end = (uint8_t *)xdp->data_end - delta;
	return 0;
}

/* bpf_xdp_adjust_tail(ctx, delta): move the packet end within the frame's
 * tailroom; grown bytes are zeroed (they may hold stale data). With
 * fragments, the end is the last fragment's. */
UXDP_HELPER(xdp_adjust_tail)
{
	struct uxdp_xdp_buff *xdp = buff_arg(r1);
	int delta = (int)r2;
	uintptr_t end = (uintptr_t)xdp->data_end;
	uintptr_t new_end = end + delta;
	intptr_t shift;
	int ret;

	if (xdp->nr_frags > 0) {
		ret = delta < 0 ? frags_shrink_tail(xdp, -(int64_t)delta) :
		      frags_grow_tail(xdp, delta);
		return ret < 0 ? uxdp_helper_errno(-ret) : 0;
	}
	if (new_end > frame_ceiling(xdp) ||
	    new_end < (uintptr_t)xdp->data + ETH_HLEN)
		return uxdp_helper_errno(EINVAL);
	if (delta > 0) {
		if (fit_in_buffer(xdp, (uintptr_t)xdp->data_meta, new_end,
				  &shift) < 0)
			return uxdp_helper_errno(EINVAL);
		end += shift;
		new_end += shift;
		memset((void *)end, 0, delta);
	}
	xdp->data_end = (void *)new_end;
	return 0;
}

/* bpf_xdp_get_buff_len(ctx): the whole packet, fragments included. */
UXDP_HELPER(xdp_get_buff_len)
{
	const struct uxdp_xdp_buff *xdp = buff_arg(r1);

	return (uintptr_t)xdp->data_end - (uintptr_t)xdp->data +
	       xdp->frags_len;
}
