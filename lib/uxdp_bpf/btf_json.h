/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_BTF_JSON_INTERNAL_H
#define UXDP_BTF_JSON_INTERNAL_H

/*
 * Private to btf_json_*.c: what rendering and parsing share about BTF
 * types (btf_json_type.c). Every integer travels as 128 bits so that one
 * path serves 1- to 16-byte ints, enums, pointers and bitfields alike.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct btf;
struct btf_type;

typedef unsigned __int128 btfj_u128;

/* Malformed BTF can loop or nest without end: both are bounded. */
#define BTFJ_CHAIN_MAX 32
#define BTFJ_DEPTH_MAX 32

/* An integer-like place in memory: where its bits are and how they read. */
struct btfj_int {
	uint32_t bit_off;  /* from the start of the enclosing data */
	uint32_t nr_bits;  /* 1..128 */
	bool is_signed;
	bool is_bool;
};

/* The type of id with typedefs and const/volatile/restrict/type tags
 * skipped, or NULL (bad id, a loop, or void). */
const struct btf_type *btfj_resolve(const struct btf *btf, uint32_t id);

/* Whether an ARRAY's elements are plain 'char' (modifiers skipped, not
 * typedefs), the arrays bpftool prints as strings. */
bool btfj_is_char_array(const struct btf *btf, const struct btf_type *arr);

/* The integer view of t (INT, ENUM, ENUM64, PTR) at bit_off, or of a
 * bitfield of bitfield_size bits of it. -ENOTSUP for other kinds. */
int btfj_int_of(const struct btf_type *t, uint32_t bit_off,
		uint32_t bitfield_size, struct btfj_int *d);

/* Read and write nr_bits bits at bit_off of little-endian data. */
btfj_u128 btfj_get_bits(const uint8_t *data, uint32_t bit_off,
			uint32_t nr_bits);
void btfj_put_bits(uint8_t *data, uint32_t bit_off, uint32_t nr_bits,
		   btfj_u128 v);

/* The value of enum member i (ENUM or ENUM64) as raw 64 bits. */
uint64_t btfj_enum_value(const struct btf_type *t, uint16_t i);
const char *btfj_enum_name(const struct btf *btf, const struct btf_type *t,
			   uint16_t i);

/* The parser's state (btf_json_lex.c has the tokens, btf_json_parse.c the
 * types): where it is in the text, and the member path for messages. */
struct btfj_ps {
	const struct btf *btf;
	const char *s;
	char *err;
	size_t err_len;
	char path[256];
	size_t path_len;
};

/* An integer as read: a magnitude and a sign, or raw bits from a "0x"
 * string (what render writes for 128-bit ints and bpftool for bitfields). */
struct btfj_num {
	btfj_u128 mag;
	bool neg;
	bool bits;
	char text[64]; /* for messages */
};

/* -EINVAL with "<path>: <message>" in the caller's err. */
int btfj_fail(struct btfj_ps *p, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
size_t btfj_path_push_name(struct btfj_ps *p, const char *name);
size_t btfj_path_push_index(struct btfj_ps *p, unsigned int idx);
void btfj_path_pop(struct btfj_ps *p, size_t old);
void btfj_skip_ws(struct btfj_ps *p);
const char *btfj_token_kind(const char *s);
/* Skip white space and the character c, or fail saying what was wanted. */
int btfj_expect(struct btfj_ps *p, char c, const char *what);
int btfj_hexval(char c);
/* A JSON string into at most cap bytes of buf; *len is its whole length. */
int btfj_parse_string(struct btfj_ps *p, uint8_t *buf, size_t cap,
		      size_t *len);
/* An integer: a JSON number or a string of one ("12", "-3", "0x1f"). */
int btfj_parse_num(struct btfj_ps *p, struct btfj_num *nm);

#endif /* UXDP_BTF_JSON_INTERNAL_H */
