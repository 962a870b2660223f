/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_spin_lock() and bpf_spin_unlock() on the 4-byte struct bpf_spin_lock
 * of a map value. Lcores run programs concurrently, so this is a real
 * lock: test-and-test-and-set with acquire/release ordering, 0 when free,
 * as the kernel's (a zeroed value is an unlocked lock).
 *
 * The kernel verifier proves that a program holds at most one lock at a
 * time and releases it before it exits; uxdp does not check programs for
 * that, so it keeps the lock this thread holds and enforces the rules at
 * run time instead of hanging the lcore: a second bpf_spin_lock() while
 * one is held does not take the lock (taking it again would spin forever,
 * taking another could deadlock with other lcores), and a lock still held
 * when the run ends is released then (uxdp_spin_lock_release_held()).
 */

#include <rte_pause.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"
#include "run_state.h"

UXDP_HELPER(spin_lock)
{
	uint32_t *lock = (uint32_t *)(uintptr_t)r1;

	if (uxdp_run_state.held_lock != NULL || lock == NULL)
		return 0;
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE) != 0)
		while (__atomic_load_n(lock, __ATOMIC_RELAXED) != 0)
			rte_pause();
	uxdp_run_state.held_lock = lock;
	return 0;
}

UXDP_HELPER(spin_unlock)
{
	uint32_t *lock = (uint32_t *)(uintptr_t)r1;

	/* Only the lock this thread took: unlocking another lcore's
	 * would break its critical section. */
	if (lock == NULL || lock != uxdp_run_state.held_lock)
		return 0;
	uxdp_run_state.held_lock = NULL;
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
	return 0;
}

void
uxdp_spin_lock_release_held(void)
{
	if (uxdp_run_state.held_lock != NULL) {
		__atomic_store_n(uxdp_run_state.held_lock, 0, __ATOMIC_RELEASE);
		uxdp_run_state.held_lock = NULL;
	}
}
