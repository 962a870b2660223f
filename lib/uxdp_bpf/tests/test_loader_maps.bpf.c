/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object: BTF-defined maps (array, hash, sizes given as
 * numbers) and every kind of global data section libbpf turns into an
 * internal map (.data, .rodata, .bss, a custom .data.* section and the
 * string-literal section .rodata.str1.1).
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "test_loader_defs.h"

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
};

struct flow_val {
	__u64 packets;
	__u64 bytes;
	__u32 last_seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, struct flow_key);
	__type(value, struct flow_val);
} flows SEC(".maps");

/* Sizes given as numbers rather than as types. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 24);
	__uint(max_entries, 2);
} sized SEC(".maps");

__u32 data_first = MAPS_DATA_INIT;
__u64 data_second = 0x1122334455667788ULL;
const volatile __u32 ro_first = MAPS_RODATA_INIT;
const volatile __u32 ro_second = MAPS_RODATA_INIT + 1;
__u64 bss_first;
__u32 bss_array[4];
__u32 custom_var SEC(".data.custom") = MAPS_CUSTOM_INIT;
/* Longer than a map name may be: libbpf keeps its first 15 characters. */
__u16 long_name_var SEC(".data.a_really_long_name") = 1;
/* Static: relocated against the .bss section symbol with the offset in
 * the instruction's imm. */
static __u64 static_bss_var;

SEC("xdp")
int xdp_maps(struct xdp_md *ctx)
{
	__u32 idx = ctx->rx_queue_index & 7;
	struct flow_key fk = { .saddr = idx, .proto = 6 };
	struct flow_val *fv;
	__u64 *cnt;

	cnt = bpf_map_lookup_elem(&counters, &idx);
	if (cnt)
		*cnt += data_first;
	fv = bpf_map_lookup_elem(&flows, &fk);
	if (fv)
		fv->packets++;
	if (bpf_map_lookup_elem(&sized, &idx))
		return XDP_DROP;
	bss_first += ro_second + data_second;
	bss_array[idx & 3] += custom_var + long_name_var;
	static_bss_var++;
	/* A string literal: clang places it in .rodata.str1.1. */
	return "\2\2\1\2\3\2\1\2"[idx] + ro_first - MAPS_RODATA_INIT;
}

char _license[] SEC("license") = "GPL";
