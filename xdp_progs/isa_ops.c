/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Test program for the instruction set: a frame of ethertype 0x88B7
 * carries, after its Ethernet header and 2 bytes of padding, two 64-bit
 * operands a and b (little endian), followed by room for N_RESULTS 64-bit results that the program
 * fills in, then returns XDP_TX. The corner cases are the packet's to
 * choose: division by zero, INT_MIN / -1, shift amounts of 64 and more
 * (masked by the ISA; inline asm keeps C's undefined behaviour out of
 * it), sign extension, byte swaps, 32-bit and signed comparisons, and
 * atomics on a map value. Built at -mcpu=v1, v3 and v4, each build uses
 * what its ISA level has: ALU32 registers from v3, signed division and
 * fetching atomics from v3/v4 (results of missing operations stay 0).
 * The last two results are ctx->ingress_ifindex and rx_queue_index.
 * Frames of other ethertypes, or too short, pass untouched.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_ISA_TEST 0x88B7
#define N_RESULTS 34

#ifndef __BPF_CPU_VERSION__
#define __BPF_CPU_VERSION__ 1
#endif

/* Not packed: the operands sit 8-byte aligned (the frame starts 8-byte
 * aligned in both the kernel and uxdp), so loads and stores stay whole
 * 64-bit instructions instead of byte-wise ones. */
struct isa_frame {
	struct ethhdr eth;
	__u16 pad;
	__u64 a;
	__u64 b;
	__u64 res[N_RESULTS];
};

/* Targets of the atomic operations; the final dump shows their history. */
struct atomic_slots {
	__u64 add;
	__u64 xchg;
	__u64 cmpxchg;
	__u64 and;
	__u64 or;
	__u64 xor;
	__u32 add32;
	__u32 pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct atomic_slots);
} atomics SEC(".maps");

/* The ISA masks shift amounts (RFC 9669); C would call these undefined. */
static __always_inline __u64
lsh64(__u64 x, __u64 s)
{
	asm volatile("%0 <<= %1" : "+r"(x) : "r"(s));
	return x;
}

static __always_inline __u64
rsh64(__u64 x, __u64 s)
{
	asm volatile("%0 >>= %1" : "+r"(x) : "r"(s));
	return x;
}

static __always_inline __u64
arsh64(__u64 x, __u64 s)
{
	asm volatile("%0 s>>= %1" : "+r"(x) : "r"(s));
	return x;
}

/* Division by zero is defined by the ISA (x / 0 = 0, x % 0 = x). */
static __always_inline __u64
div64(__u64 x, __u64 y)
{
	asm volatile("%0 /= %1" : "+r"(x) : "r"(y));
	return x;
}

static __always_inline __u64
mod64(__u64 x, __u64 y)
{
	asm volatile("%0 %%= %1" : "+r"(x) : "r"(y));
	return x;
}

#if __BPF_CPU_VERSION__ >= 3
/* 32-bit ALU: results are zero-extended into the 64-bit register. */
static __always_inline __u32
div32(__u32 x, __u32 y)
{
	asm volatile("%0 /= %1" : "+w"(x) : "w"(y));
	return x;
}

static __always_inline __u32
mod32(__u32 x, __u32 y)
{
	asm volatile("%0 %%= %1" : "+w"(x) : "w"(y));
	return x;
}

static __always_inline __u32
lsh32(__u32 x, __u32 s)
{
	asm volatile("%0 <<= %1" : "+w"(x) : "w"(s));
	return x;
}

static __always_inline __u32
arsh32(__u32 x, __u32 s)
{
	asm volatile("%0 s>>= %1" : "+w"(x) : "w"(s));
	return x;
}
#endif

#if __BPF_CPU_VERSION__ >= 4
/* Signed division truncates toward zero; INT_MIN / -1 stays INT_MIN and
 * INT_MIN % -1 is 0, where a CPU would trap. */
static __always_inline __u64
sdiv64(__u64 x, __u64 y)
{
	asm volatile("%0 s/= %1" : "+r"(x) : "r"(y));
	return x;
}

static __always_inline __u64
smod64(__u64 x, __u64 y)
{
	asm volatile("%0 s%%= %1" : "+r"(x) : "r"(y));
	return x;
}

static __always_inline __u32
sdiv32(__u32 x, __u32 y)
{
	asm volatile("%0 s/= %1" : "+w"(x) : "w"(y));
	return x;
}

static __always_inline __u32
smod32(__u32 x, __u32 y)
{
	asm volatile("%0 s%%= %1" : "+w"(x) : "w"(y));
	return x;
}
#endif

/* Comparisons as a bit mask; at v3+ the 32-bit ones are JMP32 jumps. */
static __always_inline __u64
compare_mask(__u64 a, __u64 b)
{
	__u64 m = 0;

	m |= (__u64)(a < b) << 0;
	m |= (__u64)((__s64)a < (__s64)b) << 1;
	m |= (__u64)(a <= b) << 2;
	m |= (__u64)((__s64)a >= (__s64)b) << 3;
	m |= (__u64)((__u32)a < (__u32)b) << 4;
	m |= (__u64)((__s32)a < (__s32)b) << 5;
	m |= (__u64)((__u32)a == (__u32)b) << 6;
	m |= (__u64)((a & b) != 0) << 7;
	m |= (__u64)(((__u32)a & (__u32)b) != 0) << 8;
	m |= (__u64)((__s32)a > (__s32)b) << 9;
	return m;
}

static __always_inline void
run_atomics(__u64 *res, __u64 a, __u64 b)
{
	struct atomic_slots *s;
	__u32 zero = 0;

	s = bpf_map_lookup_elem(&atomics, &zero);
	if (!s)
		return;
	/* v1 has only the non-fetching add */
	__sync_fetch_and_add(&s->add, a);
	__sync_fetch_and_add(&s->add32, (__u32)b);
#if __BPF_CPU_VERSION__ >= 3
	res[0] = __sync_fetch_and_add(&s->add, b);
	res[1] = __sync_lock_test_and_set(&s->xchg, a);
	res[2] = __sync_val_compare_and_swap(&s->cmpxchg, b, a);
	res[3] = __sync_fetch_and_and(&s->and, ~a);
	res[4] = __sync_fetch_and_or(&s->or, a);
	res[5] = __sync_fetch_and_xor(&s->xor, b);
#endif
}

SEC("xdp")
int
isa_ops(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct isa_frame *f = data;
	__u64 a, b, *r;

	if ((void *)(f + 1) > data_end)
		return XDP_PASS;
	if (f->eth.h_proto != bpf_htons(ETH_P_ISA_TEST))
		return XDP_PASS;
	a = f->a;
	b = f->b;
	r = f->res;

	r[0] = a + b;
	r[1] = a - b;
	r[2] = a * b;
	r[3] = div64(a, b);
	r[4] = mod64(a, b);
	r[5] = lsh64(a, b);
	r[6] = rsh64(a, b);
	r[7] = arsh64(a, b);
	r[8] = -a;
	r[9] = __builtin_bswap64(a);
	r[10] = __builtin_bswap32((__u32)a);
	r[11] = __builtin_bswap16((__u16)a);
	r[12] = (__s64)(__s8)a;
	r[13] = (__s64)(__s16)a;
	r[14] = (__s64)(__s32)a;
	/* sign-extending loads from the packet (LDSX at v4) */
	r[15] = (__s64)*(volatile __s8 *)&f->b;
	r[16] = (__s64)*(volatile __s16 *)&f->b;
	r[17] = (__s64)*(volatile __s32 *)&f->b;
	r[18] = compare_mask(a, b);
	r[19] = (__u32)a * (__u32)b;
	r[20] = (__u32)a + (__u32)b;
	r[21] = (__u32)a >> ((__u32)b & 31);
#if __BPF_CPU_VERSION__ >= 3
	r[22] = div32(a, b);
	r[23] = mod32(a, b);
	r[24] = lsh32(a, b);
	r[25] = arsh32(a, b);
#endif
#if __BPF_CPU_VERSION__ >= 4
	r[26] = sdiv64(a, b);
	r[27] = smod64(a, b);
	r[28] = sdiv32(a, b);
	r[29] = smod32(a, b);
#endif
	/* the old values the fetching atomics return, folded into two */
	{
		__u64 at[6] = {};

		run_atomics(at, a, b);
		r[30] = at[0] ^ at[1] ^ at[2];
		r[31] = at[3] ^ (at[4] << 1) ^ (at[5] << 2);
	}
	/* context fields besides the packet pointers */
	r[32] = ctx->ingress_ifindex;
	r[33] = ctx->rx_queue_index;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
