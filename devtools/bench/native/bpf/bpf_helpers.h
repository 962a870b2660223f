/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_NATIVE_BPF_HELPERS_H
#define UXDP_NATIVE_BPF_HELPERS_H

/*
 * Host replacement for libbpf's <bpf/bpf_helpers.h>, for the native build
 * of an xdp_progs/ program (devtools/bench-nf.py): the same C compiled by
 * the host compiler into a shared object, the practical speed limit of a
 * program. It is put before the system headers on the include path.
 *
 * - A map stays the struct the program declares (pointer members whose
 *   types carry the definition). The driver (nf_bench.c) loads the BPF
 *   object with uxdp's loader, then stores the uxdp map of the same name
 *   in the first member of the host struct, found by dlsym(): the helpers
 *   read it back, so a map argument costs one load.
 * - The context is the kernel's struct xdp_md: its 32-bit data/data_end
 *   hold real host addresses because the driver puts packets below 4 GiB
 *   (MAP_32BIT), so `(void *)(long)ctx->data` works unchanged.
 * - Queue/stack maps and ring buffers are uxdp's too (their records go
 *   nowhere: nothing consumes them, in the JIT's runs neither).
 * - Only the helpers below exist. A program that calls another one (tail
 *   calls, printk, loops with callbacks, ...) does not compile, and the
 *   harness reports it as not built natively, with the compiler's reason.
 */

#include <stddef.h>
#include <stdint.h>

#define SEC(name) __attribute__((used))
#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
#define __uint(name, val) int (*name)[val]
#define __type(name, val) __typeof__(val) *name
#define __array(name, val) __typeof__(val) *name[]
#define barrier_var(var) __asm__ __volatile__("" : "+r"(var))

#ifndef likely
#define likely(x) __builtin_expect(!!(x), 1)
#endif
#ifndef unlikely
#define unlikely(x) __builtin_expect(!!(x), 0)
#endif

/* Own names, so that they never meet libbpf's syscall wrappers of the
 * same names (bpf_map_lookup_elem() & co.) in one process. */
#define bpf_map_lookup_elem uxdp_native_map_lookup_elem
#define bpf_map_update_elem uxdp_native_map_update_elem
#define bpf_map_delete_elem uxdp_native_map_delete_elem
#define bpf_redirect_map uxdp_native_redirect_map
#define bpf_redirect uxdp_native_redirect
#define bpf_xdp_adjust_head uxdp_native_xdp_adjust_head
#define bpf_xdp_adjust_tail uxdp_native_xdp_adjust_tail
#define bpf_xdp_adjust_meta uxdp_native_xdp_adjust_meta
#define bpf_xdp_load_bytes uxdp_native_xdp_load_bytes
#define bpf_xdp_store_bytes uxdp_native_xdp_store_bytes
#define bpf_xdp_get_buff_len uxdp_native_xdp_get_buff_len
#define bpf_csum_diff uxdp_native_csum_diff
#define bpf_ktime_get_ns uxdp_native_ktime_get_ns
#define bpf_get_prandom_u32 uxdp_native_get_prandom_u32
#define bpf_get_smp_processor_id uxdp_native_get_smp_processor_id
#define bpf_check_mtu uxdp_native_check_mtu
#define bpf_map_push_elem uxdp_native_map_push_elem
#define bpf_map_pop_elem uxdp_native_map_pop_elem
#define bpf_map_peek_elem uxdp_native_map_peek_elem
#define bpf_ringbuf_output uxdp_native_ringbuf_output
#define bpf_ringbuf_reserve uxdp_native_ringbuf_reserve
#define bpf_ringbuf_submit uxdp_native_ringbuf_submit
#define bpf_ringbuf_discard uxdp_native_ringbuf_discard
#define bpf_ringbuf_query uxdp_native_ringbuf_query
#define bpf_loop uxdp_native_loop
#define bpf_for_each_map_elem uxdp_native_for_each_map_elem

struct xdp_md;

void *bpf_map_lookup_elem(void *map, const void *key);
long bpf_map_update_elem(void *map, const void *key, const void *value,
			 uint64_t flags);
long bpf_map_delete_elem(void *map, const void *key);
long bpf_redirect_map(void *map, uint64_t key, uint64_t flags);
long bpf_redirect(uint32_t ifindex, uint64_t flags);
long bpf_xdp_adjust_head(struct xdp_md *ctx, int delta);
long bpf_xdp_adjust_tail(struct xdp_md *ctx, int delta);
long bpf_xdp_adjust_meta(struct xdp_md *ctx, int delta);
long bpf_xdp_load_bytes(struct xdp_md *ctx, uint32_t off, void *buf,
			uint32_t len);
long bpf_xdp_store_bytes(struct xdp_md *ctx, uint32_t off, void *buf,
			 uint32_t len);
uint64_t bpf_xdp_get_buff_len(struct xdp_md *ctx);
int64_t bpf_csum_diff(uint32_t *from, uint32_t from_size, uint32_t *to,
		      uint32_t to_size, uint32_t seed);
uint64_t bpf_ktime_get_ns(void);
uint32_t bpf_get_prandom_u32(void);
uint32_t bpf_get_smp_processor_id(void);
long bpf_check_mtu(struct xdp_md *ctx, uint32_t ifindex, uint32_t *mtu_len,
		   int32_t len_diff, uint64_t flags);
long bpf_map_push_elem(void *map, const void *value, uint64_t flags);
long bpf_map_pop_elem(void *map, void *value);
long bpf_map_peek_elem(void *map, void *value);
long bpf_ringbuf_output(void *ringbuf, void *data, uint64_t size,
			uint64_t flags);
void *bpf_ringbuf_reserve(void *ringbuf, uint64_t size, uint64_t flags);
void bpf_ringbuf_submit(void *data, uint64_t flags);
void bpf_ringbuf_discard(void *data, uint64_t flags);
uint64_t bpf_ringbuf_query(void *ringbuf, uint64_t flags);
/* Callbacks are plain host functions here. */
long bpf_loop(uint32_t nr_loops, void *callback_fn, void *callback_ctx,
	      uint64_t flags);
long bpf_for_each_map_elem(void *map, void *callback_fn, void *callback_ctx,
			   uint64_t flags);

/* bpf_tail_call(): when the slot holds a program (in the uxdp map) and
 * fewer than the kernel's 33 tail calls were made in this run, return
 * what the slot's function returns. The function is the one the
 * program's own initialiser of the array put in the slot (`.values`), as
 * a host function pointer. A statement, as in BPF: on failure the
 * program goes on after it. */
int uxdp_native_tail_call_ok(void *map, uint32_t index);
#define bpf_tail_call(ctx, map, index) do { \
	uint32_t tail_index__ = (index); \
	if (uxdp_native_tail_call_ok((map), tail_index__)) \
		return (map)->values[tail_index__](ctx); \
} while (0)

#endif /* UXDP_NATIVE_BPF_HELPERS_H */
