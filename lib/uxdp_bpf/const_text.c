/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The text form of a `volatile const` setting (NAME=VALUE, NAME:VALUE)
 * and its encoding into a variable's bytes. Kept free of everything else
 * in lib/uxdp_bpf (it is built as its own small library) so that tools
 * using another loader, such as the kernel oracle with libbpf, read the
 * same text the same way as uxdp's loader does.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_bpf.h"
#include "uxdp_hex.h"

#define HEX_PREFIX "hex:"

static int __attribute__((format(printf, 4, 5)))
text_err(char *err, size_t err_len, int code, const char *fmt, ...)
{
	va_list ap;

	if (err != NULL && err_len > 0) {
		va_start(ap, fmt);
		vsnprintf(err, err_len, fmt, ap);
		va_end(ap);
	}
	return -code;
}

/* "hex:0a0b..": the byte count, or -1 when the digits are not pairs of
 * hex digits. out may be NULL to only count. */
static long
decode_hex(const char *text, uint8_t *out)
{
	long n = uxdp_hex_decode(text, strlen(text), out, SIZE_MAX);

	return n < 0 ? -1 : n;
}

/* An integer: optional '-', then decimal digits or 0x and hex digits.
 * Octal is not read (a leading 0 is decimal) so that "010" means ten,
 * as a user typing a port number expects. Returns -ERANGE beyond 64
 * bits of magnitude, -EINVAL on bad syntax. */
static int
parse_integer(const char *text, uint64_t *magnitude, int *negative)
{
	const char *p = text;
	unsigned int base = 10;
	uint64_t v = 0;

	*negative = 0;
	if (*p == '-') {
		*negative = 1;
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	if (*p == '\0')
		return -EINVAL;
	for (; *p != '\0'; p++) {
		int d = uxdp_hex_digit(*p);

		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)d) / base)
			return -ERANGE;
		v = v * base + (uint64_t)d;
	}
	*magnitude = v;
	return 0;
}

static int
check_value_syntax(const char *value)
{
	uint64_t mag;
	int neg, ret;

	if (strncmp(value, HEX_PREFIX, strlen(HEX_PREFIX)) == 0)
		return decode_hex(value + strlen(HEX_PREFIX), NULL) < 0 ?
			-EINVAL : 0;
	ret = parse_integer(value, &mag, &neg);
	/* Too large for 64 bits is a range problem the load reports with
	 * the variable's type; the syntax is fine. */
	return ret == -ERANGE ? 0 : ret;
}

int
uxdp_const_parse(const char *arg, char sep, struct uxdp_const_set *set,
		 char *err, size_t err_len)
{
	const char *split;
	size_t name_len;
	char *copy;

	memset(set, 0, sizeof(*set));
	if (arg == NULL)
		return text_err(err, err_len, EINVAL, "no setting given");
	split = strchr(arg, sep);
	if (split == NULL || split == arg)
		return text_err(err, err_len, EINVAL,
				"'%s': expected NAME%cVALUE", arg, sep);
	if (split[1] == '\0')
		return text_err(err, err_len, EINVAL,
				"'%s': no value after '%c'", arg, sep);
	if (check_value_syntax(split + 1) < 0)
		return text_err(err, err_len, EINVAL,
				"'%s': value '%s' is neither an integer (decimal or 0x hex) nor hex:<bytes>",
				arg, split + 1);
	copy = strdup(arg);
	if (copy == NULL)
		return text_err(err, err_len, ENOMEM, "out of memory");
	name_len = (size_t)(split - arg);
	copy[name_len] = '\0';
	set->name = copy;
	set->value = copy + name_len + 1;
	return 0;
}

void
uxdp_const_set_free(struct uxdp_const_set *set)
{
	if (set == NULL)
		return;
	/* name and value share the allocation that name starts. */
	free((void *)(uintptr_t)set->name);
	memset(set, 0, sizeof(*set));
}

/* Little-endian, sign- or zero-extended to the variable's size. */
static void
store_le(uint8_t *out, uint32_t size, uint64_t v, int negative)
{
	uint32_t i;

	for (i = 0; i < size; i++) {
		out[i] = i < 8 ? (uint8_t)(v >> (8 * i)) :
			 (negative ? 0xff : 0);
	}
}

static int
encode_integer(const char *name, const char *text,
	       const struct uxdp_const_type *type, uint8_t *out,
	       char *err, size_t err_len)
{
	uint32_t bits = type->size >= 8 ? 64 : type->size * 8;
	uint64_t mag, v, max_pos;
	int neg, ret;

	ret = parse_integer(text, &mag, &neg);
	if (ret == -EINVAL)
		return text_err(err, err_len, EINVAL,
				"'%s': value '%s' is not an integer (decimal or 0x hex) or hex:<bytes>",
				name, text);
	if (ret == -ERANGE)
		goto range;
	if (neg && mag != 0 && !type->is_signed)
		return text_err(err, err_len, EINVAL,
				"'%s': value %s is negative, but the variable is unsigned",
				name, text);
	if (type->is_bool) {
		if (neg || mag > 1)
			return text_err(err, err_len, EINVAL,
					"'%s': value %s: the variable is a bool, give 0 or 1",
					name, text);
	} else if (type->is_signed) {
		/* Largest positive value; a negative one may be one more
		 * in magnitude. Sizes above 8 bytes hold any 64-bit value. */
		max_pos = type->size > 8 ? UINT64_MAX :
			  (UINT64_C(1) << (bits - 1)) - 1;
		if (type->size > 8 && neg && mag > (UINT64_C(1) << 63))
			goto range;
		if (type->size <= 8 && mag > max_pos + (neg ? 1 : 0))
			goto range;
	} else if (bits < 64 && mag > (UINT64_C(1) << bits) - 1) {
		goto range;
	}
	v = neg ? (uint64_t)0 - mag : mag;
	store_le(out, type->size, v, neg && mag != 0);
	return 0;
range:
	return text_err(err, err_len, EINVAL,
			"'%s': value %s does not fit a %u-byte %s %s",
			name, text, type->size,
			type->is_signed ? "signed" : "unsigned",
			type->is_bool ? "bool" : "integer");
}

int
uxdp_const_encode(const struct uxdp_const_set *set,
		  const struct uxdp_const_type *type, uint8_t *out,
		  char *err, size_t err_len)
{
	const char *name = set->name != NULL ? set->name : "(unnamed)";
	long n;

	if (type->size == 0)
		return text_err(err, err_len, EINVAL,
				"'%s': the variable has no size", name);
	if (set->value == NULL) {
		if (set->bytes == NULL || set->size != type->size)
			return text_err(err, err_len, EINVAL,
					"'%s': %zu bytes given, the variable has %u",
					name, set->bytes != NULL ? set->size : 0,
					type->size);
		memcpy(out, set->bytes, type->size);
		return 0;
	}
	if (strncmp(set->value, HEX_PREFIX, strlen(HEX_PREFIX)) == 0) {
		n = decode_hex(set->value + strlen(HEX_PREFIX), NULL);
		if (n < 0)
			return text_err(err, err_len, EINVAL,
					"'%s': value '%s' is not hex:<pairs of hex digits>",
					name, set->value);
		if ((unsigned long)n != type->size)
			return text_err(err, err_len, EINVAL,
					"'%s': value '%s' has %ld bytes, the variable has %u",
					name, set->value, n, type->size);
		decode_hex(set->value + strlen(HEX_PREFIX), out);
		return 0;
	}
	if (!type->is_integer)
		return text_err(err, err_len, EINVAL,
				"'%s': the variable is not an integer or enum (%u bytes): give its value as hex:<%u bytes>",
				name, type->size, type->size);
	return encode_integer(name, set->value, type, out, err, err_len);
}
