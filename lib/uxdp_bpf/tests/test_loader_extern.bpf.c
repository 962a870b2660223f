/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: .kconfig externs of every kind libbpf resolves. The
 * object loads; the program copies the values into `kcfg_out` so that
 * test_loader_core.c can compare them with the running kernel's version
 * and config, and with what libbpf puts in the kernel. Unknown weak ones
 * (a LINUX_ and a CONFIG_ name) must read 0. The refusals (a strong
 * unknown extern, a plain extern outside .kconfig) are in
 * test_loader_core_bad.bpf.c.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern _Bool LINUX_HAS_BPF_COOKIE __kconfig __weak;
extern __u64 LINUX_UXDP_TEST_UNKNOWN __kconfig __weak;
extern _Bool CONFIG_BPF __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern enum libbpf_tristate CONFIG_TCP_CONG_CUBIC __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;
extern int CONFIG_UXDP_TEST_MISSING __kconfig __weak;

/* Same order as the test's expectations. */
__u64 kcfg_out[8];

SEC("xdp")
int xdp_extern(struct xdp_md *ctx)
{
	kcfg_out[0] = LINUX_KERNEL_VERSION;
	kcfg_out[1] = LINUX_HAS_BPF_COOKIE;
	kcfg_out[2] = LINUX_UXDP_TEST_UNKNOWN;
	kcfg_out[3] = CONFIG_BPF;
	kcfg_out[4] = CONFIG_HZ;
	kcfg_out[5] = CONFIG_TCP_CONG_CUBIC;
	kcfg_out[6] = CONFIG_UXDP_TEST_MISSING;
	kcfg_out[7] = CONFIG_DEFAULT_HOSTNAME[0];
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
