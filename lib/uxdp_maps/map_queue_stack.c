/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BPF_MAP_TYPE_QUEUE (FIFO) and BPF_MAP_TYPE_STACK (LIFO) with the
 * kernel's semantics: no key (key_size 0), push/pop/peek of whole values,
 * -E2BIG when pushing into a full map unless BPF_EXIST asks to drop the
 * oldest element, -ENOENT when popping or peeking an empty one.
 *
 * A ring of max_entries + 1 slots (one stays free to tell full from
 * empty): head is the next slot written, tail the oldest element. A queue
 * pops at tail, a stack at head - 1. A spinlock serialises every operation
 * as in the kernel: values are copied whole, not handed out by pointer.
 */

#include <errno.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_map_impl.h"

#define QS_FLAGS_OK (BPF_F_RDONLY | BPF_F_WRONLY | BPF_F_RDONLY_PROG | \
		     BPF_F_WRONLY_PROG)
/* The kernel refuses values it could not kmalloc (4 MiB). */
#define QS_VALUE_SIZE_MAX (4u << 20)

static int
qs_size(const struct uxdp_map_def *def, uint64_t *data_size)
{
	if (def->key_size != 0 || def->value_size == 0 ||
	    def->max_entries == 0 || (def->map_flags & ~QS_FLAGS_OK) != 0 ||
	    !uxdp_map_access_flags_ok(def->map_flags))
		return -EINVAL;
	if (def->value_size > QS_VALUE_SIZE_MAX)
		return -E2BIG;
	*data_size = ((uint64_t)def->max_entries + 1) *
		     uxdp_round_up(def->value_size, 8);
	return 0;
}

static int
qs_init(struct uxdp_map *map, uint64_t data_off)
{
	struct uxdp_qs_layout *q = &map->u.qs;

	q->slots_off = data_off;
	q->slot_size = uxdp_round_up(map->def.value_size, 8);
	q->n_slots = map->def.max_entries + 1;
	q->head = 0;
	q->tail = 0;
	rte_spinlock_init(&q->lock);
	return 0;
}

static inline void *
slot_at(struct uxdp_map *map, uint32_t i)
{
	return uxdp_map_at(map, map->u.qs.slots_off +
			   (uint64_t)i * map->u.qs.slot_size);
}

static inline uint32_t
ring_next(const struct uxdp_qs_layout *q, uint32_t i)
{
	return i + 1 < q->n_slots ? i + 1 : 0;
}

static inline uint32_t
ring_prev(const struct uxdp_qs_layout *q, uint32_t i)
{
	return i > 0 ? i - 1 : q->n_slots - 1;
}

static int
qs_push(struct uxdp_map *map, const void *value, uint64_t flags)
{
	struct uxdp_qs_layout *q = &map->u.qs;
	int ret = 0;

	if (flags != BPF_ANY && flags != BPF_EXIST)
		return -EINVAL;
	rte_spinlock_lock(&q->lock);
	if (ring_next(q, q->head) == q->tail) {
		if (flags != BPF_EXIST) {
			ret = -E2BIG;
			goto out;
		}
		/* Full with BPF_EXIST: the oldest element makes room, for
		 * a stack as for a queue. */
		q->tail = ring_next(q, q->tail);
	}
	memcpy(slot_at(map, q->head), value, map->def.value_size);
	q->head = ring_next(q, q->head);
out:
	rte_spinlock_unlock(&q->lock);
	return ret;
}

/* Copy out the element a pop would take; remove it when pop is set. */
static int
qs_take(struct uxdp_map *map, void *value, int pop)
{
	struct uxdp_qs_layout *q = &map->u.qs;
	int stack = map->def.type == BPF_MAP_TYPE_STACK;
	uint32_t i;
	int ret = 0;

	rte_spinlock_lock(&q->lock);
	if (q->head == q->tail) {
		ret = -ENOENT;
		goto out;
	}
	i = stack ? ring_prev(q, q->head) : q->tail;
	memcpy(value, slot_at(map, i), map->def.value_size);
	if (pop) {
		if (stack)
			q->head = i;
		else
			q->tail = ring_next(q, q->tail);
	}
out:
	rte_spinlock_unlock(&q->lock);
	return ret;
}

static int
qs_pop(struct uxdp_map *map, void *value)
{
	return qs_take(map, value, 1);
}

static int
qs_peek(struct uxdp_map *map, void *value)
{
	return qs_take(map, value, 0);
}

/* Programs cannot look up a queue (the verifier refuses it). */
static void *
qs_lookup(struct uxdp_map *map, const void *key)
{
	return NULL;
}

/* The syscall: update pushes, lookup peeks, delete and walks fail. */
static int
qs_update(struct uxdp_map *map, const void *key, const void *value,
	  uint64_t flags)
{
	return qs_push(map, value, flags);
}

static int
qs_lookup_copy(struct uxdp_map *map, const void *key, void *value)
{
	return qs_peek(map, value);
}

static int
qs_delete(struct uxdp_map *map, const void *key)
{
	return -EINVAL;
}

static int
qs_get_next_key(struct uxdp_map *map, const void *key, void *next_key)
{
	return -EINVAL;
}

static uint32_t
qs_count(struct uxdp_map *map)
{
	struct uxdp_qs_layout *q = &map->u.qs;
	uint32_t n;

	rte_spinlock_lock(&q->lock);
	n = q->head >= q->tail ? q->head - q->tail :
				 q->n_slots - q->tail + q->head;
	rte_spinlock_unlock(&q->lock);
	return n;
}

#define QS_OPS { \
	.size = qs_size, \
	.init = qs_init, \
	.lookup = qs_lookup, \
	.update = qs_update, \
	.delete = qs_delete, \
	.get_next_key = qs_get_next_key, \
	.lookup_copy = qs_lookup_copy, \
	.count = qs_count, \
	.push = qs_push, \
	.pop = qs_pop, \
	.peek = qs_peek, \
}

const struct uxdp_map_ops uxdp_map_queue_ops = QS_OPS;
const struct uxdp_map_ops uxdp_map_stack_ops = QS_OPS;
