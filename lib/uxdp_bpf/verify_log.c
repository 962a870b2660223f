/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The kernel verifier's log, read for the one line a load error has room
 * for. On a refusal at log level 1 the log ends with the instruction the
 * verifier stopped at ("5: (61) r0 = *(u32 *)(r1 +0)", its state after a
 * ';'), one to three lines of reason, and a summary ("processed N insns
 * ..."). The reason and its instruction are what a user needs first; the
 * whole log stays available to whoever asked for it.
 */

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "verify.h"

/* Reason lines kept at most, and the longest line looked at. */
#define REASON_LINES_MAX 3
#define LINE_MAX_LEN 192

struct log_line {
	const char *start;
	size_t len;
};

static bool
line_starts(const struct log_line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->len >= n && memcmp(l->start, prefix, n) == 0;
}

/* "<digits>: (" : an instruction as the verifier prints it. */
static bool
is_insn_line(const struct log_line *l)
{
	size_t i = 0;

	while (i < l->len && isdigit((unsigned char)l->start[i]))
		i++;
	return i > 0 && i + 3 <= l->len && memcmp(l->start + i, ": (", 3) == 0;
}

/* Lines the verifier prints around a refusal that are not its reason. */
static bool
is_noise(const struct log_line *l)
{
	return l->len == 0 || line_starts(l, "processed ") ||
	       line_starts(l, "verification time") ||
	       line_starts(l, "stack depth") || line_starts(l, ";") ||
	       line_starts(l, "from ") || line_starts(l, "Validating ") ||
	       line_starts(l, "func#");
}

/* The line ending just before end (exclusive), walking backwards. */
static bool
prev_line(const char *log, const char **end, struct log_line *l)
{
	const char *p = *end;

	if (p <= log)
		return false;
	/* p is one past the line's last character or its '\n'. */
	if (p[-1] == '\n')
		p--;
	l->len = 0;
	while (p > log && p[-1] != '\n') {
		p--;
		l->len++;
	}
	l->start = p;
	*end = p;
	return true;
}

static void
append(char *out, size_t out_len, size_t *used, const char *s, size_t n)
{
	int w;

	if (*used + 1 >= out_len)
		return;
	w = snprintf(out + *used, out_len - *used, "%.*s", (int)n, s);
	if (w > 0)
		*used += (size_t)w < out_len - *used ? (size_t)w :
			 out_len - *used - 1;
}

void
uxdp_verify_log_reason(const char *log, char *out, size_t out_len)
{
	struct log_line reasons[REASON_LINES_MAX];
	struct log_line l, insn = { NULL, 0 };
	const char *end = log + (log != NULL ? strlen(log) : 0);
	unsigned int n = 0, i;
	size_t used = 0;

	if (out_len == 0)
		return;
	out[0] = '\0';
	if (log == NULL)
		return;
	/* Past the summary, back to the reason and its instruction. */
	while (prev_line(log, &end, &l)) {
		if (is_insn_line(&l)) {
			insn = l;
			break;
		}
		if (is_noise(&l)) {
			if (n > 0 && !line_starts(&l, ";") && l.len > 0)
				break;
			continue;
		}
		if (n == REASON_LINES_MAX)
			break;
		reasons[n++] = l;
	}
	if (insn.start != NULL && n > 0) {
		const char *text = memchr(insn.start, '(', insn.len);
		const char *semi;
		size_t idx_len = strspn(insn.start, "0123456789");
		size_t text_len;

		/* "(61) r0 = ..." -> "r0 = ...", cut before "; state". */
		text = text != NULL ? memchr(text, ')', insn.len -
					     (size_t)(text - insn.start)) : NULL;
		text = text != NULL ? text + 2 : insn.start + insn.len;
		if (text > insn.start + insn.len)
			text = insn.start + insn.len;
		text_len = insn.len - (size_t)(text - insn.start);
		semi = memchr(text, ';', text_len);
		if (semi != NULL)
			text_len = (size_t)(semi - text);
		while (text_len > 0 && isspace((unsigned char)text[text_len - 1]))
			text_len--;
		append(out, out_len, &used, "insn ", 5);
		append(out, out_len, &used, insn.start, idx_len);
		append(out, out_len, &used, ": ", 2);
		append(out, out_len, &used, text,
		       text_len < LINE_MAX_LEN ? text_len : LINE_MAX_LEN);
		append(out, out_len, &used, ": ", 2);
	}
	/* reasons[] holds the lines last first. */
	for (i = n; i > 0; i--) {
		const struct log_line *r = &reasons[i - 1];

		append(out, out_len, &used, r->start,
		       r->len < LINE_MAX_LEN ? r->len : LINE_MAX_LEN);
		if (i > 1)
			append(out, out_len, &used, "; ", 2);
	}
}

void
uxdp_verify_log_put(char *log, size_t log_size, const char *text)
{
	size_t len = strlen(text);

	if (log == NULL || log_size == 0)
		return;
	if (len >= log_size)
		text += len - (log_size - 1);
	snprintf(log, log_size, "%s", text);
}
