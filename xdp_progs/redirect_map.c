/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * XDP_REDIRECT through bpf_redirect() and bpf_redirect_map() on a DEVMAP
 * and a DEVMAP_HASH, driven by the frames themselves so that tests choose
 * every case:
 *
 * A command frame (ethertype 0x88B8) carries, after the Ethernet header,
 * op (u8), 3 bytes of padding, arg (u32) and flags (u32), little endian:
 *   op 1  bpf_redirect(arg, flags)
 *   op 2  bpf_redirect_map(&tx_ports, arg, flags)       DEVMAP
 *   op 3  bpf_redirect_map(&tx_ports_hash, arg, flags)  DEVMAP_HASH
 *   op 4  as op 2, then XDP_REDIRECT whatever the helper returned (a
 *         program ignoring a failed lookup: the kernel then redirects to
 *         the last ifindex set, an error when there is none)
 *   op 5  bpf_redirect(arg, 0), then bpf_redirect_map(&tx_ports, arg2,
 *         flags) with arg2 the u32 after flags: the last call wins
 *   other ops pass the frame.
 * The program returns the helper's return value (ops 1-3, 5).
 *
 * Any other frame picks a case from its length (len % 8), so that a
 * generic packet set covers every helper path too:
 *   0 redirect to the ingress ifindex      4 DEVMAP_HASH key 42, else XDP_TX
 *   1 redirect with a flag: XDP_ABORTED    5 DEVMAP broadcast
 *   2 DEVMAP key 1, else XDP_PASS          6 DEVMAP_HASH broadcast, exclude ingress
 *   3 DEVMAP key 5, else XDP_DROP          7 DEVMAP with an unknown flag: XDP_ABORTED
 * Frames shorter than an Ethernet header pass.
 *
 * calls[op or case + 8] counts the runs of each branch.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_REDIRECT_TEST 0x88B8

struct redirect_cmd {
	__u8 op;
	__u8 pad[3];
	__u32 arg;
	__u32 flags;
	__u32 arg2;
};

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u32);
} tx_ports SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
} tx_ports_hash SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 16);
	__type(key, __u32);
	__type(value, __u64);
} calls SEC(".maps");

static __always_inline void
count(__u32 i)
{
	__u64 *c = bpf_map_lookup_elem(&calls, &i);

	if (c)
		__sync_fetch_and_add(c, 1);
}

static __always_inline int
run_cmd(const struct redirect_cmd *cmd)
{
	long ret;

	count(cmd->op & 7);
	switch (cmd->op) {
	case 1:
		return bpf_redirect(cmd->arg, cmd->flags);
	case 2:
		return bpf_redirect_map(&tx_ports, cmd->arg, cmd->flags);
	case 3:
		return bpf_redirect_map(&tx_ports_hash, cmd->arg, cmd->flags);
	case 4:
		bpf_redirect_map(&tx_ports, cmd->arg, cmd->flags);
		return XDP_REDIRECT;
	case 5:
		ret = bpf_redirect(cmd->arg, 0);
		if (ret != XDP_REDIRECT)
			return XDP_DROP;
		return bpf_redirect_map(&tx_ports, cmd->arg2, cmd->flags);
	default:
		return XDP_PASS;
	}
}

static __always_inline int
run_case(struct xdp_md *ctx, __u32 len)
{
	__u32 sel = len & 7;

	count(sel + 8);
	switch (sel) {
	case 0:
		return bpf_redirect(ctx->ingress_ifindex, 0);
	case 1:
		return bpf_redirect(ctx->ingress_ifindex, 1);
	case 2:
		return bpf_redirect_map(&tx_ports, 1, XDP_PASS);
	case 3:
		return bpf_redirect_map(&tx_ports, 5, XDP_DROP);
	case 4:
		return bpf_redirect_map(&tx_ports_hash, 42, XDP_TX);
	case 5:
		return bpf_redirect_map(&tx_ports, 0, BPF_F_BROADCAST);
	case 6:
		return bpf_redirect_map(&tx_ports_hash, 0,
					BPF_F_BROADCAST | BPF_F_EXCLUDE_INGRESS);
	default:
		return bpf_redirect_map(&tx_ports, 1, 1 << 5);
	}
}

SEC("xdp")
int
redirect_map(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	struct redirect_cmd *cmd = (void *)(eth + 1);

	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto == bpf_htons(ETH_P_REDIRECT_TEST)) {
		if ((void *)(cmd + 1) > data_end)
			return XDP_PASS;
		return run_cmd(cmd);
	}
	return run_case(ctx, (__u32)(data_end - data));
}

char _license[] SEC("license") = "GPL";
