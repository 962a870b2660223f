/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_BTF_JSON_H
#define UXDP_BTF_JSON_H

/**
 * @file
 * BTF-aware formatting of map keys and values (doc/maps.md, "BTF-aware
 * JSON"): bytes of a BTF type rendered as compact JSON text, and such text
 * parsed back into bytes. The shape follows `bpftool -j map dump`'s
 * "formatted" member: ints as numbers, char arrays as strings, enums by
 * name, structs and unions as objects with every member, 128-bit ints as
 * "0x..." strings. Without BTF (btf NULL or type_id 0) the text is a JSON
 * string of lowercase hex bytes in memory order. Data is little-endian
 * (BPF objects for x86 hosts).
 */

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

struct btf; /* <bpf/btf.h> */

/**
 * Render size bytes at data, of type type_id of btf, into out as one line
 * of JSON text, NUL-terminated. Returns the text length, or -EINVAL when
 * size is not the type's size or the type is malformed, -ENOTSUP for kinds
 * with no JSON form (floats, functions, forward declarations), -ENOSPC
 * when out_len is too small (out then holds an empty string).
 */
int uxdp_btf_render(const struct btf *btf, uint32_t type_id,
		    const void *data, size_t size, char *out, size_t out_len);

/**
 * Parse JSON text of type type_id into size bytes at out (zeroed first,
 * so struct padding reads as zero). Accepts what uxdp_btf_render() writes
 * and more: enums by name or number, integers as numbers or as "0x..."
 * strings (raw bits, two's complement), char arrays as strings or arrays,
 * struct members in any order, unions with one or more members (applied in
 * order). Returns 0, or -errno with a message in err naming the member,
 * e.g. "value.in.tag: string of 6 bytes does not fit char[4]". out is
 * never written past size bytes.
 */
int uxdp_btf_parse(const struct btf *btf, uint32_t type_id, const char *json,
		   void *out, size_t size, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif /* UXDP_BTF_JSON_H */
