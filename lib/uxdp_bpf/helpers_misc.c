/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Time, randomness, CPU id and checksum helpers.
 */

#include <endian.h>
#include <string.h>
#include <time.h>

#include <rte_lcore.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

static uint64_t
clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* bpf_ktime_get_ns(): CLOCK_MONOTONIC, like the kernel's ktime_get_mono_fast_ns. */
UXDP_HELPER(ktime_get_ns)
{
	return clock_ns(CLOCK_MONOTONIC);
}

/* bpf_ktime_get_boot_ns(): includes time spent suspended. */
UXDP_HELPER(ktime_get_boot_ns)
{
	return clock_ns(CLOCK_BOOTTIME);
}

/* bpf_ktime_get_coarse_ns(): tick resolution, cheaper to read. */
UXDP_HELPER(ktime_get_coarse_ns)
{
	return clock_ns(CLOCK_MONOTONIC_COARSE);
}

/* One generator per thread (the kernel keeps one per CPU): lcores never
 * contend and no state is shared. splitmix64, seeded on first use. */
static __thread uint64_t prandom_state;

UXDP_HELPER(get_prandom_u32)
{
	uint64_t z;

	if (prandom_state == 0)
		prandom_state = clock_ns(CLOCK_MONOTONIC) ^
			(uintptr_t)&prandom_state;
	prandom_state += 0x9e3779b97f4a7c15ull;
	z = prandom_state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return (uint32_t)((z ^ (z >> 31)) >> 32);
}

/* bpf_get_smp_processor_id(): the lcore id, 0 on a thread that is not an
 * EAL lcore (uxdp-run, tests). */
UXDP_HELPER(get_smp_processor_id)
{
	unsigned int lcore = rte_lcore_id();

	return lcore == LCORE_ID_ANY ? 0 : lcore;
}

/* x86 csum_partial(): ones' complement sum, with end-around carry, of the
 * buffer read as 32-bit little-endian words, a short tail zero-padded. */
static uint32_t
csum_partial(const uint8_t *buf, uint32_t len, uint32_t seed)
{
	uint64_t sum = seed;
	uint32_t word;

	for (; len >= 4; len -= 4, buf += 4) {
		memcpy(&word, buf, 4);
		sum += le32toh(word);
	}
	if (len > 0) {
		word = 0;
		memcpy(&word, buf, len);
		sum += le32toh(word);
	}
	while (sum >> 32)
		sum = (sum & 0xffffffffu) + (sum >> 32);
	return (uint32_t)sum;
}

static uint32_t
csum_add(uint32_t a, uint32_t b)
{
	a += b;
	return a + (a < b);
}

/*
 * bpf_csum_diff(from, from_size, to, to_size, seed) as current kernels
 * compute it (checked against Linux 6.18 by test_interp_kernel): the sum of
 * to (with the seed) minus the sum of from, folded to 16 bits. Older
 * kernels returned the unfolded 32-bit sum and refused sizes that were not
 * multiples of 4 or exceeded 512 bytes together; the kernel verifier
 * bounds the sizes by the memory passed, which uxdp does not check yet.
 */
UXDP_HELPER(csum_diff)
{
	const uint8_t *from = (const uint8_t *)(uintptr_t)r1;
	const uint8_t *to = (const uint8_t *)(uintptr_t)r3;
	uint32_t from_size = (uint32_t)r2, to_size = (uint32_t)r4;
	uint32_t sum = (uint32_t)r5;

	if (from_size != 0 && to_size != 0)
		sum = csum_add(csum_partial(to, to_size, sum),
			       ~csum_partial(from, from_size, 0));
	else if (to_size != 0)
		sum = csum_partial(to, to_size, sum);
	else if (from_size != 0)
		sum = ~csum_partial(from, from_size, ~sum);
	sum = (sum & 0xffff) + (sum >> 16);
	return (sum & 0xffff) + (sum >> 16);
}
