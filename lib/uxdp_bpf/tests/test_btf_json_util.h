/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef TEST_BTF_JSON_UTIL_H
#define TEST_BTF_JSON_UTIL_H

/*
 * The key and value both BTF JSON tests write: the rendering test checks
 * its text, the bpftool test stores it in a kernel map.
 */

#include <stdint.h>
#include <string.h>

#include "test_btf_json_defs.h"

static inline void
btfj_fill(struct btfj_key *k, struct btfj_value *v)
{
	memset(k, 0, sizeof(*k));
	k->id = 7;
	k->proto = 6;
	memcpy(k->name, "ab", 2);

	/* Zeroed first: padding must read as zero after a parse. */
	memset(v, 0, sizeof(*v));
	v->s8 = -128;
	v->u8 = 255;
	v->s16 = -32768;
	v->u16 = 65535;
	v->s32 = INT32_MIN;
	v->u32 = UINT32_MAX;
	v->s64 = INT64_MIN;
	v->u64 = UINT64_MAX;
	v->ch = 'A';
	v->sch = -1;
	v->uch = 200;
	v->flag = 1;
	memcpy(v->name, "eth0", 4);
	v->arr[0] = 1;
	v->arr[1] = 2;
	v->arr[2] = 3;
	memcpy(v->matrix, "\1\2\3\4\5\6", 6);
	v->in.port = 80;
	memcpy(v->in.tag, "web", 3);
	v->ins[0].port = 1;
	memcpy(v->ins[0].tag, "a", 1);
	v->ins[1].port = 2;
	memcpy(v->ins[1].tag, "b\"\\", 3);
	v->un.word = 0x04030201;
	v->color = BTFJ_MINUS;
	v->big = BTFJ_BIG_MAX;
	v->bf_a = 5;
	v->bf_b = 31;
	v->bf_c = -64;
	v->bf_d = 0xffffffffffULL;
	*(uint16_t *)(uintptr_t)&v->cv = 7;
	v->td = 42;
	v->anon_x = 1;
	v->anon_y = 2;
	v->ptr = (void *)(uintptr_t)0x1000;
	v->u128 = ((unsigned __int128)1 << 100) | 0xabc;
	v->s128 = -1;
}

#endif /* TEST_BTF_JSON_UTIL_H */
