/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: `volatile const` configuration of several types in
 * .rodata and in a custom .rodata.cfg section, plus writable globals
 * (.data, .bss) that settings must refuse. The program stamps every
 * constant into the packet at the offsets of test_loader_defs.h and
 * returns cfg_verdict, so a run shows what the program saw.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "test_loader_defs.h"

enum cfg_mode { CFG_MODE_OFF = 0, CFG_MODE_ON = 1, CFG_MODE_BIG = 70000 };
enum cfg_level { CFG_LEVEL_LOW = -2, CFG_LEVEL_HIGH = 2 };

volatile const __u8 cfg_u8 = CONSTS_U8_INIT;
volatile const __u16 cfg_u16 = CONSTS_U16_INIT;
volatile const __s32 cfg_s32 = CONSTS_S32_INIT;
volatile const __u64 cfg_u64 = CONSTS_U64_INIT;
volatile const enum cfg_mode cfg_mode = CFG_MODE_ON;
volatile const char cfg_name[CONSTS_NAME_LEN] = CONSTS_NAME_INIT;
volatile const _Bool cfg_flag;
volatile const __s8 cfg_s8 SEC(".rodata.cfg") = CONSTS_S8_INIT;
volatile const enum cfg_level cfg_level SEC(".rodata.cfg") = CFG_LEVEL_LOW;
volatile const __u32 cfg_verdict SEC(".rodata.cfg") = XDP_PASS;

/* Writable globals: programs may change them, so they are not settable. */
__u32 rw_data = 1;
__u32 rw_bss;

static __always_inline void
stamp(__u8 *p, __u64 v, int n)
{
	int i;

#pragma unroll
	for (i = 0; i < 8; i++)
		if (i < n)
			p[i] = v >> (8 * i);
}

SEC("xdp")
int
consts_stamp(struct xdp_md *ctx)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *data_end = (void *)(long)ctx->data_end;
	int i;

	rw_bss++;
	if (data + CONSTS_STAMP_LEN > data_end)
		return XDP_ABORTED;
	stamp(data + CONSTS_OFF_U8, cfg_u8, 1);
	stamp(data + CONSTS_OFF_U16, cfg_u16, 2);
	stamp(data + CONSTS_OFF_S32, (__u32)cfg_s32, 4);
	stamp(data + CONSTS_OFF_U64, cfg_u64, 8);
	stamp(data + CONSTS_OFF_MODE, cfg_mode, 4);
#pragma unroll
	for (i = 0; i < CONSTS_NAME_LEN; i++)
		data[CONSTS_OFF_NAME + i] = cfg_name[i];
	stamp(data + CONSTS_OFF_FLAG, cfg_flag, 1);
	stamp(data + CONSTS_OFF_S8, (__u8)cfg_s8, 1);
	stamp(data + CONSTS_OFF_LEVEL, (__u32)cfg_level, 4);
	return cfg_verdict;
}

char _license[] SEC("license") = "GPL";
