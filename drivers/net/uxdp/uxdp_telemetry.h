/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_TELEMETRY_H
#define UXDP_TELEMETRY_H

/*
 * Shared pieces of the /uxdp/ telemetry commands (uxdp_telemetry*.c).
 * Every handler runs in a telemetry client thread and holds the registry
 * lock (uxdp_tel_lock()) while it uses a port: a swap or a close waits.
 */

#include <stdbool.h>
#include <stdint.h>

#include <rte_telemetry.h>

#include "uxdp_ethdev.h"

/* Stay well below the 16 KiB reply limit, JSON punctuation included. */
#define UXDP_TEL_REPLY_BUDGET 12000
/* Longest hex a telemetry string holds, in bytes. */
#define UXDP_TEL_HEX_MAX_BYTES ((RTE_TEL_MAX_STRING_LEN - 1) / 2)
/* Longest key a command reads or shows. */
#define UXDP_TEL_KEY_MAX 512
/* Longest value written (map_update) or shown per slot. */
#define UXDP_TEL_VALUE_MAX 4096
/* Per-CPU slots shown: slot 0 and the primary's EAL lcores. */
#define UXDP_TEL_SLOTS_MAX 64

void uxdp_tel_lock(void);
void uxdp_tel_unlock(void);

/* Split params at commas outside JSON brackets and strings; empty fields
 * are kept. Returns the number of fields, -1 when more than max. buf is
 * modified. */
int uxdp_tel_split(char *buf, char **fields, int max);
int uxdp_tel_parse_uint(const char *s, uint64_t max, uint64_t *out);
int uxdp_tel_error(struct rte_tel_data *d, const char *fmt, ...)
	__rte_format_printf(2, 3);
void uxdp_tel_hex(const uint8_t *p, uint32_t len, char *out);
/* rte_tel_data_add_{dict,array}_string() of text from outside: bytes
 * outside printable ASCII read as '?' (DPDK would write invalid JSON). */
void uxdp_tel_dict_str(struct rte_tel_data *d, const char *name,
		       const char *s);
void uxdp_tel_array_str(struct rte_tel_data *d, const char *s);

/* The net_uxdp port of a "<port>" parameter, or NULL with an error reply.
 * Caller holds the lock. */
struct pmd_internals *uxdp_tel_port(const char *param, struct rte_tel_data *d);
/* The map of a port by name, or NULL with an error reply. */
struct uxdp_map *uxdp_tel_map(struct pmd_internals *p, const char *name,
			      struct rte_tel_data *d);

/* Per-CPU slots shown for per-CPU maps: slot 0 (threads that are no EAL
 * lcore) and every EAL lcore of this process, ascending. */
unsigned int uxdp_tel_slots(unsigned int *slots, unsigned int max);

/* Render bytes of a BTF type as JSON text for a telemetry string, "null"
 * when it does not fit one. Returns the length in the reply, escapes
 * included. */
size_t uxdp_tel_btf_text(const struct btf *btf, uint32_t id,
			 const uint8_t *p, uint32_t len, char *out);

/* Read a key or value parameter into len bytes: hex digits (memory byte
 * order), or JSON text typed by BTF when it starts with '{', '[' or '"',
 * or after "json:". what names the parameter in errors. */
int uxdp_tel_read_bytes(const char *text, const struct btf *btf,
			uint32_t type_id, uint8_t *out, uint32_t len,
			const char *what, char *err, size_t err_len);

/* Forget where the last map_dump page stopped (its map may be freed). */
void uxdp_tel_dump_forget(void);

/* Handlers (uxdp_telemetry_dump.c, _elem.c, _swap.c). */
int uxdp_tel_map_dump(const char *cmd, const char *params,
		      struct rte_tel_data *d);
int uxdp_tel_map_lookup(const char *cmd, const char *params,
			struct rte_tel_data *d);
int uxdp_tel_map_update(const char *cmd, const char *params,
			struct rte_tel_data *d);
int uxdp_tel_map_delete(const char *cmd, const char *params,
			struct rte_tel_data *d);
int uxdp_tel_prog_swap(const char *cmd, const char *params,
		       struct rte_tel_data *d);

#endif /* UXDP_TELEMETRY_H */
