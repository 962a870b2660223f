/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Hostile programs for test_sandbox.c: each one does something the kernel
 * verifier would refuse, and under the sandbox must end as XDP_ABORTED
 * with the fault counted and nothing outside its regions touched. The
 * packet the test sends starts with a 16-bit "index" (little endian)
 * that the programs use where they need an unproven offset. ok_* programs
 * are well behaved and must run exactly as without the sandbox.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct val {
	__u64 arr[4];
	__u64 ptr;   /* set by the test: a wild address */
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct val);
} vals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, __u64);
} h SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} rb SEC(".maps");

struct lval {
	struct bpf_spin_lock lock;
	__u32 pad;
	__u64 x;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct lval);
} locked SEC(".maps");

volatile const __u32 cfg = 5;

/* The packet's first two bytes, or -1 when it is shorter. */
static __always_inline long
pkt_index(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u16 *p = data;

	if ((void *)(p + 1) > data_end)
		return -1;
	return *p;
}

static __always_inline struct val *
val0(void)
{
	__u32 k = 0;

	return bpf_map_lookup_elem(&vals, &k);
}

/* Reads far past data_end, with no bounds check at all. */
SEC("xdp")
int bad_pkt_overread(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;

	return *(volatile __u8 *)(data + 2000) == 0x5a ? XDP_DROP : XDP_PASS;
}

/* Writes through a lookup result that is NULL (the key is absent). */
SEC("xdp")
int bad_null_write(struct xdp_md *ctx)
{
	__u32 k = 12345;
	__u64 *v = bpf_map_lookup_elem(&h, &k);

	*(volatile __u64 *)v = 1;
	return XDP_PASS;
}

/* Writes through a pointer made from a scalar read from a map. */
SEC("xdp")
int bad_wild_ptr(struct xdp_md *ctx)
{
	struct val *v = val0();

	if (!v)
		return XDP_PASS;
	*(volatile __u64 *)v->ptr = 0x4141414141414141ull;
	return XDP_PASS;
}

/* Writes into a stack array at a variable offset past the frame. */
SEC("xdp")
int bad_stack_var(struct xdp_md *ctx)
{
	volatile __u8 buf[16] = {};
	long i = pkt_index(ctx);

	if (i < 0)
		return XDP_PASS;
	buf[i * 16] = 1;
	return buf[0] == 1 ? XDP_DROP : XDP_PASS;
}

/* Stores into a `volatile const` variable of .rodata. */
SEC("xdp")
int bad_rodata_store(struct xdp_md *ctx)
{
	*(volatile __u32 *)&cfg = 9;
	return cfg == 9 ? XDP_DROP : XDP_PASS;
}

/* Writes past an array map value, at a variable index. */
SEC("xdp")
int bad_value_overrun(struct xdp_md *ctx)
{
	struct val *v = val0();
	long i = pkt_index(ctx);

	if (!v || i < 0)
		return XDP_PASS;
	v->arr[i] = 0x4242424242424242ull;
	return XDP_PASS;
}

/* Writes just past a hash value: into the next element's links and key,
 * inside the map's memory. */
SEC("xdp")
int bad_hash_overrun(struct xdp_md *ctx)
{
	__u32 k = 1;
	__u64 *v = bpf_map_lookup_elem(&h, &k);
	long i = pkt_index(ctx);

	if (!v || i < 0)
		return XDP_PASS;
	v[i] = 0x4343434343434343ull;
	return XDP_PASS;
}

/* Hands a helper a wild key pointer. */
SEC("xdp")
int bad_helper_key(struct xdp_md *ctx)
{
	struct val *v = val0();

	if (!v)
		return XDP_PASS;
	return bpf_map_lookup_elem(&h, (void *)v->ptr) ? XDP_DROP : XDP_PASS;
}

/* Hands bpf_xdp_load_bytes a hash value (8 bytes) and a longer length:
 * the helper would write over the next elements' links and keys. */
SEC("xdp")
int bad_helper_short(struct xdp_md *ctx)
{
	__u32 k = 1;
	__u64 *v = bpf_map_lookup_elem(&h, &k);
	long i = pkt_index(ctx);

	if (!v || i < 0)
		return XDP_PASS;
	bpf_xdp_load_bytes(ctx, 0, v, i & 0x1ff);
	return *v ? XDP_DROP : XDP_PASS;
}

/* Submits a ring buffer "record" it never reserved. */
SEC("xdp")
int bad_ringbuf_submit(struct xdp_md *ctx)
{
	struct val *v = val0();

	if (!v)
		return XDP_PASS;
	bpf_ringbuf_submit((void *)v->ptr, 0);
	return XDP_PASS;
}

/* Takes a value's bpf_spin_lock behind the helper's back: the next
 * bpf_spin_lock() on it would spin forever. */
SEC("xdp")
int bad_lock_write(struct xdp_md *ctx)
{
	__u32 k = 0;
	struct lval *v = bpf_map_lookup_elem(&locked, &k);

	if (!v)
		return XDP_PASS;
	*(volatile __u32 *)&v->lock = 1;
	bpf_spin_lock(&v->lock);
	v->x++;
	bpf_spin_unlock(&v->lock);
	return XDP_PASS;
}

/* Never ends: the map value it waits on never changes. */
SEC("xdp")
int bad_endless(struct xdp_md *ctx)
{
	struct val *v = val0();

	if (!v)
		return XDP_PASS;
	while (*(volatile __u64 *)&v->arr[0] == 0)
		v->arr[1]++;
	return XDP_DROP;
}

static __attribute__((noinline)) int
fill(__u8 *buf, int n, __u8 b)
{
	int i;

	for (i = 0; i < n && i < 32; i++)
		buf[i] = b + i;
	return buf[n - 1];
}

/* Well behaved: a counter, a hash update, a frame passed to a
 * subprogram, a ring buffer record, a bpf_spin_lock section, a packet
 * write after a bounds check. */
SEC("xdp")
int ok_all(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	__u8 buf[32];
	__u32 k = 2;
	__u64 one = 1, *cnt, *rec;
	struct val *v = val0();
	struct lval *l;

	if (!v)
		return XDP_ABORTED;
	k = 0;
	l = bpf_map_lookup_elem(&locked, &k);
	if (l) {
		bpf_spin_lock(&l->lock);
		l->x++;
		bpf_spin_unlock(&l->lock);
	}
	k = 2;
	__sync_fetch_and_add(&v->arr[2], 1);
	cnt = bpf_map_lookup_elem(&h, &k);
	if (cnt)
		*cnt += 1;
	else
		bpf_map_update_elem(&h, &k, &one, BPF_ANY);
	rec = bpf_ringbuf_reserve(&rb, sizeof(*rec), 0);
	if (rec) {
		*rec = cfg;
		bpf_ringbuf_submit(rec, 0);
	}
	if (data + 4 > data_end)
		return XDP_DROP;
	((__u8 *)data)[3] = (__u8)fill(buf, 20, 0x10);
	return XDP_TX;
}

char _license[] SEC("license") = "GPL";
