/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef TEST_BTF_JSON_DEFS_H
#define TEST_BTF_JSON_DEFS_H

/*
 * The key and value types of test_btf_json.bpf.c, shared with the test so
 * that it fills them field by field: x86-64 and BPF lay these types out
 * alike (the test checks the sizes against BTF). Between them they cover
 * every kind of data type BTF describes.
 */

#include <linux/types.h>

typedef __u32 btfj_id_t;
typedef btfj_id_t btfj_id2_t; /* a typedef of a typedef */

enum btfj_color {
	BTFJ_RED = 0,
	BTFJ_GREEN = 1,
	BTFJ_BLUE = 7,
	BTFJ_MINUS = -3,
};

/* Values above 32 bits make clang emit BTF_KIND_ENUM64. */
enum btfj_big {
	BTFJ_BIG_LOW = 1,
	BTFJ_BIG_HIGH = 0x100000000ULL,
	BTFJ_BIG_MAX = 0xffffffffffffffffULL,
};

struct btfj_inner {
	__u16 port;
	char tag[4];
};

union btfj_word {
	__u32 word;
	__u8 bytes[4];
};

struct btfj_key {
	btfj_id2_t id;
	__u8 proto;
	char name[7];
};

struct btfj_value {
	__s8 s8;
	__u8 u8;
	__s16 s16;
	__u16 u16;
	__s32 s32;
	__u32 u32;
	__s64 s64;
	__u64 u64;
	char ch;
	signed char sch;
	unsigned char uch;
	_Bool flag;
	char name[8];
	__u32 arr[3];
	__u8 matrix[2][3];
	struct btfj_inner in;
	struct btfj_inner ins[2];
	union btfj_word un;
	enum btfj_color color;
	enum btfj_big big;
	unsigned int bf_a : 3;
	unsigned int bf_b : 5;
	int bf_c : 7;
	__u64 bf_d : 40;
	const volatile __u16 cv;
	btfj_id_t td;
	struct {
		__u16 anon_x;
		__u16 anon_y;
	};
	void *ptr;
	unsigned __int128 u128;
	__int128 s128;
};

#endif /* TEST_BTF_JSON_DEFS_H */
