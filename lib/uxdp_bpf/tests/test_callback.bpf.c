/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_loop and bpf_for_each_map_elem under test_callback.c: the test
 * writes a command (what to iterate, an argument, flags) into cmd, runs
 * the program once and reads what it saw from out. With -DBAD_MAP_TYPE
 * the object iterates an LPM trie, which the checks must refuse.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_SEEN 16

enum {
	OP_ARRAY, OP_PERCPU_ARRAY, OP_HASH, OP_LRU_HASH, OP_PERCPU_HASH,
	OP_LRU_PERCPU_HASH, OP_EMPTY, OP_LOOP, OP_NESTED, OP_LOOP_RUNAWAY,
	OP_NESTED_RUNAWAY,
};

struct cmd {
	__u32 op;
	__u32 arg;     /* stop at this key / index (or nr_loops) */
	__u64 flags;
	__u32 update;  /* add 1 to each value seen */
	__u32 delete;  /* delete elements whose key is even */
	__u32 stop;    /* bpf_loop: stop at this index */
	__u32 pad;
};

struct out {
	__s64 ret;
	__u64 visited;
	__u64 sum;     /* of keys * 1000 + values */
	__u32 seen[MAX_SEEN];
};

#define MAP(name, kind, n) \
	struct { \
		__uint(type, kind); \
		__uint(max_entries, n); \
		__type(key, __u32); \
		__type(value, __u64); \
	} name SEC(".maps")

MAP(arr, BPF_MAP_TYPE_ARRAY, 6);
MAP(pcpu_arr, BPF_MAP_TYPE_PERCPU_ARRAY, 4);
MAP(hash, BPF_MAP_TYPE_HASH, 16);
MAP(lru, BPF_MAP_TYPE_LRU_HASH, 16);
MAP(pcpu_hash, BPF_MAP_TYPE_PERCPU_HASH, 16);
MAP(lru_pcpu, BPF_MAP_TYPE_LRU_PERCPU_HASH, 16);
MAP(empty, BPF_MAP_TYPE_HASH, 4);

#ifdef BAD_MAP_TYPE
struct lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__uint(max_entries, 4);
	__type(key, struct lpm_key);
	__type(value, __u64);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} lpm SEC(".maps");
#endif

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct cmd);
} cmd SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct out);
} out SEC(".maps");

struct walk {
	struct cmd *c;
	struct out *o;
};

static long
seen(void *map, __u32 *key, __u64 *val, struct walk *w)
{
	struct out *o = w->o;
	__u64 n = o->visited++;

	if (n < MAX_SEEN)
		o->seen[n] = *key;
	o->sum += (__u64)*key * 1000 + *val;
	if (w->c->update)
		*val += 1;
	if (w->c->delete && (*key & 1) == 0)
		bpf_map_delete_elem(map, key);
	return *key == w->c->arg;
}

static long
count(__u64 i, struct walk *w)
{
	struct out *o = w->o;
	__u64 n = o->visited++;

	if (n < MAX_SEEN)
		o->seen[n] = i;
	o->sum += i;
	return i == w->c->stop;
}

static long
nest(__u64 i, struct walk *w)
{
	w->o->sum += bpf_loop(4, count, w, 0) * 100;
	return 0;
}

static long
nothing(__u64 i, void *unused)
{
	return 0;
}

static long
nest_runaway(__u64 i, void *unused)
{
	bpf_loop(2000, nothing, 0, 0);
	return 0;
}

SEC("xdp")
int callbacks(struct xdp_md *ctx)
{
	__u32 zero = 0;
	struct walk w = {
		.c = bpf_map_lookup_elem(&cmd, &zero),
		.o = bpf_map_lookup_elem(&out, &zero),
	};

	if (w.c == 0 || w.o == 0)
		return XDP_DROP;
	switch (w.c->op) {
	case OP_ARRAY:
		w.o->ret = bpf_for_each_map_elem(&arr, seen, &w, w.c->flags);
		break;
	case OP_PERCPU_ARRAY:
		w.o->ret = bpf_for_each_map_elem(&pcpu_arr, seen, &w, w.c->flags);
		break;
	case OP_HASH:
		w.o->ret = bpf_for_each_map_elem(&hash, seen, &w, w.c->flags);
		break;
	case OP_LRU_HASH:
		w.o->ret = bpf_for_each_map_elem(&lru, seen, &w, w.c->flags);
		break;
	case OP_PERCPU_HASH:
		w.o->ret = bpf_for_each_map_elem(&pcpu_hash, seen, &w, w.c->flags);
		break;
	case OP_LRU_PERCPU_HASH:
		w.o->ret = bpf_for_each_map_elem(&lru_pcpu, seen, &w, w.c->flags);
		break;
	case OP_EMPTY:
		w.o->ret = bpf_for_each_map_elem(&empty, seen, &w, w.c->flags);
		break;
	case OP_LOOP:
		w.o->ret = bpf_loop(w.c->arg, count, &w, w.c->flags);
		break;
	case OP_NESTED:
		w.o->ret = bpf_loop(3, nest, &w, 0);
		break;
	case OP_LOOP_RUNAWAY:
		w.o->ret = bpf_loop(1 << 23, nothing, 0, 0);
		break;
	case OP_NESTED_RUNAWAY:
		w.o->ret = bpf_loop(2000, nest_runaway, 0, 0);
		break;
	default:
#ifdef BAD_MAP_TYPE
		w.o->ret = bpf_for_each_map_elem(&lpm, seen, &w, 0);
#endif
		return XDP_DROP;
	}
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
