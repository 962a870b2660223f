/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * BTF-aware JSON (uxdp_btf_json.h) over the types of test_btf_json.bpf.c:
 * renderings of known values, parses back to the same bytes, round trips
 * of random bytes, and every error path of the parser with its message.
 * Usage: test_btf_json OBJ.o
 * The comparison with bpftool is test_btf_json_bpftool.c.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bpf/btf.h>

#include "uxdp_bpf.h"
#include "uxdp_btf_json.h"
#include "test_btf_json_defs.h"
#include "test_loader_util.h"
#include "test_btf_json_util.h"

static const struct btf *btf;
static uint32_t key_id, value_id;

static const char value_json[] =
	"{\"s8\":-128,\"u8\":255,\"s16\":-32768,\"u16\":65535,"
	"\"s32\":-2147483648,\"u32\":4294967295,"
	"\"s64\":-9223372036854775808,\"u64\":18446744073709551615,"
	"\"ch\":65,\"sch\":-1,\"uch\":200,\"flag\":true,\"name\":\"eth0\","
	"\"arr\":[1,2,3],\"matrix\":[[1,2,3],[4,5,6]],"
	"\"in\":{\"port\":80,\"tag\":\"web\"},"
	"\"ins\":[{\"port\":1,\"tag\":\"a\"},{\"port\":2,\"tag\":\"b\\\"\\\\\"}],"
	"\"un\":{\"word\":67305985,\"bytes\":[1,2,3,4]},"
	"\"color\":\"BTFJ_MINUS\",\"big\":\"BTFJ_BIG_MAX\","
	"\"bf_a\":5,\"bf_b\":31,\"bf_c\":-64,\"bf_d\":1099511627775,"
	"\"cv\":7,\"td\":42,\"\":{\"anon_x\":1,\"anon_y\":2},\"ptr\":4096,"
	"\"u128\":\"0x10000000000000000000000abc\","
	"\"s128\":\"0xffffffffffffffffffffffffffffffff\"}";

/* Render to a string and compare. */
static void
check_render(uint32_t id, const void *data, size_t size, const char *want,
	     int line)
{
	char out[4096];
	int ret = uxdp_btf_render(btf, id, data, size, out, sizeof(out));

	CHECK(ret == (int)strlen(want) && strcmp(out, want) == 0,
	      "line %d: render gave %d '%s', want '%s'", line, ret, out, want);
}

/* Parse into a buffer with a guard zone: nothing may land past size. */
static int
parse_guarded(uint32_t id, const char *json, uint8_t *out, size_t size,
	      char *err, size_t err_len)
{
	uint8_t *buf = malloc(size + 32);
	size_t i;
	int ret;

	memset(buf, 0xa5, size + 32);
	ret = uxdp_btf_parse(btf, id, json, buf, size, err, err_len);
	for (i = size; i < size + 32; i++)
		CHECK(buf[i] == 0xa5, "parse of '%s' wrote byte %zu past %zu",
		      json, i, size);
	memcpy(out, buf, size);
	free(buf);
	return ret;
}

static void
check_parse(uint32_t id, const char *json, const void *want, size_t size,
	    int line)
{
	uint8_t out[512];
	char err[256];
	int ret = parse_guarded(id, json, out, size, err, sizeof(err));

	CHECK(ret == 0 && memcmp(out, want, size) == 0,
	      "line %d: parse of '%s' gave %d (%s) or other bytes", line, json,
	      ret, err);
}

static void
check_error(uint32_t id, const char *json, size_t size, const char *msg,
	    int line)
{
	uint8_t out[512];
	char err[256];
	int ret = parse_guarded(id, json, out, size, err, sizeof(err));

	CHECK(ret == -EINVAL && strstr(err, msg) != NULL,
	      "line %d: parse of '%s' gave %d '%s', want an error with '%s'",
	      line, json, ret, err, msg);
}

#define RENDER(id, v, want) check_render(id, &(v), sizeof(v), want, __LINE__)
#define PARSE(id, json, v) check_parse(id, json, &(v), sizeof(v), __LINE__)
#define ERROR(id, json, size, msg) check_error(id, json, size, msg, __LINE__)

static void
test_kinds(void)
{
	struct btfj_key k;
	struct btfj_value v;

	btfj_fill(&k, &v);
	RENDER(key_id, k, "{\"id\":7,\"proto\":6,\"name\":\"ab\"}");
	RENDER(value_id, v, value_json);
	PARSE(key_id, "{\"id\":7,\"proto\":6,\"name\":\"ab\"}", k);
	PARSE(value_id, value_json, v);
	/* Other spellings of the same key. */
	PARSE(key_id, " { \"name\" : [97, 98, 0, 0, 0, 0, 0] ,\n"
	      "\"proto\":\"0x6\", \"id\": \"7\" } ", k);
	PARSE(key_id, "{\"id\":7,\"proto\":6,\"name\":\"\\u0061\\u0062\"}", k);

	/* A char array that is not text prints as numbers, and back. */
	memcpy(k.name, "a\0b\0\0\0\xff", 7);
	RENDER(key_id, k, "{\"id\":7,\"proto\":6,\"name\":[97,0,98,0,0,0,-1]}");
	PARSE(key_id, "{\"id\":7,\"proto\":6,\"name\":[97,0,98,0,0,0,-1]}", k);
	/* Seven characters fill char[7] with no NUL: numbers, but a string
	 * of seven is accepted. */
	memcpy(k.name, "abcdefg", 7);
	RENDER(key_id, k, "{\"id\":7,\"proto\":6,\"name\":[97,98,99,100,101,102,103]}");
	PARSE(key_id, "{\"id\":7,\"proto\":6,\"name\":\"abcdefg\"}", k);
}

static void
test_scalars(struct uxdp_obj *obj)
{
	uint32_t ik, iv, ck, cv;
	int64_t s64;
	uint32_t u32;
	int32_t color;
	uint8_t raw[6] = { 1, 2, 0xab, 0, 0xff, 0x10 };

	CHECK(uxdp_obj_map_btf_ids(obj, uxdp_obj_map_by_name(obj, "ints"),
				   &ik, &iv) == 0 && ik != 0 && iv != 0,
	      "ints: type ids %u %u", ik, iv);
	CHECK(uxdp_obj_map_btf_ids(obj, uxdp_obj_map_by_name(obj, "colors"),
				   &ck, &cv) == 0 && ck != 0 && cv != 0,
	      "colors: type ids %u %u", ck, cv);
	u32 = 3;
	RENDER(ik, u32, "3");
	PARSE(ik, "3", u32);
	PARSE(ik, "\"0x3\"", u32);
	s64 = INT64_MIN;
	RENDER(iv, s64, "-9223372036854775808");
	PARSE(iv, "-9223372036854775808", s64);
	s64 = -1;
	PARSE(iv, "\"0xffffffffffffffff\"", s64);
	PARSE(iv, "\"-1\"", s64);
	color = 7;
	RENDER(cv, color, "\"BTFJ_BLUE\"");
	PARSE(cv, "\"BTFJ_BLUE\"", color);
	PARSE(cv, "7", color);
	PARSE(cv, "\"7\"", color);
	color = 5; /* no enumerator: a number */
	RENDER(cv, color, "5");
	PARSE(cv, "5", color);
	color = -3;
	RENDER(cv, color, "\"BTFJ_MINUS\"");
	PARSE(cv, "-3", color);
	/* Maps without BTF types, and no BTF at all: hex strings. */
	RENDER(0, raw, "\"0102ab00ff10\"");
	PARSE(0, "\"0102ab00ff10\"", raw);
	PARSE(0, "\"0102AB00FF10\"", raw);
	CHECK(uxdp_btf_render(NULL, value_id, raw, sizeof(raw), (char[32]){0},
			      32) == 14, "no BTF: hex");
	ERROR(0, "\"0102\"", 6, "no BTF: expected a string of 6 hex bytes");
	ERROR(0, "[1,2]", 6, "no BTF: expected a string of 6 hex bytes, got an array");
	ERROR(0, "\"0102ab00ff1g\"", 6, "hex bytes");
	ERROR(0, "\"0102ab00ff1011\"", 6, "hex bytes");
	/* Ranges of each integer width. */
	ERROR(ik, "4294967296", 4, "4294967296 is out of range for an unsigned 32-bit integer");
	ERROR(ik, "-1", 4, "-1 is out of range for an unsigned 32-bit integer");
	ERROR(iv, "9223372036854775808", 8, "out of range for a signed 64-bit integer");
	ERROR(iv, "-9223372036854775809", 8, "out of range for a signed 64-bit integer");
	ERROR(iv, "\"0x10000000000000000\"", 8, "(hex strings are raw bits)");
	ERROR(iv, "340282366920938463463374607431768211456", 8, "does not fit 128 bits");
	ERROR(iv, "1.5", 8, "got a fraction or exponent after 1");
	ERROR(iv, "1e3", 8, "fraction or exponent");
	ERROR(iv, "true", 8, "expected an integer, got a boolean");
	ERROR(iv, "null", 8, "expected an integer, got null");
	ERROR(iv, "\"12x\"", 8, "expected an integer, got the string \"12x\"");
	ERROR(iv, "1 2", 8, "unexpected text after the value: '2'");
	ERROR(iv, "", 8, "expected an integer, got end of text");
	ERROR(cv, "\"PURPLE\"", 4, "'PURPLE' is not an enumerator of enum btfj_color");
	ERROR(cv, "4294967296", 4, "out of range");
	ERROR(ik, "3", 3, "has 4 bytes, the buffer 3");
}

/* A global data map: its DATASEC, fixed up by the loader. */
static void
test_datasec(struct uxdp_obj *obj)
{
	struct uxdp_map *m = uxdp_obj_map_by_name(obj, "test_btf.data");
	uint8_t value[10] = { 5, 0, 0, 0, 'u', 'x', 'd', 'p', 0, 0 };
	uint32_t k = 1, v = 0, zero = 0;
	uint8_t stored[10];

	CHECK(m != NULL && uxdp_obj_map_btf_ids(obj, m, &k, &v) == 0 &&
	      k == 0 && v != 0, "test_btf.data: type ids %u %u", k, v);
	if (m == NULL || v == 0)
		return;
	CHECK(uxdp_map_lookup_copy(m, &zero, stored) == 0 &&
	      memcmp(stored, value, sizeof(value)) == 0, ".data contents");
	RENDER(v, value, "{\".data\":[{\"glob_count\":5},{\"glob_name\":\"uxdp\"}]}");
	PARSE(v, "{\".data\":[{\"glob_count\":5},{\"glob_name\":\"uxdp\"}]}", value);
	RENDER(0, zero, "\"00000000\"");
	ERROR(v, "{\".bss\":[]}", 10, "expected section '.data', got '.bss'");
	ERROR(v, "{\".data\":[{\"glob_name\":\"x\"}]}", 10, "expected variable 'glob_count', got 'glob_name'");
	ERROR(v, "{\".data\":[{\"glob_count\":5}]}", 10, "expected ',' and the next variable, got ']'");
	ERROR(v, "{\".data\":[{\"glob_count\":5},{\"glob_name\":\"uxdp\"},{}]}", 10, "expected ']' after the last variable");
	ERROR(v, "{\".data\":[{\"glob_count\":5},{\"glob_name\":\"uxdpxyz\"}]}", 10, "glob_name: string of 7 bytes does not fit char[6]");
}

/* One error per member kind, each naming the member's path. */
static void
test_errors(void)
{
	static const struct {
		const char *json;
		const char *msg;
	} key_cases[] = {
		{ "{\"id\":1,\"proto\":2}", "missing member 'name' of struct btfj_key" },
		{ "{\"id\":1,\"proto\":2,\"name\":\"a\",\"x\":1}", "unknown member 'x' of struct btfj_key" },
		{ "{\"id\":1,\"id\":1}", "member 'id' of struct btfj_key given twice" },
		{ "{\"id\":1,\"proto\":256,\"name\":\"\"}", "proto: 256 is out of range for an unsigned 8-bit integer" },
		{ "{\"id\":[1],\"proto\":2,\"name\":\"\"}", "id: expected an integer, got an array" },
		{ "{\"id\":1,\"proto\":2,\"name\":\"abcdefgh\"}", "name: string of 8 bytes does not fit char[7]" },
		{ "{\"id\":1,\"proto\":2,\"name\":[1,2]}", "name: 2 elements, the array has 7" },
		{ "{\"id\":1,\"proto\":2,\"name\":[1,2,3,4,5,6,7,8]}", "name: more than 7 elements" },
		{ "{\"id\":1,\"proto\":2,\"name\":[1,2,3,4,5,6,300]}", "name[6]: 300 is out of range for a signed 8-bit integer" },
		{ "{\"id\":1,\"proto\":2,\"name\":{}}", "name: expected a string or an array, got an object" },
		{ "{\"id\":1,\"proto\":2,\"name\":\"a\\q\"}", "name: bad escape in a string" },
		{ "{\"id\":1,\"proto\":2,\"name\":\"\\u0100\"}", "only \\u0000 to \\u00ff" },
		{ "{\"id\":1,\"proto\":2,\"name\":\"\\u00zz\"}", "bad \\u escape" },
		{ "{\"id\":1,\"proto\":2,\"name\":\"ab", "unterminated string" },
		{ "{\"id\":1 \"proto\":2}", "expected ',' or '}', got a string" },
		{ "{\"id\" 1}", "expected ':', got a number" },
		{ "[1]", "expected an object, got an array" },
		{ "{\"id\":1,\"proto\":2,\"name\":\"\"", "expected ',' or '}', got end of text" },
	};
	static const struct {
		const char *json;
		const char *msg;
	} value_cases[] = {
		{ "{\"ins\":[{\"port\":1,\"tag\":\"\"},{\"port\":70000}]}", "ins[1].port: 70000 is out of range for an unsigned 16-bit integer" },
		{ "{\"ins\":[{\"port\":1,\"tag\":\"\"},{\"port\":7}]}", "ins[1]: missing member 'tag' of struct btfj_inner" },
		{ "{\"un\":{}}", "un: union btfj_word: give at least one member" },
		{ "{\"un\":{\"wrd\":1}}", "un: unknown member 'wrd' of union btfj_word" },
		{ "{\"bf_a\":8}", "bf_a: 8 is out of range for an unsigned 3-bit integer" },
		{ "{\"bf_c\":-65}", "bf_c: -65 is out of range for a signed 7-bit integer" },
		{ "{\"bf_c\":64}", "bf_c: 64 is out of range for a signed 7-bit integer" },
		{ "{\"bf_d\":1099511627776}", "bf_d: 1099511627776 is out of range for an unsigned 40-bit integer" },
		{ "{\"flag\":256}", "flag: 256 is out of range" },
		{ "{\"u8\":true}", "u8: expected an integer, got a boolean" },
		{ "{\"color\":\"RED\"}", "color: 'RED' is not an enumerator of enum btfj_color" },
		{ "{\"big\":-18446744073709551617}", "big: -18446744073709551617 is out of range" },
		{ "{\"u128\":\"0x100000000000000000000000000000000\"}", "u128: \"0x100000000000000000000000000000000\" does not fit 128 bits" },
		{ "{\"s128\":-170141183460469231731687303715884105729}", "s128: -170141183460469231731687303715884105729 is out of range for a signed 128-bit integer" },
		{ "{\"\":{\"anon_x\":1}}", "<anon>: missing member 'anon_y' of struct <anon>" },
		{ "{\"matrix\":[[1,2,3],[4,5]]}", "matrix[1]: 2 elements, the array has 3" },
		{ "{\"ptr\":-1}", "ptr: -1 is out of range for an unsigned 64-bit integer" },
		{ "{\"in\":{\"port\":1,\"tag\":\"abcde\"}}", "in.tag: string of 5 bytes does not fit char[4]" },
		{ "{\"arr\":\"abc\"}", "arr: expected an array, got a string" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(key_cases) / sizeof(key_cases[0]); i++)
		check_error(key_id, key_cases[i].json, sizeof(struct btfj_key),
			    key_cases[i].msg, __LINE__);
	for (i = 0; i < sizeof(value_cases) / sizeof(value_cases[0]); i++)
		check_error(value_id, value_cases[i].json,
			    sizeof(struct btfj_value), value_cases[i].msg,
			    __LINE__);
}

/* Values that are not errors although they differ from what render
 * writes: bool as 0/1, a union given by one member, extremes. */
static void
test_variants(void)
{
	struct btfj_key k;
	struct btfj_value v, w;
	char text[4096], err[256];
	char *p;
	int ret;

	btfj_fill(&k, &v);
	uxdp_btf_render(btf, value_id, &v, sizeof(v), text, sizeof(text));
	/* The union by its byte array alone. */
	p = strstr(text, "\"un\":{\"word\":67305985,");
	CHECK(p != NULL, "union in rendering");
	if (p != NULL)
		memmove(p + 6, p + 22, strlen(p + 22) + 1);
	ret = uxdp_btf_parse(btf, value_id, text, &w, sizeof(w), err, sizeof(err));
	CHECK(ret == 0 && memcmp(&v, &w, sizeof(v)) == 0,
	      "union by one member: %d %s (%s)", ret, err, text);
	/* bool as a number; a bool that holds 2 renders as a number. */
	p = strstr(text, "\"flag\":true");
	if (p != NULL)
		memcpy(p, "\"flag\":1   ", 11);
	ret = uxdp_btf_parse(btf, value_id, text, &w, sizeof(w), err, sizeof(err));
	CHECK(ret == 0 && memcmp(&v, &w, sizeof(v)) == 0,
	      "bool as 1: %d %s", ret, err);
	v.flag = 0;
	memset(&w, 0, sizeof(w));
	uxdp_btf_render(btf, value_id, &v, sizeof(v), text, sizeof(text));
	CHECK(strstr(text, "\"flag\":false") != NULL, "false: %s", text);
	memset(&v, 0, sizeof(v));
	((uint8_t *)&v)[offsetof(struct btfj_value, flag)] = 2;
	uxdp_btf_render(btf, value_id, &v, sizeof(v), text, sizeof(text));
	CHECK(strstr(text, "\"flag\":2,") != NULL, "bool 2: %s", text);
	ret = uxdp_btf_parse(btf, value_id, text, &w, sizeof(w), err, sizeof(err));
	CHECK(ret == 0 && memcmp(&v, &w, sizeof(v)) == 0, "bool 2 back: %d %s",
	      ret, err);
	/* An all-zero value: empty strings, first enumerators. */
	CHECK(strstr(text, "\"name\":\"\"") != NULL &&
	      strstr(text, "\"color\":\"BTFJ_RED\"") != NULL &&
	      strstr(text, "\"big\":0") != NULL &&
	      strstr(text, "\"u128\":\"0x0\"") != NULL, "zero value: %s", text);
	/* An unsigned ENUM64 without a name prints unsigned. */
	v.big = (enum btfj_big)0xfffffffffffffffeULL;
	uxdp_btf_render(btf, value_id, &v, sizeof(v), text, sizeof(text));
	CHECK(strstr(text, "\"big\":18446744073709551614") != NULL,
	      "enum64: %s", text);
	ret = uxdp_btf_parse(btf, value_id, text, &w, sizeof(w), err, sizeof(err));
	CHECK(ret == 0 && memcmp(&v, &w, sizeof(v)) == 0, "enum64 back: %d %s",
	      ret, err);
	/* A too small buffer is -ENOSPC, never an overflow. */
	memset(text, 'x', sizeof(text));
	ret = uxdp_btf_render(btf, value_id, &v, sizeof(v), text, 40);
	CHECK(ret == -ENOSPC && text[0] == '\0' && text[40] == 'x',
	      "small buffer: %d", ret);
	ret = uxdp_btf_render(btf, key_id, &k, sizeof(k), text, 30);
	CHECK(ret == -ENOSPC, "one byte short: %d", ret);
	ret = uxdp_btf_render(btf, key_id, &k, sizeof(k), text, 31);
	CHECK(ret == 30, "exact buffer: %d", ret);
	CHECK(uxdp_btf_render(btf, key_id, &k, 3, text, sizeof(text)) == -EINVAL,
	      "render with the wrong size");
	CHECK(uxdp_btf_render(btf, 100000, &k, 3, text, sizeof(text)) == -EINVAL,
	      "render of a bad type id");
}

/* Random bytes: parse(render(x)) is x wherever members are (padding reads
 * back as zero), and render is a fixed point. */
static void
test_round_trips(void)
{
	uint8_t x[sizeof(struct btfj_value)], y[sizeof(x)], mask[sizeof(x)];
	char t1[4096], t2[4096], err[256];
	unsigned int seed = 12345, n, i, bad = 0;
	uint32_t ids[2] = { key_id, value_id };
	size_t sizes[2] = { sizeof(struct btfj_key), sizeof(struct btfj_value) };
	int which, r1, r2;

	for (which = 0; which < 2; which++) {
		memset(x, 0xff, sizes[which]);
		uxdp_btf_render(btf, ids[which], x, sizes[which], t1, sizeof(t1));
		CHECK(uxdp_btf_parse(btf, ids[which], t1, mask, sizes[which],
				     err, sizeof(err)) == 0, "mask: %s", err);
		for (n = 0; n < 500; n++) {
			for (i = 0; i < sizes[which]; i++) {
				seed = seed * 1103515245 + 12345;
				x[i] = (uint8_t)(seed >> 16);
				/* Half the time text-like chars, so that
				 * strings come out too. */
				if (n % 2 && x[i] > 0x7e)
					x[i] = 0;
			}
			r1 = uxdp_btf_render(btf, ids[which], x, sizes[which],
					     t1, sizeof(t1));
			r2 = uxdp_btf_parse(btf, ids[which], t1, y, sizes[which],
					    err, sizeof(err));
			for (i = 0; i < sizes[which]; i++)
				if ((x[i] & mask[i]) != y[i])
					break;
			uxdp_btf_render(btf, ids[which], y, sizes[which], t2,
					sizeof(t2));
			if (r1 < 0 || r2 < 0 || i < sizes[which] ||
			    strcmp(t1, t2) != 0) {
				if (bad++ < 3)
					CHECK(0, "round trip %u: %d %d (%s) byte %u: %s",
					      n, r1, r2, err, i, t1);
			}
		}
		CHECK(bad == 0, "%u round trips failed", bad);
	}
	/* The padding bits of btfj_value are exactly the mask's zeros. */
	CHECK(mask[102] == 0x7f && mask[103] == 0 && mask[116] == 0,
	      "padding mask %02x %02x %02x", mask[102], mask[103], mask[116]);
}

int
main(int argc, char **argv)
{
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj;
	uint32_t k, v;

	if (argc != 2) {
		fprintf(stderr, "usage: %s test_btf_json.o\n", argv[0]);
		return 2;
	}
	if (uxdp_obj_load(argv[1], NULL, &obj, err, sizeof(err)) < 0) {
		fprintf(stderr, "load: %s\n", err);
		return 1;
	}
	btf = uxdp_obj_btf(obj);
	CHECK(btf != NULL, "object BTF");
	CHECK(uxdp_obj_map_btf_ids(obj, uxdp_obj_map_by_name(obj, "kinds"),
				   &key_id, &value_id) == 0 &&
	      key_id != 0 && value_id != 0, "kinds: ids %u %u", key_id, value_id);
	CHECK(btf__resolve_size(btf, key_id) == sizeof(struct btfj_key) &&
	      btf__resolve_size(btf, value_id) == sizeof(struct btfj_value),
	      "BTF sizes match the host's");
	CHECK(uxdp_obj_map_btf_ids(obj, uxdp_obj_map_by_name(obj, "raw"),
				   &k, &v) == 0 && k == 0 && v == 0,
	      "raw: no type ids (%u %u)", k, v);
	CHECK(uxdp_obj_map_btf_ids(obj, NULL, &k, &v) == -EINVAL, "NULL map");
	if (btf != NULL && key_id != 0) {
		test_kinds();
		test_scalars(obj);
		test_errors();
		test_variants();
		test_round_trips();
		test_datasec(obj);
	}
	uxdp_obj_close(obj);
	return test_summary();
}
