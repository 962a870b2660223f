/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * bpf_trace_printk(fmt, fmt_size, a1, a2, a3): the kernel's format rules
 * for a safe subset of conversions, printed on the "uxdp.bpf" log type
 * instead of the kernel's trace pipe.
 *
 * Accepted: %d %i %u %x %X with an optional l or ll, %c, %p (also %px and
 * %pK, printed as raw hex like %px), %%, each with the kernel's optional
 * [0 +-] flags and a width. At most 3 conversions. Everything else,
 * including %s and the %pI4-style forms that read memory, gives -EINVAL,
 * as do characters that are not printable ASCII or whitespace and a
 * format without a NUL within fmt_size. Returns the length of the
 * formatted message, as the kernel does.
 */

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_log.h>

#include "uxdp_bpf_internal.h"
#include "helpers.h"

RTE_LOG_REGISTER(uxdp_bpf_logtype, uxdp.bpf, INFO);

#define PRINTK_MAX_ARGS 3
#define PRINTK_BUF 1024      /* the kernel formats into 1 KiB as well */
#define PRINTK_MAX_WIDTH 1024 /* keeps a silly width from taking ages */

struct printk_out {
	char buf[PRINTK_BUF];
	size_t len; /* length of the whole message, even past buf */
};

static void
out_append(struct printk_out *out, const char *s, size_t n)
{
	if (out->len < sizeof(out->buf) - 1) {
		size_t room = sizeof(out->buf) - 1 - out->len;

		memcpy(out->buf + out->len, s, n < room ? n : room);
	}
	out->len += n;
}

/* One conversion starting after its '%'. Returns the characters consumed
 * or -EINVAL. */
static int
format_one(struct printk_out *out, const char *fmt, uint64_t arg)
{
	char spec[32], text[PRINTK_MAX_WIDTH + 32];
	size_t i = 0, spec_len = 1;
	int width = 0, n_long = 0, n;

	spec[0] = '%';
	while (strchr("0+- ", fmt[i]) != NULL && fmt[i] != '\0') {
		if (spec_len < 8)
			spec[spec_len++] = fmt[i];
		i++;
	}
	while (isdigit((unsigned char)fmt[i])) {
		width = width * 10 + (fmt[i] - '0');
		if (width > PRINTK_MAX_WIDTH)
			return -EINVAL;
		i++;
	}
	if (width > 0)
		spec_len += snprintf(spec + spec_len, sizeof(spec) - spec_len,
				     "%d", width);

	if (fmt[i] == 'c') {
		memcpy(spec + spec_len, "c", 2);
		n = snprintf(text, sizeof(text), spec, (int)(uint8_t)arg);
		out_append(out, text, n);
		return i + 1;
	}
	if (fmt[i] == 'p') {
		i++;
		if (fmt[i] == 'x' || fmt[i] == 'K')
			i++;
		else if (isalnum((unsigned char)fmt[i]))
			return -EINVAL; /* %pI4, %pB, ...: not supported */
		n = snprintf(text, sizeof(text), "%016llx",
			     (unsigned long long)arg);
		out_append(out, text, n);
		return i;
	}
	while (fmt[i] == 'l' && n_long < 2) {
		n_long++;
		i++;
	}
	if (fmt[i] == '\0' || strchr("diuxX", fmt[i]) == NULL)
		return -EINVAL;
	memcpy(spec + spec_len, "ll", 2);
	spec[spec_len + 2] = fmt[i];
	spec[spec_len + 3] = '\0';
	/* Without l the kernel passes the argument as a 32-bit int. */
	if (fmt[i] == 'd' || fmt[i] == 'i')
		n = snprintf(text, sizeof(text), spec, n_long > 0 ?
			     (long long)arg : (long long)(int32_t)arg);
	else
		n = snprintf(text, sizeof(text), spec, n_long > 0 ?
			     (unsigned long long)arg :
			     (unsigned long long)(uint32_t)arg);
	out_append(out, text, n);
	return i + 1;
}

UXDP_HELPER(trace_printk)
{
	const char *fmt = (const char *)(uintptr_t)r1;
	uint32_t fmt_size = (uint32_t)r2;
	uint64_t args[PRINTK_MAX_ARGS] = { r3, r4, r5 };
	struct printk_out out = { .len = 0 };
	unsigned int n_args = 0;
	size_t i, run;
	int used;

	if (fmt == NULL || memchr(fmt, '\0', fmt_size) == NULL)
		return uxdp_helper_errno(EINVAL);
	for (i = 0; fmt[i] != '\0'; i++)
		if (!isascii((unsigned char)fmt[i]) ||
		    (!isprint((unsigned char)fmt[i]) &&
		     !isspace((unsigned char)fmt[i])))
			return uxdp_helper_errno(EINVAL);

	for (i = 0; fmt[i] != '\0';) {
		if (fmt[i] != '%') {
			run = strcspn(fmt + i, "%");
			out_append(&out, fmt + i, run);
			i += run;
			continue;
		}
		if (fmt[i + 1] == '%') {
			out_append(&out, "%", 1);
			i += 2;
			continue;
		}
		if (n_args == PRINTK_MAX_ARGS)
			return uxdp_helper_errno(EINVAL);
		used = format_one(&out, fmt + i + 1, args[n_args++]);
		if (used < 0)
			return uxdp_helper_errno(-used);
		i += 1 + used;
	}

	out.buf[out.len < sizeof(out.buf) ? out.len : sizeof(out.buf) - 1] = '\0';
	run = strlen(out.buf); /* a %c of 0 may end the text early */
	rte_log(RTE_LOG_INFO, uxdp_bpf_logtype, "bpf_trace_printk: %s%s",
		out.buf, run > 0 && out.buf[run - 1] == '\n' ? "" : "\n");
	return out.len;
}
