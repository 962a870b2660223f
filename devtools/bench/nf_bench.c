/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Driver of devtools/bench-nf.py, two jobs:
 *
 *   nf-bench load OBJ
 *     Time uxdp's loader (ELF parse, relocation, checks, map creation on
 *     the heap) and the JIT for the object's first program; one JSON line.
 *
 *   nf-bench native SO OBJ FUNC PCAP REPEAT
 *     Run FUNC of SO, the program built natively as a host shared object
 *     with the shim header devtools/bench/native/bpf/bpf_helpers.h, over
 *     every packet of PCAP, REPEAT times per packet on the same buffer as
 *     BPF_PROG_TEST_RUN does; one JSON line per packet with "ret" and
 *     "ns_per_run" like uxdp-run --repeat. OBJ is the BPF object of the
 *     same source: uxdp's loader creates its maps, and the helpers below
 *     use them.
 *
 * Not a test and not part of uxdp: a measuring tool, built, never run by
 * meson test except for the harness smoke test.
 */

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/bpf.h>

#include <uxdp_bpf.h>
#include <uxdp_map.h>

/* Kernel XDP frame geometry: 256 B headroom, of which the xdp_frame
 * struct (40 B) is off limits to adjust_head/meta, and 320 B of
 * skb_shared_info at the end of a 4 KiB frame. */
#define FRAME_SIZE 4096
#define FRAME_HEADROOM 256
#define FRAME_RESERVE 40
#define FRAME_TAILROOM 320
#define ETH_HEADER_LEN 14
#define META_MAX 32

/* The host context: struct xdp_md first, as the program sees it, then
 * the frame bounds the adjust helpers need. */
struct native_ctx {
	struct xdp_md md;
	uint32_t frame_start;
	uint32_t frame_end;
};

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- helpers of the shim header (exported: the .so binds to them) ---- */

static struct uxdp_map *
host_map(void *map)
{
	return *(struct uxdp_map **)map;
}

void *
uxdp_native_map_lookup_elem(void *map, const void *key)
{
	return uxdp_map_lookup(host_map(map), key);
}

long
uxdp_native_map_update_elem(void *map, const void *key, const void *value,
		    uint64_t flags)
{
	/* The program's update: one slot of a per-CPU value. */
	return uxdp_map_update_prog(host_map(map), key, value, flags);
}

long
uxdp_native_map_delete_elem(void *map, const void *key)
{
	return uxdp_map_delete(host_map(map), key);
}

/* The kernel's bpf_redirect_map() verdicts for a devmap: flags beyond
 * the action bits, BPF_F_BROADCAST and BPF_F_EXCLUDE_INGRESS abort; a
 * broadcast redirects whatever the key; otherwise a missing entry gives
 * the action in the flags' low bits. (The target itself is not recorded:
 * nf-bench only counts verdicts.) */
long
uxdp_native_redirect_map(void *map, uint64_t key, uint64_t flags)
{
	const uint64_t action_mask = 3, broadcast = 1ull << 3,
		       exclude_ingress = 1ull << 4;
	uint32_t k = (uint32_t)key;

	if (flags & ~(action_mask | broadcast | exclude_ingress))
		return XDP_ABORTED;
	if (flags & broadcast)
		return XDP_REDIRECT;
	if (uxdp_map_lookup(host_map(map), &k) != NULL)
		return XDP_REDIRECT;
	return flags & action_mask;
}

long
uxdp_native_redirect(uint32_t ifindex, uint64_t flags)
{
	(void)ifindex;
	return flags ? XDP_ABORTED : XDP_REDIRECT;
}

long
uxdp_native_xdp_adjust_head(struct xdp_md *md, int delta)
{
	struct native_ctx *c = (struct native_ctx *)md;
	uint32_t data = md->data + delta;
	uint32_t meta_len = md->data - md->data_meta;

	if (data < c->frame_start + FRAME_RESERVE + meta_len ||
	    data > md->data_end - ETH_HEADER_LEN)
		return -EINVAL;
	if (meta_len)
		memmove((void *)(uintptr_t)(md->data_meta + delta),
			(void *)(uintptr_t)md->data_meta, meta_len);
	md->data_meta += delta;
	md->data = data;
	return 0;
}

long
uxdp_native_xdp_adjust_tail(struct xdp_md *md, int delta)
{
	struct native_ctx *c = (struct native_ctx *)md;
	uint32_t end = md->data_end + delta;

	if (end > c->frame_end || end <= md->data + ETH_HEADER_LEN)
		return -EINVAL;
	if (delta > 0) /* grown bytes read as zero in the kernel */
		memset((void *)(uintptr_t)md->data_end, 0, delta);
	md->data_end = end;
	return 0;
}

long
uxdp_native_xdp_adjust_meta(struct xdp_md *md, int delta)
{
	struct native_ctx *c = (struct native_ctx *)md;
	uint32_t meta = md->data_meta + delta;

	if (meta < c->frame_start + FRAME_RESERVE || meta > md->data ||
	    ((md->data - meta) & 3) || md->data - meta > META_MAX)
		return -EINVAL;
	md->data_meta = meta;
	return 0;
}

long
uxdp_native_xdp_load_bytes(struct xdp_md *md, uint32_t off, void *buf, uint32_t len)
{
	if ((uint64_t)off + len > md->data_end - md->data || len == 0)
		return -EFAULT;
	memcpy(buf, (void *)(uintptr_t)(md->data + off), len);
	return 0;
}

long
uxdp_native_xdp_store_bytes(struct xdp_md *md, uint32_t off, void *buf, uint32_t len)
{
	if ((uint64_t)off + len > md->data_end - md->data || len == 0)
		return -EFAULT;
	memcpy((void *)(uintptr_t)(md->data + off), buf, len);
	return 0;
}

uint64_t
uxdp_native_xdp_get_buff_len(struct xdp_md *md)
{
	return md->data_end - md->data;
}

/* One's complement sum of ~from and to plus seed, folded to 32 bits
 * (the value a caller folds to 16 bits is the kernel's). */
int64_t
uxdp_native_csum_diff(uint32_t *from, uint32_t from_size, uint32_t *to,
	      uint32_t to_size, uint32_t seed)
{
	uint64_t sum = seed;
	uint32_t i;

	if ((from_size | to_size) & 3)
		return -EINVAL;
	for (i = 0; i < from_size / 4; i++)
		sum += (uint32_t)~from[i];
	for (i = 0; i < to_size / 4; i++)
		sum += to[i];
	sum = (sum & 0xffffffffu) + (sum >> 32);
	sum = (sum & 0xffffffffu) + (sum >> 32);
	return (uint32_t)sum;
}

uint64_t
uxdp_native_ktime_get_ns(void)
{
	return now_ns();
}

uint32_t
uxdp_native_get_prandom_u32(void)
{
	static __thread uint64_t state = 0x9e3779b97f4a7c15ull;

	state ^= state << 13;
	state ^= state >> 7;
	state ^= state << 17;
	return (uint32_t)state;
}

uint32_t
uxdp_native_get_smp_processor_id(void)
{
	return 0;
}

/* ---- load timing ---- */

static int
load_obj(const char *path, struct uxdp_obj **obj, struct uxdp_prog **prog)
{
	struct uxdp_obj_opts opts;
	char err[512];
	int ret;

	memset(&opts, 0, sizeof(opts));
	ret = uxdp_obj_load(path, &opts, obj, err, sizeof(err));
	if (ret < 0) {
		fprintf(stderr, "%s: load: %s\n", path, err);
		return ret;
	}
	*prog = uxdp_obj_find_prog(*obj, NULL, err, sizeof(err));
	if (*prog == NULL) {
		fprintf(stderr, "%s: no program: %s\n", path, err);
		return -ENOENT;
	}
	return 0;
}

static int
cmd_load(const char *path)
{
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;
	uint64_t t0, t1, t2;
	char err[512];

	t0 = now_ns();
	if (load_obj(path, &obj, &prog) < 0)
		return 1;
	t1 = now_ns();
	if (uxdp_prog_set_engine(prog, UXDP_ENGINE_JIT, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: jit: %s\n", path, err);
		return 1;
	}
	t2 = now_ns();
	printf("{\"prog\": \"%s\", \"insns\": %u, \"load_ms\": %.3f, "
	       "\"jit_ms\": %.3f, \"jit_compile_ms\": %.3f, \"total_ms\": %.3f}\n",
	       uxdp_prog_name(prog), uxdp_prog_insn_count(prog),
	       (t1 - t0) / 1e6, (t2 - t1) / 1e6,
	       uxdp_prog_jit_ns(prog) / 1e6, (t2 - t0) / 1e6);
	uxdp_obj_close(obj);
	return 0;
}

/* bpf_check_mtu() as uxdp's helper (helpers_mtu.c) computes it for the
 * device uxdp-run's frames arrive on: lo, MTU 65536, ifindex 1 here. */
#define NATIVE_MTU 65536
#define NATIVE_IFINDEX 1

long
uxdp_native_check_mtu(struct xdp_md *md, uint32_t ifindex, uint32_t *mtu_len,
		      int32_t len_diff, uint64_t flags)
{
	uint32_t len = md->data_end - md->data;
	int32_t dev_len = (int32_t)(NATIVE_MTU + ETH_HEADER_LEN);

	if (flags != 0)
		return -EINVAL;
	if (ifindex != 0 && ifindex != md->ingress_ifindex)
		return -ENODEV;
	if (*mtu_len != 0)
		len = *mtu_len + ETH_HEADER_LEN;
	*mtu_len = NATIVE_MTU;
	return (int32_t)(len + (uint32_t)len_diff) > dev_len ?
	       BPF_MTU_CHK_RET_FRAG_NEEDED : BPF_MTU_CHK_RET_SUCCESS;
}

long
uxdp_native_map_push_elem(void *map, const void *value, uint64_t flags)
{
	return uxdp_map_push(host_map(map), value, flags);
}

long
uxdp_native_map_pop_elem(void *map, void *value)
{
	return uxdp_map_pop(host_map(map), value);
}

long
uxdp_native_map_peek_elem(void *map, void *value)
{
	return uxdp_map_peek(host_map(map), value);
}

long
uxdp_native_ringbuf_output(void *map, void *data, uint64_t size,
			   uint64_t flags)
{
	return uxdp_ringbuf_output(host_map(map), data, size, flags);
}

void *
uxdp_native_ringbuf_reserve(void *map, uint64_t size, uint64_t flags)
{
	return uxdp_ringbuf_reserve(host_map(map), size, flags);
}

void
uxdp_native_ringbuf_submit(void *data, uint64_t flags)
{
	uxdp_ringbuf_submit(data, flags);
}

void
uxdp_native_ringbuf_discard(void *data, uint64_t flags)
{
	uxdp_ringbuf_discard(data, flags);
}

uint64_t
uxdp_native_ringbuf_query(void *map, uint64_t flags)
{
	return uxdp_ringbuf_query(host_map(map), flags);
}

/* The kernel's bpf_loop(): at most 1 << 23 turns, no flags; a non-zero
 * return of the callback ends the loop. Returns the turns made. */
long
uxdp_native_loop(uint32_t nr_loops, void *callback_fn, void *callback_ctx,
		 uint64_t flags)
{
	long (*cb)(uint64_t, void *) = (long (*)(uint64_t, void *))callback_fn;
	uint32_t i;

	if (flags != 0)
		return -EINVAL;
	if (nr_loops > (1u << 23))
		return -E2BIG;
	for (i = 0; i < nr_loops; i++)
		if (cb(i, callback_ctx) != 0)
			return i + 1;
	return i;
}

/* The kernel's bpf_for_each_map_elem() over a uxdp map: every element in
 * get_next_key order (every index of an array), the callback getting the
 * program's map, the key, the value (this thread's slot of a per-CPU
 * map) and ctx; a non-zero return stops after that element. The next key
 * is taken before the callback runs, which may delete the element under
 * it, as the kernel allows. Returns the elements visited. */
long
uxdp_native_for_each_map_elem(void *map, void *callback_fn,
			      void *callback_ctx, uint64_t flags)
{
	long (*cb)(void *, void *, void *, void *) =
		(long (*)(void *, void *, void *, void *))callback_fn;
	struct uxdp_map *m = host_map(map);
	uint8_t key[2][256];
	long n = 0;
	int cur = 0, more;

	if (flags != 0)
		return -EINVAL;
	if (uxdp_map_get_def(m)->key_size > sizeof(key[0]))
		return -E2BIG;
	more = uxdp_map_get_next_key(m, NULL, key[cur]) == 0;
	while (more) {
		void *value = uxdp_map_lookup(m, key[cur]);

		more = uxdp_map_get_next_key(m, key[cur], key[cur ^ 1]) == 0;
		if (value != NULL) {
			n++;
			if (cb(map, key[cur], value, callback_ctx) != 0)
				break;
		}
		cur ^= 1;
	}
	return n;
}

/* Tail calls made in the current native run; nf-bench clears it before
 * each run, as a hook's run starts a new count. */
static uint32_t native_tail_calls;

int
uxdp_native_tail_call_ok(void *map, uint32_t index)
{
	uint32_t id;

	if (native_tail_calls >= 33)
		return 0;
	if (uxdp_map_lookup_copy(host_map(map), &index, &id) != 0)
		return 0;
	native_tail_calls++;
	return 1;
}

/* ---- native runs ---- */

typedef int (*native_prog_fn)(struct xdp_md *ctx);

static int
bind_maps(void *so, struct uxdp_obj *obj)
{
	unsigned int i;

	for (i = 0; i < uxdp_obj_map_count(obj); i++) {
		struct uxdp_map *map = uxdp_obj_map_at(obj, i);
		void **host = dlsym(so, uxdp_map_name(map));

		/* Global data sections (.bss, .rodata...) have no symbol of
		 * their name: the native code uses its own variables. */
		if (host != NULL)
			*host = map;
	}
	return 0;
}

/* Reads the packets of a classic little-endian pcap; returns the count. */
static int
read_pcap(const char *path, uint8_t (*pkts)[FRAME_SIZE], uint32_t *lens,
	  int max)
{
	uint32_t hdr[6], rec[4];
	FILE *f = fopen(path, "rb");
	int n = 0;

	if (f == NULL || fread(hdr, sizeof(hdr), 1, f) != 1 ||
	    hdr[0] != 0xa1b2c3d4) {
		fprintf(stderr, "%s: not a little-endian pcap\n", path);
		if (f != NULL)
			fclose(f);
		return -1;
	}
	while (n < max && fread(rec, sizeof(rec), 1, f) == 1) {
		if (rec[2] > FRAME_SIZE - FRAME_HEADROOM - FRAME_TAILROOM ||
		    fread(pkts[n], rec[2], 1, f) != 1)
			break;
		lens[n++] = rec[2];
	}
	fclose(f);
	return n;
}

#define MAX_PKTS 1024

static int
cmd_native(char **argv)
{
	static uint8_t pkts[MAX_PKTS][FRAME_SIZE];
	static uint32_t lens[MAX_PKTS];
	uint64_t repeat = strtoull(argv[4], NULL, 0);
	struct native_ctx *ctx;
	struct uxdp_obj *obj;
	struct uxdp_prog *prog;
	native_prog_fn fn;
	uint8_t *frame;
	int n, i;
	void *so;

	if (load_obj(argv[1], &obj, &prog) < 0)
		return 1;
	so = dlopen(argv[0], RTLD_NOW | RTLD_LOCAL);
	if (so == NULL) {
		fprintf(stderr, "dlopen: %s\n", dlerror());
		return 1;
	}
	fn = (native_prog_fn)(uintptr_t)dlsym(so, argv[2]);
	if (fn == NULL) {
		fprintf(stderr, "%s: no function %s\n", argv[0], argv[2]);
		return 1;
	}
	bind_maps(so, obj);
	n = read_pcap(argv[3], pkts, lens, MAX_PKTS);
	if (n < 0 || repeat == 0)
		return 1;
	/* Below 4 GiB, so that struct xdp_md's 32-bit fields hold addresses. */
	frame = mmap(NULL, FRAME_SIZE + 4096, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
	if (frame == MAP_FAILED) {
		perror("mmap MAP_32BIT");
		return 1;
	}
	ctx = (struct native_ctx *)(frame + FRAME_SIZE);
	for (i = 0; i < n; i++) {
		uint32_t start = (uint32_t)(uintptr_t)frame;
		uint64_t t0, t1, r;
		int ret = 0;

		memset(frame, 0, FRAME_SIZE);
		memcpy(frame + FRAME_HEADROOM, pkts[i], lens[i]);
		memset(ctx, 0, sizeof(*ctx));
		ctx->frame_start = start;
		ctx->frame_end = start + FRAME_SIZE - FRAME_TAILROOM;
		ctx->md.ingress_ifindex = NATIVE_IFINDEX;
		/* Once for all repeats: the kernel's test_run (and uxdp-run
		 * --repeat) runs every repeat on the context the last one
		 * left, geometry and bytes, so a program that grows the
		 * packet grows it again each time, until the helper fails. */
		ctx->md.data = start + FRAME_HEADROOM;
		ctx->md.data_meta = ctx->md.data;
		ctx->md.data_end = ctx->md.data + lens[i];
		t0 = now_ns();
		for (r = 0; r < repeat; r++) {
			native_tail_calls = 0;
			ret = fn(&ctx->md);
		}
		t1 = now_ns();
		printf("{\"ret\": %d, \"ns_per_run\": %.3f}\n", ret,
		       (double)(t1 - t0) / repeat);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "load") == 0)
		return cmd_load(argv[2]);
	if (argc == 7 && strcmp(argv[1], "native") == 0)
		return cmd_native(argv + 2);
	fprintf(stderr, "usage: %s load OBJ\n"
		"       %s native SO OBJ FUNC PCAP REPEAT\n", argv[0], argv[0]);
	return 2;
}
