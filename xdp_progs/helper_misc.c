/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Test program for bpf_spin_lock()/bpf_spin_unlock(),
 * bpf_probe_read_kernel() and the helpers whose values differ from run
 * to run (jiffies, clocks, random numbers, CPU and NUMA node).
 *
 * - Every frame adds its length to a map value guarded by a
 *   struct bpf_spin_lock: the final map (lock free again) is compared.
 * - bpf_probe_read_kernel() reads the packet, its headroom and the stack
 *   (all succeed), then NULL, a small address, a non-canonical one and an
 *   unmapped kernel address (each fails, zeroing the destination); the
 *   return values and destinations go to a trailer of the frame.
 * - The run-to-run helpers are checked for properties that hold in the
 *   kernel and in uxdp alike (a trailer word of flags): jiffies after
 *   INITIAL_JIFFIES and not going back, clocks not going back, boot time
 *   not behind monotonic time, random numbers of 32 bits that change,
 *   a CPU and a node number below 4096.
 *
 * Frames shorter than an Ethernet header pass untouched.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct counter {
	struct bpf_spin_lock lock;
	__u32 frames;
	__u64 bytes;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct counter);
} counters SEC(".maps");

#define RESULTS 14
/* Lowest jiffies value: INITIAL_JIFFIES at the highest common HZ. */
#define JIFFIES_FLOOR ((1ull << 32) - 300 * 1000)

SEC("xdp")
int helper_misc(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	__u32 len = bpf_xdp_get_buff_len(ctx);
	__u64 res[RESULTS] = {};
	__u64 local = 0x1122334455667788ull, dst;
	__u64 a, b, c, flags = 0;
	struct counter *cnt;
	__u32 key = len & 1;
	int i = 0;

	if (len < 14)
		return XDP_PASS;

	cnt = bpf_map_lookup_elem(&counters, &key);
	if (cnt == NULL)
		return XDP_ABORTED;
	bpf_spin_lock(&cnt->lock);
	cnt->frames++;
	cnt->bytes += len;
	bpf_spin_unlock(&cnt->lock);

	res[i++] = bpf_probe_read_kernel(&dst, 8, data + 6);
	res[i++] = dst;
	res[i++] = bpf_probe_read_kernel(&dst, 8, data - 8);
	res[i++] = dst;
	res[i++] = bpf_probe_read_kernel(&dst, 8, &local);
	res[i++] = dst;
	dst = 0xaaaa;
	res[i++] = bpf_probe_read_kernel(&dst, 8, (void *)0);
	res[i++] = dst;
	dst = 0xaaaa;
	res[i++] = bpf_probe_read_kernel(&dst, 8, (void *)0x1000);
	res[i++] = bpf_probe_read_kernel(&dst, 8, (void *)0x8000000000000000ull);
	res[i++] = bpf_probe_read_kernel(&dst, 8, (void *)0xffff800000001000ull);
	res[i++] = dst;
	res[i++] = bpf_probe_read_kernel(&dst, 0, (void *)0);

	a = bpf_jiffies64();
	b = bpf_jiffies64();
	flags |= (a > JIFFIES_FLOOR) << 0;
	flags |= (b >= a) << 1;
	a = bpf_ktime_get_ns();
	b = bpf_ktime_get_ns();
	c = bpf_ktime_get_boot_ns();
	flags |= (a != 0 && b >= a) << 2;
	flags |= (c >= b) << 3;
	a = bpf_ktime_get_coarse_ns();
	b = bpf_ktime_get_coarse_ns();
	flags |= (a != 0 && b >= a) << 4;
	a = bpf_get_prandom_u32();
	b = bpf_get_prandom_u32();
	c = bpf_get_prandom_u32();
	flags |= ((a | b | c) >> 32 == 0) << 5;
	flags |= (a != b || b != c) << 6;
	flags |= (bpf_get_smp_processor_id() < 4096) << 7;
	flags |= (bpf_get_numa_node_id() < 4096) << 8;
	res[i++] = flags;

	if (bpf_xdp_adjust_tail(ctx, sizeof(res)) != 0)
		return XDP_DROP;
	if (bpf_xdp_store_bytes(ctx, len, res, sizeof(res)) != 0)
		return XDP_ABORTED;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
