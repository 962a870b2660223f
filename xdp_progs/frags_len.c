/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Test program for multi-buffer XDP (an xdp.frags section: the kernel
 * loads it with BPF_F_XDP_HAS_FRAGS). On every frame of at least an
 * Ethernet header it:
 *
 *   1. reads the whole length (bpf_xdp_get_buff_len) and the linear one
 *      (data_end - data);
 *   2. loads 16 bytes from 8 before the end of the linear part, across
 *      the boundary into the first fragment when there is one;
 *   3. stores "uxdpFRAG" from 4 before the end of the linear part (at
 *      least at offset REPORT_END), across the boundary likewise;
 *   4. moves the tail as a command asks: a frame of ethertype 0x88B9
 *      carries op (u8), a pad byte, then amount and amount2 (u16, little
 *      endian) after its Ethernet header:
 *        op 1  bpf_xdp_adjust_tail(+amount)
 *        op 2  bpf_xdp_adjust_tail(-amount)
 *        op 3  bpf_xdp_adjust_tail(-amount), then (+amount2)
 *      (grown bytes read as zeros: the kernel clears them);
 *   5. reads the length again, tries loads one past the end (-EINVAL) and
 *      at offset 0x10000 (-EFAULT), and loads the last 8 bytes;
 *   6. writes a report with bpf_xdp_store_bytes() at offset 20 (when the
 *      frame still has REPORT_END bytes): the lengths and return values
 *      as little-endian u32s, then the 16 bytes of step 2 and the 8 of
 *      step 5.
 *
 * The verdict is XDP_PASS, so the kernel oracle and uxdp compare every
 * output byte, fragments included. Shorter frames pass untouched.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_FRAGS_TEST 0x88B9
#define REPORT_OFF 20

enum tail_op {
	OP_GROW = 1,
	OP_SHRINK = 2,
	OP_SHRINK_GROW = 3,
};

struct report {
	__u32 len_before;
	__u32 linear;
	__s32 load_ret;
	__s32 store_ret;
	__s32 tail_ret;
	__s32 tail2_ret;
	__u32 len_after;
	__s32 past_end_ret;
	__s32 big_off_ret;
	__s32 last_ret;
	__u8 across[16];
	__u8 last[8];
};

#define REPORT_END (REPORT_OFF + sizeof(struct report))

SEC("xdp.frags")
int frags_len(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	__u8 *cmd = (__u8 *)(eth + 1);
	struct report r = {};
	__u32 store_off;
	__u16 amount = 0, amount2 = 0;
	__u8 op = 0, probe;

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_FRAGS_TEST) &&
	    (void *)(cmd + 6) <= data_end) {
		op = cmd[0];
		amount = cmd[2] | (__u16)cmd[3] << 8;
		amount2 = cmd[4] | (__u16)cmd[5] << 8;
	}

	r.len_before = bpf_xdp_get_buff_len(ctx);
	r.linear = (__u32)(data_end - data);
	r.load_ret = bpf_xdp_load_bytes(ctx, r.linear >= 8 ? r.linear - 8 : 0,
					r.across, sizeof(r.across));
	store_off = r.linear >= REPORT_END + 4 ? r.linear - 4 : REPORT_END;
	r.store_ret = bpf_xdp_store_bytes(ctx, store_off, "uxdpFRAG", 8);

	if (op == OP_GROW)
		r.tail_ret = bpf_xdp_adjust_tail(ctx, amount);
	else if (op == OP_SHRINK || op == OP_SHRINK_GROW)
		r.tail_ret = bpf_xdp_adjust_tail(ctx, -(int)amount);
	if (op == OP_SHRINK_GROW)
		r.tail2_ret = bpf_xdp_adjust_tail(ctx, amount2);

	r.len_after = bpf_xdp_get_buff_len(ctx);
	r.past_end_ret = bpf_xdp_load_bytes(ctx, r.len_after, &probe, 1);
	r.big_off_ret = bpf_xdp_load_bytes(ctx, 0x10000, &probe, 1);
	r.last_ret = bpf_xdp_load_bytes(ctx, r.len_after - 8, r.last,
					sizeof(r.last));

	if (r.len_after >= REPORT_END)
		bpf_xdp_store_bytes(ctx, REPORT_OFF, &r, sizeof(r));
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
