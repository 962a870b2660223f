/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The mbuf dynamic field through which an application learns how many
 * bytes of XDP metadata sit in front of a passed packet (rte_pmd_uxdp.h).
 */

#include <rte_errno.h>
#include <rte_mbuf_dyn.h>

#include "rte_pmd_uxdp.h"
#include "uxdp_ethdev.h"

int
uxdp_meta_dynfield_register(void)
{
	static const struct rte_mbuf_dynfield field = {
		.name = RTE_PMD_UXDP_META_LEN_DYNFIELD,
		.size = sizeof(uint8_t),
		.align = __alignof__(uint8_t),
	};
	int off;

	/* Registering again returns the same offset. */
	off = rte_mbuf_dynfield_register(&field);
	if (off < 0)
		UXDP_LOG(ERR, "cannot register mbuf field %s: %s",
			 field.name, rte_strerror(rte_errno));
	return off < 0 ? -rte_errno : off;
}
