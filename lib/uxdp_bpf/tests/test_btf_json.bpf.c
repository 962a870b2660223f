/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Types for the BTF-aware JSON tests (test_btf_json.c): the key and value
 * of 'kinds' cover every kind of data type BTF describes, the other maps
 * a plain int key, a typedef'd key and global data (a DATASEC value). No
 * program: the kernel (bpftool comparison) loads maps-only objects.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#include "test_btf_json_defs.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, struct btfj_key);
	__type(value, struct btfj_value);
} kinds SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __s64);
} ints SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4);
	__type(key, btfj_id_t);
	__type(value, enum btfj_color);
} colors SEC(".maps");

/* Maps without BTF types: hex. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(key_size, 4);
	__uint(value_size, 6);
	__uint(max_entries, 2);
} raw SEC(".maps");

__u32 glob_count = 5;
char glob_name[6] = "uxdp";

char _license[] SEC("license") = "GPL";
