/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_check_mtu(ctx, ifindex, *mtu_len, len_diff, flags) for XDP, with the
 * kernel's arithmetic. The device is the one the packet arrived on, whose
 * MTU the caller of the run put in uxdp_xdp_buff.mtu (the PMD: the port's
 * DPDK MTU; uxdp-run: lo's, as the kernel's test run). uxdp knows no other
 * device: any other ifindex is -ENODEV.
 */

#include <errno.h>
#include <linux/if_ether.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

/* dev->hard_header_len of Ethernet devices and of lo. */
#define HARD_HEADER_LEN ETH_HLEN

UXDP_HELPER(check_mtu)
{
	const struct uxdp_xdp_buff *xdp = (void *)(uintptr_t)r1;
	uint32_t ifindex = (uint32_t)r2;
	uint32_t *mtu_len = (uint32_t *)(uintptr_t)r3;
	uint32_t mtu = xdp->mtu != 0 ? xdp->mtu : UXDP_DEFAULT_MTU;
	uint32_t len = (uint32_t)((uintptr_t)xdp->data_end -
				  (uintptr_t)xdp->data);
	int32_t dev_len, xdp_len;

	/* XDP has no BPF_MTU_CHK_SEGS: every flag is invalid. */
	if (r5 != 0)
		return uxdp_helper_errno(EINVAL);
	if (ifindex != 0 && ifindex != xdp->ingress_ifindex)
		return uxdp_helper_errno(ENODEV);
	if (mtu_len == NULL)
		return uxdp_helper_errno(EFAULT);
	/* The kernel computes in int: wrap the same way. A non-zero
	 * *mtu_len is an L3 length (like an IP total length). */
	dev_len = (int32_t)(mtu + HARD_HEADER_LEN);
	if (*mtu_len != 0)
		len = *mtu_len + HARD_HEADER_LEN;
	xdp_len = (int32_t)(len + (uint32_t)r4);
	*mtu_len = mtu;
	return xdp_len > dev_len ? BPF_MTU_CHK_RET_FRAG_NEEDED :
		BPF_MTU_CHK_RET_SUCCESS;
}
