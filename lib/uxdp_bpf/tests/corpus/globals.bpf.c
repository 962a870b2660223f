/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader corpus: global data in every section libbpf makes a map of:
 * .rodata (const), .rodata.str1.1 (string literals), .data, .data.custom,
 * .bss and .rodata.cfg; global and static variables (static-only sections
 * are not mmap()-able for libbpf 1.1); license and version sections. The
 * program folds them into the packet so both engines must agree on the
 * values.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

const volatile __u32 ro_table[4] = { 11, 22, 33, 44 };
__u64 rw_counter = 5;
static __u32 rw_static = 9;
__u32 custom_word SEC(".data.custom") = 0xc0ffee;
__u64 zeroed[4];
static __u32 zeroed_static;
const volatile __u8 cfg_mode SEC(".rodata.cfg") = 2;

SEC("xdp")
int prog_globals(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *end = (void *)(long)ctx->data_end;
	const char *word = "uxdp-corpus";
	__u32 i;

	if (data + 8 > end)
		return XDP_PASS;
	i = data[0] & 3;
	data[1] = ro_table[i];
	data[2] = word[i + 4];
	data[3] = rw_counter++;
	data[4] = rw_static++;
	data[5] = custom_word >> 8;
	data[6] = cfg_mode;
	zeroed[i] += data[7];
	zeroed_static += 1;
	data[7] = zeroed_static;
	return XDP_TX;
}

char _license[] SEC("license") = "Dual BSD/GPL";
__u32 _version SEC("version") = 1;
