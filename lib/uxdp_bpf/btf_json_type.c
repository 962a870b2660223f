/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BTF type facts that rendering and parsing must read identically, so
 * that parse(render(bytes)) gives the bytes back.
 */

#include <errno.h>
#include <string.h>

#include <bpf/btf.h>

#include "btf_json.h"

const struct btf_type *
btfj_resolve(const struct btf *btf, uint32_t id)
{
	const struct btf_type *t;
	unsigned int i;

	for (i = 0; i < BTFJ_CHAIN_MAX; i++) {
		if (id == 0)
			return NULL;
		t = btf__type_by_id(btf, id);
		if (t == NULL)
			return NULL;
		if (!btf_is_mod(t) && !btf_is_typedef(t) &&
		    !btf_is_type_tag(t))
			return t;
		id = t->type;
	}
	return NULL;
}

bool
btfj_is_char_array(const struct btf *btf, const struct btf_type *arr)
{
	const struct btf_type *t;
	const char *name;
	unsigned int i;

	t = btf__type_by_id(btf, btf_array(arr)->type);
	/* bpftool's rule: a typedef of char is not text, a const char is. */
	for (i = 0; t != NULL && btf_is_mod(t) && i < BTFJ_CHAIN_MAX; i++)
		t = btf__type_by_id(btf, t->type);
	if (t == NULL || !btf_is_int(t) || t->size != 1)
		return false;
	if (btf_int_encoding(t) & BTF_INT_CHAR)
		return true;
	name = btf__name_by_offset(btf, t->name_off);
	return name != NULL && strcmp(name, "char") == 0;
}

int
btfj_int_of(const struct btf_type *t, uint32_t bit_off, uint32_t bitfield_size,
	    struct btfj_int *d)
{
	memset(d, 0, sizeof(*d));
	if (btf_is_int(t)) {
		uint8_t enc = btf_int_encoding(t);

		d->bit_off = bit_off + btf_int_offset(t);
		d->nr_bits = btf_int_bits(t);
		d->is_signed = (enc & BTF_INT_SIGNED) != 0;
		d->is_bool = (enc & BTF_INT_BOOL) != 0 && bitfield_size == 0;
	} else if (btf_is_any_enum(t)) {
		d->bit_off = bit_off;
		d->nr_bits = t->size * 8;
		d->is_signed = btf_kflag(t);
	} else if (btf_is_ptr(t)) {
		/* BPF pointers are 64-bit whatever the host says. */
		d->bit_off = bit_off;
		d->nr_bits = 64;
	} else {
		return -ENOTSUP;
	}
	if (bitfield_size != 0) {
		d->bit_off = bit_off;
		d->nr_bits = bitfield_size;
	}
	if (d->nr_bits == 0 || d->nr_bits > 128)
		return -EINVAL;
	return 0;
}

btfj_u128
btfj_get_bits(const uint8_t *data, uint32_t bit_off, uint32_t nr_bits)
{
	btfj_u128 v = 0;
	uint32_t i;

	/* Byte-aligned whole ints are the common case: straight copy. */
	if (bit_off % 8 == 0 && nr_bits % 8 == 0) {
		for (i = nr_bits / 8; i-- > 0;)
			v = (v << 8) | data[bit_off / 8 + i];
		return v;
	}
	for (i = nr_bits; i-- > 0;) {
		uint32_t b = bit_off + i;

		v = (v << 1) | ((data[b / 8] >> (b % 8)) & 1);
	}
	return v;
}

void
btfj_put_bits(uint8_t *data, uint32_t bit_off, uint32_t nr_bits, btfj_u128 v)
{
	uint32_t i;

	for (i = 0; i < nr_bits; i++, v >>= 1) {
		uint32_t b = bit_off + i;

		if (v & 1)
			data[b / 8] |= (uint8_t)(1u << (b % 8));
		else
			data[b / 8] &= (uint8_t)~(1u << (b % 8));
	}
}

uint64_t
btfj_enum_value(const struct btf_type *t, uint16_t i)
{
	if (btf_is_enum64(t))
		return btf_enum64_value(btf_enum64(t) + i);
	/* Sign-extend a signed 32-bit enum so it compares with 64-bit raw
	 * data read as signed; unsigned ones stay zero-extended. */
	if (btf_kflag(t))
		return (uint64_t)(int64_t)btf_enum(t)[i].val;
	return (uint32_t)btf_enum(t)[i].val;
}

const char *
btfj_enum_name(const struct btf *btf, const struct btf_type *t, uint16_t i)
{
	uint32_t off = btf_is_enum64(t) ? btf_enum64(t)[i].name_off :
					  btf_enum(t)[i].name_off;

	return btf__name_by_offset(btf, off);
}
