/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The kernel's BPF format rules, reimplemented from its documented
 * behaviour (bpf_bprintf_prepare() accepts, vsnprintf() prints):
 *
 *   %%                         a percent sign, takes no argument
 *   %[flags][width]conv        flags any of "0+- ", width digits, no
 *                              precision
 *   conv d i u x X, with l or ll before: 32-bit without l, 64-bit with
 *   conv c                     one character
 *   conv s                     a NUL-terminated string (must be followed
 *                              by the end, a space or punctuation)
 *   pks pus                    strings, from kernel / user memory,
 *                              printed without width or flags
 *   p  (followed by the end, a space or punctuation): a pointer
 *   px pK ps pS pB             pointers (raw hex; see below)
 *   pI4 pi4 pI6 pi6            IPv4/IPv6 addresses read from memory
 *
 * Anything else, a character that is not printable ASCII or whitespace,
 * or more conversions than arguments is -EINVAL.
 *
 * The kernel formats %pks, %pus and the addresses in its argument buffer
 * first and prints them without width or flags; once the output buffer
 * is full it drops them from the text and the returned length (and reads
 * the following arguments from the wrong place, which uxdp does not
 * reproduce).
 *
 * Where the kernel's output depends on the kernel: %p and %pK print the
 * raw address as %px does (the kernel hashes them), %ps %pS %pB print it as
 * 0x<hex> (the kernel prints a symbol name when it has one). Memory (%s,
 * %pks, %pI4...) is read only inside the current run's packet frame and
 * stack (run_mem.c); elsewhere the string is empty and the address zeros,
 * which is what the kernel prints for memory it cannot read. %pus reads
 * user memory, and the run's memory is kernel memory to the program: the
 * kernel prints nothing for it, and so does uxdp.
 */

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "uxdp_bpf_internal.h"
#include "bprintf.h"

/* The kernel copies the arguments into a buffer of this size first
 * (MAX_BPRINTF_BIN_ARGS); strings count their bytes and NUL there. */
#define BIN_ARGS_MAX 512

struct out {
	char *buf;
	size_t size;
	size_t len; /* the whole text, even what did not fit */
};

/* Bytes still free in o's buffer, keeping one for the NUL. */
static size_t
room_left(const struct out *o)
{
	return o->len + 1 < o->size ? o->size - 1 - o->len : 0;
}

static void
put(struct out *o, char c, size_t n)
{
	size_t room = room_left(o);

	if (room > 0)
		memset(o->buf + o->len, c, n < room ? n : room);
	o->len += n;
}

static void
put_str(struct out *o, const char *s, size_t n)
{
	size_t room = room_left(o);

	if (room > 0)
		memcpy(o->buf + o->len, s, n < room ? n : room);
	o->len += n;
}

struct spec {
	bool left, plus, space, zero;
	size_t width;
};

/* Text padded to the width; strings and characters pad with spaces. */
static void
put_padded(struct out *o, const struct spec *sp, const char *s, size_t n)
{
	size_t pad = sp->width > n ? sp->width - n : 0;

	if (!sp->left)
		put(o, ' ', pad);
	put_str(o, s, n);
	if (sp->left)
		put(o, ' ', pad);
}

/* A number as the kernel's number(): sign, then zeros up to the width
 * with '0' (unless '-'), otherwise spaces. */
static void
put_number(struct out *o, const struct spec *sp, uint64_t v, bool neg,
	   bool is_signed, int base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	size_t n = 0, len, pad;
	char sign = 0;

	if (is_signed && neg)
		sign = '-';
	else if (is_signed && sp->plus)
		sign = '+';
	else if (is_signed && sp->space)
		sign = ' ';
	/* Constant divisors: the compiler turns them into multiplies. */
	if (base == 10)
		do {
			tmp[n++] = (char)('0' + v % 10);
			v /= 10;
		} while (v != 0);
	else
		do {
			tmp[n++] = digits[v & 15];
			v >>= 4;
		} while (v != 0);
	len = n + (sign != 0);
	pad = sp->width > len ? sp->width - len : 0;
	if (!sp->left && !sp->zero)
		put(o, ' ', pad);
	if (sign != 0)
		put(o, sign, 1);
	if (!sp->left && sp->zero)
		put(o, '0', pad);
	for (len = 0; len < n / 2; len++) {
		char t = tmp[len];

		tmp[len] = tmp[n - 1 - len];
		tmp[n - 1 - len] = t;
	}
	put_str(o, tmp, n);
	if (sp->left)
		put(o, ' ', pad);
}

static void
put_int(struct out *o, const struct spec *sp, uint64_t arg, int size,
	char conv)
{
	bool is_signed = conv == 'd' || conv == 'i';
	uint64_t v = size == 4 ? (uint32_t)arg : arg;
	bool neg = false;

	if (is_signed) {
		int64_t s = size == 4 ? (int64_t)(int32_t)arg : (int64_t)arg;

		neg = s < 0;
		v = neg ? -(uint64_t)s : (uint64_t)s;
	}
	put_number(o, sp, v, neg, is_signed, conv == 'u' || is_signed ? 10 :
		   16, conv == 'X');
}

/* A pointer in hex: 16 zero-padded digits unless a width was given. */
static void
put_pointer(struct out *o, const struct spec *sp, uint64_t arg)
{
	struct spec s = *sp;

	if (s.width == 0) {
		s.width = 16;
		s.zero = true;
	}
	put_number(o, &s, arg, false, false, 16, false);
}

/* Up to max bytes of a string from the run's memory; "" elsewhere. */
static size_t
read_str(uint64_t arg, size_t max, const char **s)
{
	size_t avail = uxdp_run_mem_avail((const void *)(uintptr_t)arg);

	*s = (const char *)(uintptr_t)arg;
	if (avail == 0)
		return 0;
	return strnlen(*s, avail < max ? avail : max);
}

/* Decimal digits of a byte, zero-padded to width 3 or unpadded. */
static size_t
byte_dec(char *text, uint8_t v, bool pad3)
{
	size_t n = 0;

	if (pad3 || v >= 100)
		text[n++] = (char)('0' + v / 100);
	if (pad3 || v >= 10)
		text[n++] = (char)('0' + v / 10 % 10);
	text[n++] = (char)('0' + v % 10);
	return n;
}

/* An address as text (unreadable memory reads as zeros); its length.
 * %pI4 1.2.3.4, %pi4 001.002.003.004, %pI6 groups of four hex digits
 * with colons, %pi6 32 hex digits; text holds at least 40 bytes. */
static size_t
ip_text(char *text, uint64_t arg, char kind, char ver)
{
	static const char hex[] = "0123456789abcdef";
	uint8_t a[16] = { 0 };
	size_t n = ver == '4' ? 4 : 16, i, len = 0;

	if (uxdp_run_mem_ok((const void *)(uintptr_t)arg, n))
		memcpy(a, (const void *)(uintptr_t)arg, n);
	for (i = 0; i < n; i++) {
		if (ver == '4') {
			if (i > 0)
				text[len++] = '.';
			len += byte_dec(text + len, a[i], kind == 'i');
			continue;
		}
		if (kind == 'I' && i > 0 && i % 2 == 0)
			text[len++] = ':';
		text[len++] = hex[a[i] >> 4];
		text[len++] = hex[a[i] & 15];
	}
	return len;
}

static bool
ends_word(char c)
{
	return c == '\0' || isspace((unsigned char)c) ||
		ispunct((unsigned char)c);
}

/* Room in the kernel's argument buffer: each value 4-byte aligned. */
static int
bin_take(size_t *bin, size_t size)
{
	*bin = (*bin + 3) & ~(size_t)3;
	if (BIN_ARGS_MAX - *bin < size)
		return -ENOSPC;
	*bin += size;
	return 0;
}

/*
 * One conversion at fmt[*i] (just after '%'). With o NULL only checks and
 * accounts. Returns 0 or -errno; *i ends on the conversion's last char.
 */
static int
one_conversion(struct out *o, const char *fmt, size_t *i, uint64_t arg,
	       size_t *bin)
{
	struct spec sp = { 0 };
	size_t k = *i, n, room;
	const char *s = "";
	char c, str_kind = 0, text[48];
	int size = 4;

	for (;; k++) {
		if (fmt[k] == '0')
			sp.zero = true;
		else if (fmt[k] == '+')
			sp.plus = true;
		else if (fmt[k] == '-')
			sp.left = true;
		else if (fmt[k] == ' ')
			sp.space = true;
		else
			break;
	}
	if (sp.left)
		sp.zero = false;
	if (fmt[k] >= '1' && fmt[k] <= '9')
		while (isdigit((unsigned char)fmt[k])) {
			/* The kernel clamps widths; keep the sum finite. */
			if (sp.width < (1u << 23))
				sp.width = sp.width * 10 + (fmt[k] - '0');
			k++;
		}

	if (fmt[k] == 'p') {
		c = fmt[k + 1];
		if (ends_word(c)) {
			*i = k;
			if (o != NULL) {
				if (arg == 0)
					put_padded(o, &sp, "(null)", 6);
				else
					put_pointer(o, &sp, arg);
			}
			return bin_take(bin, 8);
		}
		if ((c == 'k' || c == 'u') && fmt[k + 2] == 's') {
			/* The kernel prints these without width or flags. */
			memset(&sp, 0, sizeof(sp));
			str_kind = c == 'k' ? 'p' : c;
			k += 2;
			goto string;
		}
		if (c == 'K' || c == 'x' || c == 's' || c == 'S' || c == 'B') {
			int ret = bin_take(bin, 8);

			*i = k + 1;
			if (o == NULL || ret < 0)
				return ret;
			if (c == 'x' || c == 'K')
				put_pointer(o, &sp, arg);
			else if (arg == 0)
				put_padded(o, &sp, "(null)", 6);
			else
				put_padded(o, &sp, text, snprintf(text,
					   sizeof(text), "0x%llx",
					   (unsigned long long)arg));
			return 0;
		}
		if ((c != 'i' && c != 'I') ||
		    (fmt[k + 2] != '4' && fmt[k + 2] != '6'))
			return -EINVAL;
		*i = k + 2;
		/* The kernel needs room for the raw address, then keeps its
		 * text (and NUL) in the argument buffer, cut to the room. */
		if (BIN_ARGS_MAX - *bin < (fmt[k + 2] == '4' ? 4u : 16u))
			return -ENOSPC;
		n = ip_text(text, arg, c, fmt[k + 2]);
		room = BIN_ARGS_MAX - *bin;
		*bin += n + 1 < room ? n + 1 : room;
		/* Preformatted as %pks: no width, dropped once full. */
		if (o != NULL && o->len < o->size)
			put_str(o, text, n);
		return 0;
	}
	if (fmt[k] == 's') {
		str_kind = 'k';
string:
		if (!ends_word(fmt[k + 1]))
			return -EINVAL;
		*i = k;
		room = BIN_ARGS_MAX - *bin;
		if (room == 0)
			return -ENOSPC;
		/* The kernel copies at most room bytes, NUL included. */
		n = str_kind == 'u' ? 0 : read_str(arg, room - 1, &s);
		*bin += n + 1;
		/* The kernel preformats %pks and %pus into its argument
		 * buffer and drops them once the output is full. */
		if (o != NULL && (str_kind != 'p' || o->len < o->size))
			put_padded(o, &sp, s, n);
		return 0;
	}
	if (fmt[k] == 'c') {
		*i = k;
		if (*bin == BIN_ARGS_MAX)
			return -ENOSPC;
		*bin += 1;
		if (o != NULL) {
			char ch = (char)arg;

			put_padded(o, &sp, &ch, 1);
		}
		return 0;
	}
	if (fmt[k] == 'l') {
		size = 8;
		k++;
		if (fmt[k] == 'l')
			k++;
	}
	c = fmt[k];
	if (c != 'd' && c != 'i' && c != 'u' && c != 'x' && c != 'X')
		return -EINVAL;
	*i = k;
	if (o != NULL)
		put_int(o, &sp, arg, size, c);
	return bin_take(bin, size);
}

/* What the kernel accepts in a format: printable ASCII and whitespace. */
static inline bool
fmt_char_ok(unsigned char ch)
{
	return (ch >= 0x20 && ch < 0x7f) || (ch >= '\t' && ch <= '\r');
}

/* One pass over the format: checking only (o NULL) or printing. */
static int
walk(struct out *o, const char *fmt, size_t len, const uint64_t *args,
     unsigned int n_args)
{
	unsigned int n_spec = 0;
	size_t i, bin = 0;
	int ret;

	for (i = 0; i < len; i++) {
		if (fmt[i] != '%') {
			size_t start = i;

			/* A run of plain text, copied at once. */
			for (; i < len && fmt[i] != '%'; i++)
				if (!fmt_char_ok((unsigned char)fmt[i]))
					return -EINVAL;
			if (o != NULL)
				put_str(o, fmt + start, i - start);
			i--;
			continue;
		}
		if (fmt[i + 1] == '%') {
			if (o != NULL)
				put(o, '%', 1);
			i++;
			continue;
		}
		if (n_spec >= n_args)
			return -EINVAL;
		i++;
		ret = one_conversion(o, fmt, &i, args[n_spec++], &bin);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int
uxdp_bprintf(char *buf, size_t size, const char *fmt, size_t fmt_max,
	     const uint64_t *args, unsigned int n_args)
{
	struct out o = { .buf = buf, .size = size, .len = 0 };
	size_t len;
	int ret;

	if (fmt == NULL || n_args > UXDP_BPRINTF_MAX_ARGS)
		return -EINVAL;
	len = strnlen(fmt, fmt_max);
	if (len == fmt_max)
		return -EINVAL;
	/* Check everything first: a refused format writes nothing. */
	ret = walk(NULL, fmt, len, args, n_args);
	if (ret < 0)
		return ret;
	walk(&o, fmt, len, args, n_args);
	if (size > 0)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}
