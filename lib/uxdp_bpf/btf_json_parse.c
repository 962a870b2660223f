/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * JSON text back into bytes of a BTF type (uxdp_btf_json.h). The parse is
 * driven by the type, not by a generic JSON tree: each value is read as
 * what the type expects, so errors can say which member was wrong and why,
 * and no allocation is needed beyond a bitmap of the members seen. Every
 * write is checked against the type's extent, which was checked against
 * the caller's size.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "btf_json.h"
#include "uxdp_btf_json.h"

/* Fit a number into d's bits. lenient: either signedness (enums, whose
 * sign BTF records only loosely). */
static int
store_num(struct btfj_ps *p, const struct btfj_int *d,
	  const struct btfj_num *nm, bool lenient, uint8_t *base)
{
	uint32_t nb = d->nr_bits;
	btfj_u128 umax = nb >= 128 ? ~(btfj_u128)0 : ((btfj_u128)1 << nb) - 1;
	btfj_u128 smax = umax >> 1, v = nm->mag;
	bool is_signed = d->is_signed || lenient;
	bool ok;

	if (nm->bits)
		ok = v <= umax;
	else if (nm->neg)
		ok = is_signed && v <= smax + 1;
	else
		ok = v <= (d->is_signed && !lenient ? smax : umax);
	if (!ok)
		return btfj_fail(p, "%s is out of range for a%s %u-bit integer%s",
			    nm->text, d->is_signed ? " signed" : "n unsigned",
			    nb, nm->bits ? " (hex strings are raw bits)" : "");
	if (nm->neg)
		v = -v;
	btfj_put_bits(base, d->bit_off, nb, v & umax);
	return 0;
}

static int
parse_int(struct btfj_ps *p, const struct btfj_int *d, bool lenient, uint8_t *base)
{
	struct btfj_num nm;

	btfj_skip_ws(p);
	if (strncmp(p->s, "true", 4) == 0 || strncmp(p->s, "false", 5) == 0) {
		bool t = p->s[0] == 't';

		if (!d->is_bool)
			return btfj_fail(p, "expected an integer, got a boolean");
		p->s += t ? 4 : 5;
		btfj_put_bits(base, d->bit_off, d->nr_bits, t);
		return 0;
	}
	if (btfj_parse_num(p, &nm) < 0)
		return -EINVAL;
	return store_num(p, d, &nm, lenient, base);
}

static int
parse_enum(struct btfj_ps *p, const struct btf_type *t, uint8_t *out)
{
	const char *ename = btf__name_by_offset(p->btf, t->name_off);
	const char *save = p->s;
	struct btfj_int d;
	uint8_t name[128];
	struct btfj_num nm;
	size_t len;
	uint16_t i;

	btfj_int_of(t, 0, 0, &d);
	btfj_skip_ws(p);
	save = p->s;
	if (*p->s == '"') {
		if (btfj_parse_string(p, name, sizeof(name) - 1, &len) < 0)
			return -EINVAL;
		name[len < sizeof(name) ? len : sizeof(name) - 1] = '\0';
		for (i = 0; i < btf_vlen(t); i++) {
			const char *n = btfj_enum_name(p->btf, t, i);

			if (n != NULL && strcmp(n, (char *)name) == 0) {
				btfj_put_bits(out, 0, d.nr_bits,
					      btfj_enum_value(t, i));
				return 0;
			}
		}
		/* Not a name: maybe a number in a string. */
		p->s = save;
		if (name[0] != '-' && (name[0] < '0' || name[0] > '9'))
			return btfj_fail(p, "'%s' is not an enumerator of enum %s",
				    (char *)name, ename != NULL && ename[0] ?
				    ename : "<anon>");
	}
	if (btfj_parse_num(p, &nm) < 0)
		return -EINVAL;
	return store_num(p, &d, &nm, true, out);
}

static int parse_type(struct btfj_ps *p, uint32_t id, uint8_t *out, size_t size,
		      unsigned int depth);

static int
parse_array(struct btfj_ps *p, const struct btf_type *t, uint8_t *out, size_t size,
	    unsigned int depth)
{
	const struct btf_array *a = btf_array(t);
	__s64 esz = btf__resolve_size(p->btf, a->type);
	size_t i = 0, len, old;
	int ret;

	if (esz < 0 || (size_t)esz * a->nelems != size)
		return btfj_fail(p, "malformed array type");
	btfj_skip_ws(p);
	if (*p->s == '"' && btfj_is_char_array(p->btf, t)) {
		if (btfj_parse_string(p, out, size, &len) < 0)
			return -EINVAL;
		if (len > size)
			return btfj_fail(p, "string of %zu bytes does not fit char[%zu]",
				    len, size);
		memset(out + len, 0, size - len);
		return 0;
	}
	if (btfj_expect(p, '[', btfj_is_char_array(p->btf, t) ?
		   "a string or an array" : "an array") < 0)
		return -EINVAL;
	btfj_skip_ws(p);
	if (*p->s == ']') {
		p->s++;
		goto count;
	}
	for (;;) {
		if (i == a->nelems)
			return btfj_fail(p, "more than %u elements", a->nelems);
		old = btfj_path_push_index(p, (unsigned int)i);
		ret = parse_type(p, a->type, out + i * esz, esz, depth + 1);
		btfj_path_pop(p, old);
		if (ret < 0)
			return ret;
		i++;
		btfj_skip_ws(p);
		if (*p->s == ']') {
			p->s++;
			break;
		}
		if (btfj_expect(p, ',', "',' or ']'") < 0)
			return -EINVAL;
	}
count:
	if (i != a->nelems)
		return btfj_fail(p, "%zu elements, the array has %u", i, a->nelems);
	return 0;
}

/* The member a key names: by name, or "" for the next anonymous member
 * not seen yet (bpftool names anonymous members ""). */
static int
find_member(struct btfj_ps *p, const struct btf_type *t, const char *key,
	    const uint8_t *seen)
{
	const struct btf_member *m = btf_members(t);
	uint16_t i;

	for (i = 0; i < btf_vlen(t); i++) {
		const char *n = btf__name_by_offset(p->btf, m[i].name_off);

		if (n == NULL)
			n = "";
		if (strcmp(n, key) == 0 &&
		    (key[0] != '\0' || !(seen[i / 8] & (1u << (i % 8)))))
			return i;
	}
	return -1;
}

static int
parse_member(struct btfj_ps *p, const struct btf_type *t, uint16_t i, uint8_t *out,
	     unsigned int depth)
{
	const struct btf_member *m = btf_members(t) + i;
	uint32_t off = btf_member_bit_offset(t, i);
	uint32_t bsz = btf_member_bitfield_size(t, i);
	__s64 msz = btf__resolve_size(p->btf, m->type);
	const struct btf_type *mt;
	struct btfj_int d;

	if (msz < 0)
		return btfj_fail(p, "malformed member type");
	if (bsz != 0 || off % 8 != 0) {
		mt = btfj_resolve(p->btf, m->type);
		if (mt == NULL || btfj_int_of(mt, off, bsz, &d) < 0 ||
		    d.bit_off + d.nr_bits > t->size * 8)
			return btfj_fail(p, "malformed bitfield");
		return parse_int(p, &d, btf_is_any_enum(mt), out);
	}
	if (off / 8 + (uint64_t)msz > t->size)
		return btfj_fail(p, "member beyond the end of its struct");
	return parse_type(p, m->type, out + off / 8, msz, depth + 1);
}

static int
parse_members(struct btfj_ps *p, const struct btf_type *t, uint8_t *out,
	      unsigned int depth)
{
	const char *tname = btf__name_by_offset(p->btf, t->name_off);
	uint16_t n = btf_vlen(t), count = 0;
	bool is_union = btf_is_union(t);
	uint8_t key[128], *seen;
	size_t len, old;
	int ret = 0, idx;

	if (tname == NULL || tname[0] == '\0')
		tname = "<anon>";
	if (btfj_expect(p, '{', "an object") < 0)
		return -EINVAL;
	seen = calloc(n / 8 + 1, 1);
	if (seen == NULL)
		return btfj_fail(p, "out of memory");
	btfj_skip_ws(p);
	if (*p->s == '}') {
		p->s++;
		goto done;
	}
	for (;;) {
		btfj_skip_ws(p);
		ret = btfj_parse_string(p, key, sizeof(key) - 1, &len);
		if (ret < 0)
			break;
		key[len < sizeof(key) ? len : sizeof(key) - 1] = '\0';
		idx = find_member(p, t, (char *)key, seen);
		if (idx < 0 || (key[0] != '\0' &&
				(seen[idx / 8] & (1u << (idx % 8))))) {
			ret = btfj_fail(p, idx < 0 ? "unknown member '%s' of %s %s" :
				   "member '%s' of %s %s given twice",
				   (char *)key, is_union ? "union" : "struct",
				   tname);
			break;
		}
		seen[idx / 8] |= 1u << (idx % 8);
		count++;
		ret = btfj_expect(p, ':', "':'");
		if (ret < 0)
			break;
		old = btfj_path_push_name(p, (char *)key);
		ret = parse_member(p, t, idx, out, depth);
		btfj_path_pop(p, old);
		if (ret < 0)
			break;
		btfj_skip_ws(p);
		if (*p->s == '}') {
			p->s++;
			break;
		}
		ret = btfj_expect(p, ',', "',' or '}'");
		if (ret < 0)
			break;
	}
done:
	if (ret == 0 && is_union && count == 0)
		ret = btfj_fail(p, "union %s: give at least one member", tname);
	for (idx = 0; ret == 0 && !is_union && idx < n; idx++) {
		const char *mn;

		if (seen[idx / 8] & (1u << (idx % 8)))
			continue;
		mn = btf__name_by_offset(p->btf, btf_members(t)[idx].name_off);
		ret = btfj_fail(p, "missing member '%s' of struct %s",
			   mn != NULL ? mn : "", tname);
	}
	free(seen);
	return ret;
}

static int
parse_datasec(struct btfj_ps *p, const struct btf_type *t, uint8_t *out,
	      size_t size, unsigned int depth)
{
	const struct btf_var_secinfo *vsi = btf_var_secinfos(t);
	const char *sname = btf__name_by_offset(p->btf, t->name_off);
	uint16_t i, n = btf_vlen(t);
	uint8_t key[128];
	size_t len, old;
	int ret;

	if (sname == NULL)
		sname = "";
	if (btfj_expect(p, '{', "an object") < 0 ||
	    btfj_parse_string(p, key, sizeof(key) - 1, &len) < 0)
		return -EINVAL;
	key[len < sizeof(key) ? len : sizeof(key) - 1] = '\0';
	if (strcmp((char *)key, sname) != 0)
		return btfj_fail(p, "expected section '%s', got '%s'", sname,
			    (char *)key);
	if (btfj_expect(p, ':', "':'") < 0 || btfj_expect(p, '[', "an array") < 0)
		return -EINVAL;
	/* Variables in section order, as rendered. */
	for (i = 0; i < n; i++, vsi++) {
		const struct btf_type *var = btf__type_by_id(p->btf, vsi->type);
		const char *vname = var != NULL && btf_is_var(var) ?
			btf__name_by_offset(p->btf, var->name_off) : NULL;

		if (vname == NULL || (uint64_t)vsi->offset + vsi->size > size)
			return btfj_fail(p, "malformed section type");
		if ((i > 0 && btfj_expect(p, ',', "',' and the next variable") < 0) ||
		    btfj_expect(p, '{', "an object") < 0 ||
		    btfj_parse_string(p, key, sizeof(key) - 1, &len) < 0)
			return -EINVAL;
		key[len < sizeof(key) ? len : sizeof(key) - 1] = '\0';
		if (strcmp((char *)key, vname) != 0)
			return btfj_fail(p, "expected variable '%s', got '%s'", vname,
				    (char *)key);
		if (btfj_expect(p, ':', "':'") < 0)
			return -EINVAL;
		old = btfj_path_push_name(p, vname);
		ret = parse_type(p, var->type, out + vsi->offset, vsi->size,
				 depth + 1);
		btfj_path_pop(p, old);
		if (ret < 0 || btfj_expect(p, '}', "'}'") < 0)
			return -EINVAL;
	}
	if (btfj_expect(p, ']', "']' after the last variable") < 0 ||
	    btfj_expect(p, '}', "'}'") < 0)
		return -EINVAL;
	return 0;
}

static int
parse_type(struct btfj_ps *p, uint32_t id, uint8_t *out, size_t size,
	   unsigned int depth)
{
	const struct btf_type *t = btfj_resolve(p->btf, id);
	struct btfj_int d;

	if (t == NULL || depth > BTFJ_DEPTH_MAX)
		return btfj_fail(p, "malformed or too deeply nested type");
	switch (btf_kind(t)) {
	case BTF_KIND_INT:
	case BTF_KIND_PTR:
		if (btfj_int_of(t, 0, 0, &d) < 0 ||
		    d.bit_off + d.nr_bits > size * 8)
			return btfj_fail(p, "malformed integer type");
		return parse_int(p, &d, false, out);
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		if (t->size != size || size == 0 || size > 8)
			return btfj_fail(p, "malformed enum type");
		return parse_enum(p, t, out);
	case BTF_KIND_ARRAY:
		return parse_array(p, t, out, size, depth);
	case BTF_KIND_STRUCT:
	case BTF_KIND_UNION:
		if (t->size != size)
			return btfj_fail(p, "malformed struct type");
		return parse_members(p, t, out, depth);
	case BTF_KIND_DATASEC:
		return parse_datasec(p, t, out, size, depth);
	default:
		return btfj_fail(p, "BTF kind %u has no JSON form", btf_kind(t));
	}
}

static int
parse_hex(struct btfj_ps *p, uint8_t *out, size_t size)
{
	size_t len, i;
	int hi, lo;

	btfj_skip_ws(p);
	if (*p->s != '"')
		return btfj_fail(p, "no BTF: expected a string of %zu hex bytes, got %s",
			    size, btfj_token_kind(p->s));
	p->s++;
	for (i = 0; i < size; i++) {
		hi = btfj_hexval(p->s[0]);
		lo = hi < 0 ? -1 : btfj_hexval(p->s[1]);
		if (lo < 0)
			break;
		out[i] = (uint8_t)(hi * 16 + lo);
		p->s += 2;
	}
	len = strcspn(p->s, "\"");
	if (i != size || len != 0 || p->s[0] != '"')
		return btfj_fail(p, "no BTF: expected a string of %zu hex bytes", size);
	p->s++;
	return 0;
}

int
uxdp_btf_parse(const struct btf *btf, uint32_t type_id, const char *json,
	       void *out, size_t size, char *err, size_t err_len)
{
	struct btfj_ps p = { .btf = btf, .s = json, .err = err, .err_len = err_len };
	int ret;

	if (err != NULL && err_len > 0)
		err[0] = '\0';
	if (json == NULL || (out == NULL && size > 0)) {
		if (err != NULL && err_len > 0)
			snprintf(err, err_len, "no text or no output buffer");
		return -EINVAL;
	}
	memset(out, 0, size);
	if (btf == NULL || type_id == 0) {
		ret = parse_hex(&p, out, size);
	} else {
		__s64 tsz = btf__resolve_size(btf, type_id);

		if (tsz < 0 || (size_t)tsz != size)
			return btfj_fail(&p, "type %u has %lld bytes, the buffer %zu",
				    type_id, (long long)tsz, size);
		ret = parse_type(&p, type_id, out, size, 0);
	}
	if (ret == 0) {
		btfj_skip_ws(&p);
		if (*p.s != '\0')
			ret = btfj_fail(&p, "unexpected text after the value: '%.20s'",
				   p.s);
	}
	return ret;
}
