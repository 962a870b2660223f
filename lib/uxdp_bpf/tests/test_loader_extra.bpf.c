/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: sections a loader must read past. Besides the
 * program it holds "license", the legacy "version" section (a u32 that
 * old kernels checked for kprobes), a libxdp-style ".xdp_run_config"
 * (a BTF-described struct whose member types encode the run priority and
 * chain actions, read by libxdp's dispatcher and by nothing else) and,
 * being built with -g, DWARF in .debug_* sections with relocations.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* __uint() encodes a number in a member's type, as in a .maps struct. */
struct {
	__uint(priority, 20);
	__uint(XDP_PASS, 1);
	__uint(XDP_DROP, 1);
} _xdp_extra SEC(".xdp_run_config");

SEC("xdp")
int
xdp_extra(struct xdp_md *ctx)
{
	return XDP_DROP;
}

__u32 _version SEC("version") = 0x60000;
char _license[] SEC("license") = "GPL";
