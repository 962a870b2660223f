/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/* RINGBUF: create rules, reserve/submit/discard/output/query, the record
 * header, wrap-around, full rings and the consumer. */

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map.h"
#include "map_test.h"

#define SIZE 4096

struct seen {
	unsigned int n;
	uint32_t sizes[64];
	uint8_t first[64];
	unsigned int stop_after;
};

static int
collect(void *ctx, const void *data, uint32_t size)
{
	struct seen *s = ctx;

	if (s->n < 64) {
		s->sizes[s->n] = size;
		s->first[s->n] = size ? *(const uint8_t *)data : 0;
	}
	s->n++;
	return s->stop_after != 0 && s->n >= s->stop_after;
}

int
main(void)
{
	struct seen seen = { 0 };
	struct uxdp_map *map;
	uint8_t buf[600];
	uint8_t *a, *b;
	uint32_t hdr[2];
	unsigned int i;

	CHECK_EQ(map_test_create(BPF_MAP_TYPE_RINGBUF, 4, 0, SIZE, 0, 0, NULL),
		 -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_RINGBUF, 0, 4, SIZE, 0, 0, NULL),
		 -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_RINGBUF, 0, 0, 3 * SIZE, 0, 0, NULL),
		 -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_RINGBUF, 0, 0, 2048, 0, 0, NULL),
		 -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_RINGBUF, 0, 0, SIZE,
				 BPF_F_NO_PREALLOC, 0, NULL), -EINVAL);
	CHECK_EQ(map_test_create(BPF_MAP_TYPE_RINGBUF, 0, 0, SIZE, 0, 0, &map), 0);
	CHECK_EQ(uxdp_map_update(map, NULL, buf, 0), -524);
	CHECK_EQ(uxdp_map_lookup_copy(map, NULL, buf), -524);

	CHECK_EQ(uxdp_ringbuf_query(map, BPF_RB_RING_SIZE), SIZE);
	CHECK_EQ(uxdp_ringbuf_query(map, BPF_RB_AVAIL_DATA), 0);
	CHECK(uxdp_ringbuf_reserve(map, 8, 1) == NULL);
	CHECK(uxdp_ringbuf_reserve(map, SIZE, 0) == NULL);

	/* Two reservations; the second is submitted first, but consumers
	 * see records in reservation order and wait for the first. */
	a = uxdp_ringbuf_reserve(map, 5, 0);
	b = uxdp_ringbuf_reserve(map, 16, 0);
	CHECK(a != NULL && b != NULL);
	CHECK_EQ(b - a, 16); /* 8-byte header + 5 rounded up to 8 */
	memcpy(hdr, a - 8, 8);
	CHECK_EQ(hdr[0], 5u | (1u << 31)); /* BUSY */
	CHECK_EQ(uxdp_ringbuf_query(map, BPF_RB_PROD_POS), 40);
	CHECK_EQ(uxdp_ringbuf_query(map, BPF_RB_AVAIL_DATA), 40);
	b[0] = 0xbb;
	uxdp_ringbuf_submit(b, 0);
	CHECK_EQ(uxdp_ringbuf_consume(map, collect, &seen), 0);
	a[0] = 0xaa;
	uxdp_ringbuf_submit(a, BPF_RB_NO_WAKEUP);
	memcpy(hdr, a - 8, 8);
	CHECK_EQ(hdr[0], 5);
	CHECK_EQ(uxdp_ringbuf_consume(map, collect, &seen), 2);
	CHECK(seen.sizes[0] == 5 && seen.first[0] == 0xaa);
	CHECK(seen.sizes[1] == 16 && seen.first[1] == 0xbb);
	CHECK_EQ(uxdp_ringbuf_query(map, BPF_RB_CONS_POS), 40);
	CHECK_EQ(uxdp_ringbuf_query(map, BPF_RB_AVAIL_DATA), 0);

	/* Discarded records are skipped. */
	a = uxdp_ringbuf_reserve(map, 1, 0);
	uxdp_ringbuf_discard(a, 0);
	memcpy(hdr, a - 8, 8);
	CHECK_EQ(hdr[0], 1u | (1u << 30));
	buf[0] = 0x42;
	CHECK_EQ(uxdp_ringbuf_output(map, buf, 3, 0), 0);
	CHECK_EQ(uxdp_ringbuf_output(map, buf, 3, 4), -EINVAL);
	seen.n = 0;
	CHECK_EQ(uxdp_ringbuf_consume(map, collect, &seen), 1);
	CHECK(seen.sizes[0] == 3 && seen.first[0] == 0x42);

	/* Fill: at most SIZE - 8 bytes in flight, then -EAGAIN. */
	for (i = 0; uxdp_ringbuf_output(map, buf, 600, 0) == 0; i++)
		;
	CHECK_EQ(i, 6); /* 608-byte records from position 72: 6 fit */
	CHECK_EQ(uxdp_ringbuf_output(map, buf, 600, 0), -EAGAIN);
	/* The consumer stops when the callback asks. */
	seen.n = 0;
	seen.stop_after = 2;
	CHECK_EQ(uxdp_ringbuf_consume(map, collect, &seen), 2);
	seen.stop_after = 0;
	/* Records wrap around the end of the data: still whole. */
	for (i = 0; i < 50; i++) {
		buf[0] = (uint8_t)i;
		while (uxdp_ringbuf_output(map, buf, 600, 0) == -EAGAIN) {
			seen.n = 0;
			CHECK(uxdp_ringbuf_consume(map, collect, &seen) > 0);
		}
	}
	seen.n = 0;
	CHECK(uxdp_ringbuf_consume(map, collect, &seen) > 0);
	CHECK_EQ(seen.first[seen.n - 1], 49);
	CHECK_EQ(uxdp_ringbuf_query(map, BPF_RB_AVAIL_DATA), 0);
	CHECK_EQ(uxdp_ringbuf_consume(NULL, collect, &seen), -EINVAL);
	uxdp_map_destroy(map);
	return checks_summary();
}
