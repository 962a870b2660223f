/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef RUN_JSON_H
#define RUN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The outcome of one packet, as printed on its JSON line. */
struct run_result {
	uint32_t ret;          /* r0 of the (last) run */
	const uint8_t *data;   /* data .. data_end after the run */
	size_t data_len;
	const uint8_t *meta;   /* data_meta .. data */
	size_t meta_len;
	bool timed;            /* print ns_per_run */
	uint64_t ns_per_run;
	bool sandboxed;        /* print sandbox_faults */
	uint64_t sandbox_faults; /* runs of this packet the sandbox ended */
};

/* "XDP_PASS" etc. for the five actions, "XDP_UNKNOWN" for other values. */
const char *run_action_name(uint32_t ret);

/* {"ret": N, "action": "...", "data": "...", "meta": "..."[, "ns_per_run": N]}
 * The key order is fixed: the kernel oracle's lines compare as text. */
void run_json_result(FILE *f, const struct run_result *r);

/* {"error": "packet N: message"} for a packet that could not be run. */
void run_json_packet_error(FILE *f, uint64_t index, const char *msg);

/* A JSON string literal, quotes included, escaped as needed. */
void run_json_string(FILE *f, const char *s);

#endif /* RUN_JSON_H */
