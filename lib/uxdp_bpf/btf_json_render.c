/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Bytes of a BTF type as compact JSON (uxdp_btf_json.h). The shape is
 * bpftool's "formatted" dump, with three deliberate differences that keep
 * the text lossless so that uxdp_btf_parse() gives the same bytes back:
 * bitfields are numbers (sign-extended when signed) rather than "0x.."
 * strings, a char array is a string only when every byte after its first
 * NUL is NUL too, and ENUM64 values without a name print unsigned when
 * the enum is unsigned.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <bpf/btf.h>

#include "btf_json.h"
#include "uxdp_btf_json.h"

struct wr {
	const struct btf *btf;
	char *buf;
	size_t len;
	size_t used;
	bool full;
};

static void
put(struct wr *w, const char *s, size_t n)
{
	if (w->full || w->used + n >= w->len) {
		w->full = true;
		return;
	}
	memcpy(w->buf + w->used, s, n);
	w->used += n;
	w->buf[w->used] = '\0';
}

static void
put_cstr(struct wr *w, const char *s)
{
	put(w, s, strlen(s));
}

static void __attribute__((format(printf, 2, 3)))
putf(struct wr *w, const char *fmt, ...)
{
	char tmp[64];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
	va_end(ap);
	if (n > 0)
		put(w, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

/* A JSON string of bytes that are all printable ASCII but for escapes. */
static void
put_str(struct wr *w, const char *s, size_t n)
{
	size_t i;

	put(w, "\"", 1);
	for (i = 0; i < n; i++) {
		if (s[i] == '"' || s[i] == '\\')
			put(w, "\\", 1);
		put(w, &s[i], 1);
	}
	put(w, "\"", 1);
}

static void
put_hex_string(struct wr *w, const uint8_t *p, size_t n)
{
	size_t i;

	put(w, "\"", 1);
	for (i = 0; i < n; i++)
		putf(w, "%02x", p[i]);
	put(w, "\"", 1);
}

static void
put_int(struct wr *w, const struct btfj_int *d, const uint8_t *data)
{
	btfj_u128 v = btfj_get_bits(data, d->bit_off, d->nr_bits);
	char hex[40];
	int i = sizeof(hex) - 1;

	if (d->nr_bits > 64) {
		/* As bpftool: raw bits in hex, since JSON readers rarely
		 * hold 128-bit numbers. */
		hex[i] = '\0';
		do {
			hex[--i] = "0123456789abcdef"[(unsigned int)(v & 0xf)];
			v >>= 4;
		} while (v != 0);
		put(w, "\"0x", 3);
		put_cstr(w, hex + i);
		put(w, "\"", 1);
	} else if (d->is_bool && v <= 1) {
		put_cstr(w, v ? "true" : "false");
	} else if (d->is_signed) {
		uint32_t shift = 128 - d->nr_bits;
		__int128 s = (__int128)(v << shift) >> shift;

		putf(w, "%" PRId64, (int64_t)s);
	} else {
		putf(w, "%" PRIu64, (uint64_t)v);
	}
}

static void
put_enum(struct wr *w, const struct btf_type *t, const uint8_t *data)
{
	struct btfj_int d;
	btfj_u128 v, mask;
	uint16_t i;

	btfj_int_of(t, 0, 0, &d);
	v = btfj_get_bits(data, 0, d.nr_bits);
	mask = d.nr_bits >= 128 ? ~(btfj_u128)0 :
				  ((btfj_u128)1 << d.nr_bits) - 1;
	for (i = 0; i < btf_vlen(t); i++) {
		if ((btfj_enum_value(t, i) & mask) == v) {
			const char *name = btfj_enum_name(w->btf, t, i);

			put_str(w, name, strlen(name));
			return;
		}
	}
	put_int(w, &d, data);
}

static int render_type(struct wr *w, uint32_t id, const uint8_t *data,
		       size_t size, unsigned int depth);

static int
render_array(struct wr *w, const struct btf_type *t, const uint8_t *data,
	     size_t size, unsigned int depth)
{
	const struct btf_array *a = btf_array(t);
	__s64 esz = btf__resolve_size(w->btf, a->type);
	size_t n = a->nelems, i, len;
	int ret;

	if (esz < 0 || (size_t)esz * n != size)
		return -EINVAL;
	if (btfj_is_char_array(w->btf, t) && n > 0) {
		/* Text when it reads back to the same bytes: printable up
		 * to the first NUL, only NULs after it. */
		len = strnlen((const char *)data, n);
		for (i = 0; i < len && data[i] >= 0x20 && data[i] < 0x7f; i++)
			;
		if (i == len && len < n) {
			for (i = len; i < n && data[i] == 0; i++)
				;
			if (i == n) {
				put_str(w, (const char *)data, len);
				return 0;
			}
		}
	}
	put(w, "[", 1);
	for (i = 0; i < n; i++) {
		if (i > 0)
			put(w, ",", 1);
		ret = render_type(w, a->type, data + i * esz, esz, depth + 1);
		if (ret < 0)
			return ret;
	}
	put(w, "]", 1);
	return 0;
}

static int
render_members(struct wr *w, const struct btf_type *t, const uint8_t *data,
	       unsigned int depth)
{
	const struct btf_member *m = btf_members(t);
	uint16_t i, n = btf_vlen(t);
	int ret;

	put(w, "{", 1);
	for (i = 0; i < n; i++, m++) {
		uint32_t off = btf_member_bit_offset(t, i);
		uint32_t bsz = btf_member_bitfield_size(t, i);
		const char *name = btf__name_by_offset(w->btf, m->name_off);
		__s64 msz = btf__resolve_size(w->btf, m->type);

		if (i > 0)
			put(w, ",", 1);
		/* Anonymous struct/union members are "" as in bpftool. */
		put_str(w, name != NULL ? name : "", name != NULL ? strlen(name) : 0);
		put(w, ":", 1);
		if (msz < 0)
			return -EINVAL;
		if (bsz != 0 || off % 8 != 0) {
			const struct btf_type *mt = btfj_resolve(w->btf, m->type);
			struct btfj_int d;

			if (mt == NULL || btfj_int_of(mt, off, bsz, &d) < 0 ||
			    d.bit_off + d.nr_bits > t->size * 8)
				return -EINVAL;
			put_int(w, &d, data);
			continue;
		}
		if (off / 8 + (uint64_t)msz > t->size)
			return -EINVAL;
		ret = render_type(w, m->type, data + off / 8, msz, depth + 1);
		if (ret < 0)
			return ret;
	}
	put(w, "}", 1);
	return 0;
}

/* Global data as bpftool shows it: {"<section>": [{"<var>": value}, ...]}. */
static int
render_datasec(struct wr *w, const struct btf_type *t, const uint8_t *data,
	       size_t size, unsigned int depth)
{
	const struct btf_var_secinfo *vsi = btf_var_secinfos(t);
	const char *name = btf__name_by_offset(w->btf, t->name_off);
	uint16_t i, n = btf_vlen(t);
	int ret;

	put(w, "{", 1);
	put_str(w, name != NULL ? name : "", name != NULL ? strlen(name) : 0);
	put(w, ":[", 2);
	for (i = 0; i < n; i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(w->btf, vsi->type);
		const char *vname;

		if (var == NULL || !btf_is_var(var) ||
		    (uint64_t)vsi->offset + vsi->size > size)
			return -EINVAL;
		vname = btf__name_by_offset(w->btf, var->name_off);
		if (vname == NULL)
			return -EINVAL;
		put(w, i > 0 ? ",{" : "{", i > 0 ? 2 : 1);
		put_str(w, vname, strlen(vname));
		put(w, ":", 1);
		ret = render_type(w, var->type, data + vsi->offset, vsi->size,
				  depth + 1);
		if (ret < 0)
			return ret;
		put(w, "}", 1);
	}
	put(w, "]}", 2);
	return 0;
}

static int
render_type(struct wr *w, uint32_t id, const uint8_t *data, size_t size,
	    unsigned int depth)
{
	const struct btf_type *t = btfj_resolve(w->btf, id);
	struct btfj_int d;

	if (t == NULL || depth > BTFJ_DEPTH_MAX)
		return -EINVAL;
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_PTR:
		if (btfj_int_of(t, 0, 0, &d) < 0 ||
		    d.bit_off + d.nr_bits > size * 8)
			return -EINVAL;
		put_int(w, &d, data);
		return 0;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (t->size != size || size == 0 || size > 8)
			return -EINVAL;
		put_enum(w, t, data);
		return 0;
	case BTF_KIND_ARRAY:
		return render_array(w, t, data, size, depth);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (t->size != size)
			return -EINVAL;
		return render_members(w, t, data, depth);
	case BTF_KIND_DATASEC:
		return render_datasec(w, t, data, size, depth);
	default:
		return -ENOTSUP;
	}
}

int
uxdp_btf_render(const struct btf *btf, uint32_t type_id, const void *data,
		size_t size, char *out, size_t out_len)
{
	struct wr w = { .btf = btf, .buf = out, .len = out_len };
	int ret = 0;

	if (out == NULL || out_len == 0 || (data == NULL && size > 0))
		return -EINVAL;
	out[0] = '\0';
	if (btf == NULL || type_id == 0) {
		put_hex_string(&w, data, size);
	} else {
		__s64 tsz = btf__resolve_size(btf, type_id);

		if (tsz < 0 || (size_t)tsz != size)
			return -EINVAL;
		ret = render_type(&w, type_id, data, size, 0);
	}
	if (ret == 0 && w.full)
		ret = -ENOSPC;
	if (ret < 0) {
		out[0] = '\0';
		return ret;
	}
	return (int)w.used;
}
