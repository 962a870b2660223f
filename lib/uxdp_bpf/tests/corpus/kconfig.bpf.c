/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader corpus: .kconfig externs of several sizes and alignments, so
 * that their places in the "<obj>.kconfig" map value (libbpf's layout)
 * are checked against pyelftools and libbpf. CONFIG_ externs are weak:
 * the object loads even where no kernel config file can be read.
 */

#include <stdbool.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

extern unsigned int LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern char CONFIG_UXDP_CORPUS_ABSENT[4] __kconfig __weak;
extern unsigned long long CONFIG_LOG_BUF_SHIFT __kconfig __weak;

SEC("xdp")
int prog_kconfig(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *end = (void *)(long)ctx->data_end;

	if (data + 8 > end)
		return XDP_PASS;
	data[0] = LINUX_KERNEL_VERSION >> 16;
	data[1] = LINUX_KERNEL_VERSION >> 8;
	data[2] = CONFIG_BPF_SYSCALL;
	data[3] = CONFIG_HZ;
	data[4] = CONFIG_HZ >> 8;
	data[5] = CONFIG_UXDP_CORPUS_ABSENT[1];
	data[6] = CONFIG_LOG_BUF_SHIFT;
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
