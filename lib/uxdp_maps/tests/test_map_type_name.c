/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* uxdp_map_type_name() names types as bpftool does; libbpf's own table
 * (what bpftool prints) is the reference for every type it knows. */

#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>
#include <bpf/libbpf.h>

#include "uxdp_map.h"
#include "map_test.h"

int
main(void)
{
	unsigned int compared = 0;
	uint32_t type;

	for (type = 0; type < 64; type++) {
		const char *ref = libbpf_bpf_map_type_str((enum bpf_map_type)type);
		const char *name = uxdp_map_type_name(type);

		CHECK(name != NULL);
		if (ref == NULL)
			continue;
		if (strcmp(name, ref) != 0)
			fprintf(stderr, "type %u: uxdp \"%s\", libbpf \"%s\"\n",
				type, name, ref);
		CHECK(strcmp(name, ref) == 0);
		compared++;
	}
	/* libbpf 1.1 knows every type up to at least user_ringbuf. */
	CHECK(compared > BPF_MAP_TYPE_USER_RINGBUF);
	CHECK(strcmp(uxdp_map_type_name(BPF_MAP_TYPE_HASH), "hash") == 0);
	CHECK(strcmp(uxdp_map_type_name(BPF_MAP_TYPE_ARRAY), "array") == 0);
	CHECK(strcmp(uxdp_map_type_name(1000), "unknown") == 0);
	CHECK(strcmp(uxdp_map_type_name(UINT32_MAX), "unknown") == 0);
	return checks_summary();
}
