/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: a variable defined nowhere. Its ld_imm64 carries a
 * relocation against an undefined symbol, which the loader must refuse by
 * name.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern __u32 uxdp_test_undefined_var;

SEC("xdp")
int xdp_extern(struct xdp_md *ctx)
{
	return uxdp_test_undefined_var & 3;
}

char _license[] SEC("license") = "GPL";
