/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The JSON tokens uxdp_btf_parse() reads (strings, integers, punctuation)
 * and its error messages, which name the member path being parsed.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "btf_json.h"
#include "uxdp_hex.h"

int
btfj_fail(struct btfj_ps *p, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (p->err != NULL && p->err_len > 0)
		snprintf(p->err, p->err_len, "%s%s%s", p->path,
			 p->path_len > 0 ? ": " : "", msg);
	return -EINVAL;
}

/* Paths name the member being parsed: "in.tag[2]". Each push returns the
 * length to restore with btfj_path_pop(). */
static size_t
path_add(struct btfj_ps *p, int n)
{
	size_t old = p->path_len;

	if (n > 0)
		p->path_len = old + (size_t)n < sizeof(p->path) ?
			      old + (size_t)n : sizeof(p->path) - 1;
	return old;
}

size_t
btfj_path_push_name(struct btfj_ps *p, const char *name)
{
	size_t old = p->path_len;

	return path_add(p, snprintf(p->path + old, sizeof(p->path) - old,
				    "%s%s", old > 0 ? "." : "",
				    name[0] ? name : "<anon>"));
}

size_t
btfj_path_push_index(struct btfj_ps *p, unsigned int idx)
{
	size_t old = p->path_len;

	return path_add(p, snprintf(p->path + old, sizeof(p->path) - old,
				    "[%u]", idx));
}

void
btfj_path_pop(struct btfj_ps *p, size_t old)
{
	p->path_len = old;
	p->path[old] = '\0';
}

void
btfj_skip_ws(struct btfj_ps *p)
{
	while (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r')
		p->s++;
}

/* What the next token is, for messages. */
const char *
btfj_token_kind(const char *s)
{
	static const struct {
		char c;
		const char *name;
	} kinds[] = {
		{ '\0', "end of text" }, { '"', "a string" },
		{ '{', "an object" }, { '[', "an array" },
		{ 't', "a boolean" }, { 'f', "a boolean" }, { 'n', "null" },
		{ ']', "']'" }, { '}', "'}'" }, { ',', "','" }, { ':', "':'" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (*s == kinds[i].c)
			return kinds[i].name;
	return (*s == '-' || (*s >= '0' && *s <= '9')) ? "a number" :
							 "an invalid token";
}

int
btfj_expect(struct btfj_ps *p, char c, const char *what)
{
	btfj_skip_ws(p);
	if (*p->s != c)
		return btfj_fail(p, "expected %s, got %s", what, btfj_token_kind(p->s));
	p->s++;
	return 0;
}

int
btfj_hexval(char c)
{
	return uxdp_hex_digit(c);
}

/* A JSON string into at most cap bytes of buf; *len is the decoded length
 * even when it exceeds cap (nothing is written past cap). \u escapes give
 * one byte each, so only \u0000..\u00ff are accepted. */
int
btfj_parse_string(struct btfj_ps *p, uint8_t *buf, size_t cap, size_t *len)
{
	size_t n = 0;
	int c, i, h;

	if (btfj_expect(p, '"', "a string") < 0)
		return -EINVAL;
	for (;;) {
		c = (unsigned char)*p->s++;
		if (c == '"')
			break;
		if (c == '\0' || c < 0x20)
			return btfj_fail(p, "unterminated string or raw control character in a string");
		if (c == '\\') {
			c = *p->s++;
			switch (c) {
			case '"':
			case '\\':
			case '/':
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'u':
				for (i = 0, c = 0; i < 4; i++) {
					h = btfj_hexval(p->s[i]);
					if (h < 0)
						return btfj_fail(p, "bad \\u escape in a string");
					c = c * 16 + h;
				}
				p->s += 4;
				if (c > 0xff)
					return btfj_fail(p, "\\u%04x: only \\u0000 to \\u00ff stand for bytes", c);
				break;
			default:
				return btfj_fail(p, "bad escape in a string");
			}
		}
		if (n < cap)
			buf[n] = (uint8_t)c;
		n++;
	}
	*len = n;
	return 0;
}



static int
digits(const char *s, size_t n, unsigned int base, btfj_u128 *out)
{
	btfj_u128 v = 0, lim = ~(btfj_u128)0 / base;
	size_t i;
	int d;

	if (n == 0)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		d = btfj_hexval(s[i]);
		if (d < 0 || (unsigned int)d >= base)
			return -EINVAL;
		if (v > lim || v * base > ~(btfj_u128)0 - d)
			return -ERANGE;
		v = v * base + d;
	}
	*out = v;
	return 0;
}

int
btfj_parse_num(struct btfj_ps *p, struct btfj_num *nm)
{
	const char *s, *start;
	uint8_t buf[48];
	size_t len;
	int ret;

	memset(nm, 0, sizeof(*nm));
	btfj_skip_ws(p);
	if (*p->s == '"') {
		/* "0x1f", "-0x1", "12": numbers in strings. */
		if (btfj_parse_string(p, buf, sizeof(buf) - 1, &len) < 0)
			return -EINVAL;
		if (len >= sizeof(buf))
			return btfj_fail(p, "expected an integer, got a long string");
		buf[len] = '\0';
		snprintf(nm->text, sizeof(nm->text), "\"%s\"", (char *)buf);
		s = (const char *)buf;
		nm->neg = *s == '-';
		s += nm->neg;
		if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
			nm->bits = !nm->neg;
			ret = digits(s + 2, strlen(s + 2), 16, &nm->mag);
		} else {
			ret = digits(s, strlen(s), 10, &nm->mag);
		}
		if (ret == -ERANGE)
			return btfj_fail(p, "%s does not fit 128 bits", nm->text);
		if (ret < 0)
			return btfj_fail(p, "expected an integer, got the string %s", nm->text);
		return 0;
	}
	start = p->s;
	if (*p->s == '-')
		p->s++;
	if (*p->s < '0' || *p->s > '9')
		return btfj_fail(p, "expected an integer, got %s", btfj_token_kind(start));
	while (*p->s >= '0' && *p->s <= '9')
		p->s++;
	snprintf(nm->text, sizeof(nm->text), "%.*s", (int)(p->s - start), start);
	if (*p->s == '.' || *p->s == 'e' || *p->s == 'E')
		return btfj_fail(p, "expected an integer, got a fraction or exponent after %s",
			    nm->text);
	nm->neg = *start == '-';
	ret = digits(start + nm->neg, p->s - start - nm->neg, 10, &nm->mag);
	if (ret < 0)
		return btfj_fail(p, "%s does not fit 128 bits", nm->text);
	return 0;
}
