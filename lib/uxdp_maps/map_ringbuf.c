/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_RINGBUF: the kernel's multi-producer, single-consumer ring
 * of variable-length records. max_entries is the data size, a power of two
 * and a multiple of the page size; key_size and value_size are 0.
 *
 * Positions only grow; masked by max_entries - 1 they index the data. Each
 * record starts with the kernel's 8-byte header: u32 len, whose bit 31
 * (BPF_RINGBUF_BUSY_BIT) says "reserved, not yet submitted" and bit 30
 * (BPF_RINGBUF_DISCARD_BIT) "discarded", then u32 pg_off; the payload
 * follows and the next record starts 8-byte aligned.
 *
 * Where uxdp differs: the kernel maps the data pages twice in a row so a
 * record that wraps past the end is still contiguous. One block of memory
 * cannot do that, so a record that would wrap is preceded by a discarded
 * filler record up to the end of the data; consumers skip it as any
 * discarded record (it does count in BPF_RB_AVAIL_DATA until consumed).
 * pg_off, the kernel's page offset of the header used to find the ring
 * from a sample, is here the header's offset from the map start in 8-byte
 * units: the block may be a memzone that is not page aligned.
 *
 * Reserve takes a spinlock, as the kernel's; submit and discard only flip
 * the header with an atomic store; the consumer needs no lock.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

#define RB_HDR_SIZE 8
#define RB_BUSY (1u << 31)
#define RB_DISCARD (1u << 30)
/* A record's length must leave the two flag bits free. */
#define RB_MAX_RECORD ((1u << 30) - 1 - RB_HDR_SIZE)
/* The kernel's flags of submit/discard/output: wake-up hints. uxdp's
 * consumer polls, so they change nothing. */
#define RB_WAKEUP_FLAGS (BPF_RB_NO_WAKEUP | BPF_RB_FORCE_WAKEUP)
/* The kernel's ENOTSUPP: what its syscall says to element commands. */
#define RB_ENOTSUPP 524

struct rb_hdr {
	uint32_t len;
	uint32_t pg_off;
};

static int
ringbuf_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	long page = sysconf(_SC_PAGESIZE);

	if (page <= 0)
		page = 4096;
	if ((def->map_flags & ~BPF_F_NUMA_NODE) != 0 || def->key_size != 0 ||
	    def->value_size != 0 || def->max_entries == 0 ||
	    (def->max_entries & (def->max_entries - 1)) != 0 ||
	    def->max_entries % (uint32_t)page != 0)
		return -EINVAL;
	/* uxdp has no NUMA node to honour. */
	if (def->map_flags & BPF_F_NUMA_NODE)
		return -EINVAL;
	*data_size = def->max_entries;
	return 0;
}

static int
ringbuf_init(struct uxdp_map *map, uint64_t data_off)
{
	struct uxdp_ringbuf_layout *r = &map->u.ringbuf;

	r->data_off = data_off;
	r->mask = map->def.max_entries - 1;
	r->consumer_pos = 0;
	r->producer_pos = 0;
	rte_spinlock_init(&r->lock);
	return 0;
}

static inline struct rb_hdr *
hdr_at(struct uxdp_map *map, uint64_t pos)
{
	struct uxdp_ringbuf_layout *r = &map->u.ringbuf;

	return uxdp_map_at(map, r->data_off + (pos & r->mask));
}

static inline uint32_t
record_span(uint32_t len)
{
	return uxdp_round_up((uint64_t)len + RB_HDR_SIZE, 8);
}

static int
is_ringbuf(const struct uxdp_map *map)
{
	return map != NULL && map->def.type == BPF_MAP_TYPE_RINGBUF;
}

void *
uxdp_ringbuf_reserve(struct uxdp_map *map, uint64_t size, uint64_t flags)
{
	struct uxdp_ringbuf_layout *r;
	uint64_t cons, prod, start;
	uint64_t room_to_end;
	struct rb_hdr *hdr;
	uint32_t span;

	if (!is_ringbuf(map) || flags != 0 || size > RB_MAX_RECORD)
		return NULL;
	r = &map->u.ringbuf;
	span = record_span((uint32_t)size);
	if (span > r->mask + 1)
		return NULL;
	cons = __atomic_load_n(&r->consumer_pos, __ATOMIC_ACQUIRE);
	rte_spinlock_lock(&r->lock);
	prod = r->producer_pos;
	start = prod;
	room_to_end = r->mask + 1 - (prod & r->mask);
	if (span > room_to_end)
		start = prod + room_to_end; /* after a filler record */
	/* As the kernel: never more than size - 1 bytes in use. */
	if (start + span - cons > r->mask) {
		rte_spinlock_unlock(&r->lock);
		return NULL;
	}
	if (start != prod) {
		hdr = hdr_at(map, prod);
		hdr->pg_off = 0;
		__atomic_store_n(&hdr->len, (uint32_t)(room_to_end -
				 RB_HDR_SIZE) | RB_DISCARD, __ATOMIC_RELEASE);
	}
	hdr = hdr_at(map, start);
	hdr->pg_off = (uint32_t)(((char *)hdr - (char *)map) / 8);
	__atomic_store_n(&hdr->len, (uint32_t)size | RB_BUSY,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&r->producer_pos, start + span, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&r->lock);
	return hdr + 1;
}

static void
commit(void *sample, int discard)
{
	struct rb_hdr *hdr;
	uint32_t len;

	if (sample == NULL)
		return;
	hdr = (struct rb_hdr *)sample - 1;
	len = __atomic_load_n(&hdr->len, __ATOMIC_RELAXED);
	if (!(len & RB_BUSY))
		return;
	len &= ~RB_BUSY;
	if (discard)
		len |= RB_DISCARD;
	/* Release: the consumer that sees the bit clear sees the payload. */
	__atomic_store_n(&hdr->len, len, __ATOMIC_RELEASE);
}

void
uxdp_ringbuf_submit(void *sample, uint64_t flags)
{
	commit(sample, 0);
}

void
uxdp_ringbuf_discard(void *sample, uint64_t flags)
{
	commit(sample, 1);
}

int
uxdp_ringbuf_output(struct uxdp_map *map, const void *data, uint64_t size,
		    uint64_t flags)
{
	void *rec;

	if (!is_ringbuf(map) || (flags & ~(uint64_t)RB_WAKEUP_FLAGS) != 0)
		return -EINVAL;
	rec = uxdp_ringbuf_reserve(map, size, 0);
	if (rec == NULL)
		return -EAGAIN;
	memcpy(rec, data, size);
	uxdp_ringbuf_submit(rec, flags);
	return 0;
}

uint64_t
uxdp_ringbuf_query(struct uxdp_map *map, uint64_t flags)
{
	struct uxdp_ringbuf_layout *r;
	uint64_t cons, prod;

	if (!is_ringbuf(map))
		return 0;
	r = &map->u.ringbuf;
	cons = __atomic_load_n(&r->consumer_pos, __ATOMIC_ACQUIRE);
	prod = __atomic_load_n(&r->producer_pos, __ATOMIC_ACQUIRE);
	switch (flags) {
	case BPF_RB_AVAIL_DATA:
		return prod - cons;
	case BPF_RB_RING_SIZE:
		return r->mask + 1;
	case BPF_RB_CONS_POS:
		return cons;
	case BPF_RB_PROD_POS:
		return prod;
	default:
		return 0;
	}
}

int
uxdp_ringbuf_consume(struct uxdp_map *map, uxdp_ringbuf_cb cb, void *ctx)
{
	struct uxdp_ringbuf_layout *r;
	uint64_t cons, prod;
	int n = 0;

	if (!is_ringbuf(map) || cb == NULL)
		return -EINVAL;
	r = &map->u.ringbuf;
	cons = r->consumer_pos;
	prod = __atomic_load_n(&r->producer_pos, __ATOMIC_ACQUIRE);
	while (cons < prod) {
		struct rb_hdr *hdr = hdr_at(map, cons);
		uint32_t len = __atomic_load_n(&hdr->len, __ATOMIC_ACQUIRE);
		uint32_t size = len & ~(RB_BUSY | RB_DISCARD);
		int stop = 0;

		if (len & RB_BUSY)
			break;
		if (!(len & RB_DISCARD)) {
			n++;
			stop = cb(ctx, hdr + 1, size);
		}
		cons += record_span(size);
		/* Release: the producer reuses the space only after. */
		__atomic_store_n(&r->consumer_pos, cons, __ATOMIC_RELEASE);
		if (stop)
			break;
		if (cons == prod)
			prod = __atomic_load_n(&r->producer_pos,
					       __ATOMIC_ACQUIRE);
	}
	return n;
}

/* Ring buffers have no elements for the syscall's element commands. */
static void *
ringbuf_lookup(struct uxdp_map *map, const void *key)
{
	return NULL;
}

static int
ringbuf_update(struct uxdp_map *map, const void *key, const void *value,
	       uint64_t flags)
{
	return -RB_ENOTSUPP;
}

static int
ringbuf_delete(struct uxdp_map *map, const void *key)
{
	return -RB_ENOTSUPP;
}

static int
ringbuf_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	return -RB_ENOTSUPP;
}

static int
ringbuf_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	return -RB_ENOTSUPP;
}

static uint32_t
ringbuf_count(struct uxdp_map *map)
{
	return 0;
}

const struct uxdp_map_ops uxdp_map_ringbuf_ops = {
	.size = ringbuf_size,
	.init = ringbuf_init,
	.lookup = ringbuf_lookup,
	.update = ringbuf_update,
	.delete = ringbuf_delete,
	.get_next_key = ringbuf_get_next_key,
	.lookup_copy = ringbuf_lookup_copy,
	.count = ringbuf_count,
};
