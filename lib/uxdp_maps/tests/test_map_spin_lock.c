/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Values holding a struct bpf_spin_lock, against the kernel. The kernel
 * only learns where the lock is from BTF, so its maps get a value type
 * built here with libbpf's BTF writer: struct val { u32 a; struct
 * bpf_spin_lock lock; u64 b; }. The same updates (with and without
 * BPF_F_LOCK, each flag combination) and lookups go to both; return codes
 * and copied-out values must agree: the lock word reads as 0 and an
 * update never writes it. Which map types take such a value, and
 * BPF_F_LOCK on a map without a lock, are compared too.
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>

#include "uxdp_map.h"
#include "map_test.h"

#define VALUE_SIZE 16
#define LOCK_OFF 4

struct val {
	uint32_t a;
	uint32_t lock;
	uint64_t b;
};

struct kbtf {
	struct btf *btf;
	int u32_id;
	int val_id;
};

static int
errno_rc(int ret)
{
	return ret < 0 ? -errno : ret;
}

/* BTF of struct val, loaded into the kernel; -errno when it cannot be. */
static int
kbtf_load(struct kbtf *k)
{
	int u64_id, lock_id;

	k->btf = btf__new_empty();
	if (k->btf == NULL)
		return -ENOMEM;
	k->u32_id = btf__add_int(k->btf, "unsigned int", 4, 0);
	u64_id = btf__add_int(k->btf, "unsigned long long", 8, 0);
	lock_id = btf__add_struct(k->btf, "bpf_spin_lock", 4);
	btf__add_field(k->btf, "val", k->u32_id, 0, 0);
	k->val_id = btf__add_struct(k->btf, "val", VALUE_SIZE);
	btf__add_field(k->btf, "a", k->u32_id, 0, 0);
	btf__add_field(k->btf, "lock", lock_id, LOCK_OFF * 8, 0);
	btf__add_field(k->btf, "b", u64_id, 64, 0);
	return btf__load_into_kernel(k->btf) < 0 ? -errno : 0;
}

static int
kernel_create(const struct kbtf *k, uint32_t type, int with_lock)
{
	LIBBPF_OPTS(bpf_map_create_opts, opts);

	if (with_lock) {
		opts.btf_fd = btf__fd(k->btf);
		opts.btf_key_type_id = k->u32_id;
		opts.btf_value_type_id = k->val_id;
	}
	return errno_rc(bpf_map_create(type, "uxdp_lock", 4, VALUE_SIZE, 4,
				       &opts));
}

static int
uxdp_create(uint32_t type, int with_lock, struct uxdp_map **out)
{
	struct uxdp_map_def def = {
		.type = type, .key_size = 4, .value_size = VALUE_SIZE,
		.max_entries = 4, .has_spin_lock = (uint8_t)with_lock,
		.spin_lock_off = LOCK_OFF,
	};

	*out = NULL;
	return uxdp_map_create("uxdp_lock", &def, UXDP_MEM_HEAP, out);
}

static void
same_update(int fd, struct uxdp_map *m, uint32_t key, const struct val *v,
	    uint64_t flags)
{
	int k = errno_rc(bpf_map_update_elem(fd, &key, v, flags));
	int u = uxdp_map_update(m, &key, v, flags);

	CHECK_EQ(u, k);
	if (u != k)
		printf("  update key %u flags 0x%llx\n", key,
		       (unsigned long long)flags);
}

static void
same_lookup(int fd, struct uxdp_map *m, uint32_t key)
{
	struct val kv, uv;
	int k, u;

	memset(&kv, 0xaa, sizeof(kv));
	memset(&uv, 0xaa, sizeof(uv));
	k = errno_rc(bpf_map_lookup_elem(fd, &key, &kv));
	u = uxdp_map_lookup_copy(m, &key, &uv);
	CHECK_EQ(u, k);
	if (u == 0 && k == 0) {
		CHECK(memcmp(&kv, &uv, sizeof(kv)) == 0);
		CHECK_EQ(uv.lock, 0);
	}
}

/* One map type with the lock: every update flag, lock word set in the
 * value given (it must not be stored), lookups after each. */
static void
diff_locked(const struct kbtf *k, uint32_t type)
{
	static const uint64_t flags[] = {
		BPF_ANY, BPF_NOEXIST, BPF_EXIST, BPF_F_LOCK,
		BPF_F_LOCK | BPF_NOEXIST, BPF_F_LOCK | BPF_EXIST,
		BPF_F_LOCK | 4, 8,
	};
	struct uxdp_map *m;
	struct val v;
	uint32_t key, i;
	int fd;

	fd = kernel_create(k, type, 1);
	CHECK_EQ(uxdp_create(type, 1, &m), fd < 0 ? fd : 0);
	if (fd < 0 || m == NULL) {
		if (fd >= 0)
			close(fd);
		uxdp_map_destroy(m);
		return;
	}
	for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
		for (key = 0; key < 5; key++) {
			v.a = 100 * i + key;
			v.lock = 0xdeadbeef; /* never stored */
			v.b = ~(uint64_t)v.a;
			same_update(fd, m, key, &v, flags[i]);
			same_lookup(fd, m, key);
		}
	}
	close(fd);
	uxdp_map_destroy(m);
}

int
main(void)
{
	static const uint32_t other_types[] = {
		BPF_MAP_TYPE_LRU_HASH, BPF_MAP_TYPE_PERCPU_HASH,
		BPF_MAP_TYPE_PERCPU_ARRAY,
	};
	struct uxdp_map *m;
	struct kbtf k;
	uint32_t key = 0, i;
	struct val v = { 1, 0, 2 };
	int fd, ret;

	ret = kbtf_load(&k);
	if (ret < 0) {
		printf("SKIP: the kernel does not take our BTF (bpf() not permitted?): %s\n",
		       strerror(-ret));
		btf__free(k.btf);
		return 77;
	}
	diff_locked(&k, BPF_MAP_TYPE_ARRAY);
	diff_locked(&k, BPF_MAP_TYPE_HASH);

	/* BPF_F_LOCK on maps whose value has no lock */
	for (i = 0; i < 2; i++) {
		uint32_t type = i == 0 ? BPF_MAP_TYPE_ARRAY : BPF_MAP_TYPE_HASH;

		fd = kernel_create(&k, type, 0);
		CHECK(fd >= 0);
		CHECK_EQ(uxdp_create(type, 0, &m), 0);
		if (fd >= 0 && m != NULL) {
			same_update(fd, m, key, &v, BPF_ANY);
			same_update(fd, m, key, &v, BPF_F_LOCK);
			same_lookup(fd, m, key);
		}
		if (fd >= 0)
			close(fd);
		uxdp_map_destroy(m);
	}

	/* map types that refuse a lock in their values */
	for (i = 0; i < sizeof(other_types) / sizeof(other_types[0]); i++) {
		fd = kernel_create(&k, other_types[i], 1);
		ret = uxdp_create(other_types[i], 1, &m);
		CHECK(fd < 0);
		CHECK(ret < 0);
		if (fd >= 0)
			close(fd);
		if (fd < 0 && ret < 0 && ret != fd)
			printf("  type %u: kernel %d, uxdp %d\n", other_types[i],
			       fd, ret);
		uxdp_map_destroy(m);
	}
	btf__free(k.btf);
	return checks_summary();
}
