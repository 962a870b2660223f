/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader test object without code: only a license, a version and the
 * BTF of their types. It loads with no program and no map, and asking
 * for its XDP program gets a clear "no XDP program".
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

__u32 _version SEC("version") = 1;
char _license[] SEC("license") = "GPL";
