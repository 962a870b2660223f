/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Helpers that send data out of a program: the BPF ring buffer (its
 * records are read by uxdp_ringbuf_consume()) and perf event output, which
 * uxdp accepts but cannot deliver (no perf events: -ENOENT, see
 * lib/uxdp_maps/map_perf_event.c).
 */

#include "uxdp_bpf_internal.h"
#include "helpers.h"
#include "sandbox.h"

static struct uxdp_map *
map_arg(uint64_t r)
{
	return (struct uxdp_map *)(uintptr_t)r;
}

/* bpf_ringbuf_output(ringbuf, data, size, flags): 0 or -errno. */
UXDP_HELPER(ringbuf_output)
{
	return (uint64_t)(int64_t)uxdp_ringbuf_output(map_arg(r1),
						      (const void *)(uintptr_t)r2,
						      r3, r4);
}

/* bpf_ringbuf_reserve(ringbuf, size, flags): the record, or NULL. */
UXDP_HELPER(ringbuf_reserve)
{
	void *rec = uxdp_ringbuf_reserve(map_arg(r1), r2, r3);

	if (rec != NULL)
		uxdp_sandbox_record_add(rec, r2);
	return (uintptr_t)rec;
}

/* bpf_ringbuf_submit(data, flags): no return value. */
UXDP_HELPER(ringbuf_submit)
{
	uxdp_sandbox_record_drop((void *)(uintptr_t)r1);
	uxdp_ringbuf_submit((void *)(uintptr_t)r1, r2);
	return 0;
}

/* bpf_ringbuf_discard(data, flags): no return value. */
UXDP_HELPER(ringbuf_discard)
{
	uxdp_sandbox_record_drop((void *)(uintptr_t)r1);
	uxdp_ringbuf_discard((void *)(uintptr_t)r1, r2);
	return 0;
}

/* bpf_ringbuf_query(ringbuf, flags). */
UXDP_HELPER(ringbuf_query)
{
	return uxdp_ringbuf_query(map_arg(r1), r2);
}

/* bpf_perf_event_output(ctx, map, flags, data, size): the kernel's checks,
 * then -ENOENT (no perf event in any slot). */
UXDP_HELPER(perf_event_output)
{
	return (uint64_t)(int64_t)uxdp_perf_event_output(map_arg(r2), r3,
							 (const void *)(uintptr_t)r4,
							 r5);
}
