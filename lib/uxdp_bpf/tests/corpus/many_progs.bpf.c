/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Loader corpus: many XDP programs, in every section form libbpf 1.1
 * loads ("xdp", "xdp/<name>", "xdp.frags", "xdp.frags/<name>"), two
 * sharing a section. Each writes its own id into the first packet byte,
 * so which program ran is visible in the output: the selection tests
 * (by function name, by section, default) read it back.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

/* How many times each program ran, by id. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} runs SEC(".maps");

static __attribute__((always_inline)) int mark(struct xdp_md *ctx, __u8 id,
					       int verdict)
{
	__u8 *data = (void *)(long)ctx->data;
	__u8 *end = (void *)(long)ctx->data_end;
	__u32 key = id;
	__u64 *n;

	if (data + 1 > end)
		return XDP_ABORTED;
	data[0] = id;
	n = bpf_map_lookup_elem(&runs, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	return verdict;
}

/* The first program of the object: the default choice. */
SEC("xdp")
int prog_first(struct xdp_md *ctx)
{
	return mark(ctx, 1, XDP_PASS);
}

/* Second in the same section: reachable by name only. */
SEC("xdp")
int prog_second(struct xdp_md *ctx)
{
	return mark(ctx, 2, XDP_TX);
}

SEC("xdp/alpha")
int prog_alpha(struct xdp_md *ctx)
{
	return mark(ctx, 3, XDP_PASS);
}

SEC("xdp/beta")
int prog_beta(struct xdp_md *ctx)
{
	return mark(ctx, 4, XDP_DROP);
}

SEC("xdp.frags")
int prog_frags(struct xdp_md *ctx)
{
	return mark(ctx, 5, XDP_PASS);
}

SEC("xdp.frags/gamma")
int prog_frags_gamma(struct xdp_md *ctx)
{
	return mark(ctx, 6, XDP_TX);
}

SEC("xdp/devmap")
int prog_devmap(struct xdp_md *ctx)
{
	return mark(ctx, 7, XDP_PASS);
}

SEC("xdp/delta")
int prog_delta(struct xdp_md *ctx)
{
	return mark(ctx, 8, XDP_PASS);
}

SEC("xdp/delta2")
int prog_delta2(struct xdp_md *ctx)
{
	return mark(ctx, 9, XDP_DROP);
}

/* Not XDP: present in the object, never an uxdp program. */
SEC("tc")
int not_xdp(struct __sk_buff *skb)
{
	return 0;
}

char _license[] SEC("license") = "GPL";
__u32 _version SEC("version") = 0x060000;
