/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <inttypes.h>

#include "run_hex.h"
#include "run_json.h"

const char *
run_action_name(uint32_t ret)
{
	static const char *const names[] = {
		"XDP_ABORTED", "XDP_DROP", "XDP_PASS", "XDP_TX", "XDP_REDIRECT",
	};

	return ret < sizeof(names) / sizeof(names[0]) ? names[ret] : "XDP_UNKNOWN";
}

void
run_json_string(FILE *f, const char *s)
{
	const unsigned char *p;

	fputc('"', f);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

void
run_json_result(FILE *f, const struct run_result *r)
{
	fprintf(f, "{\"ret\": %" PRIu32 ", \"action\": \"%s\", \"data\": \"",
		r->ret, run_action_name(r->ret));
	run_hex_print(f, r->data, r->data_len);
	fputs("\", \"meta\": \"", f);
	run_hex_print(f, r->meta, r->meta_len);
	fputc('"', f);
	if (r->timed)
		fprintf(f, ", \"ns_per_run\": %" PRIu64, r->ns_per_run);
	if (r->sandboxed)
		fprintf(f, ", \"sandbox_faults\": %" PRIu64, r->sandbox_faults);
	fputs("}\n", f);
}

void
run_json_packet_error(FILE *f, uint64_t index, const char *msg)
{
	char text[512];

	snprintf(text, sizeof(text), "packet %" PRIu64 ": %s", index, msg);
	fputs("{\"error\": ", f);
	run_json_string(f, text);
	fputs("}\n", f);
}
