/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The helpers: ids and names, the XDP frame helpers on a real 4 KiB frame
 * exactly at their limits on both sides, csum_diff on known vectors,
 * trace_printk's format rules, the clocks, and the map helpers from a
 * program.
 */

#include <errno.h>
#include <time.h>

#include <rte_log.h>

#include "test_interp_insn.h"

enum { R0, R1, R2, R3, R4, R5, R6, R7, R8, R9, R10 };

static uint64_t
call(uint32_t id, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
     uint64_t r5)
{
	const struct uxdp_helper_desc *h = uxdp_helper_get(id);

	if (h == NULL) {
		T_CHECK(0, "helper %u missing", id);
		return 0;
	}
	return h->fn(r1, r2, r3, r4, r5);
}

static uint64_t
call2(uint32_t id, void *ctx, int64_t arg)
{
	return call(id, (uintptr_t)ctx, (uint64_t)arg, 0, 0, 0);
}

#define ERR(e) ((uint64_t)(int64_t)-(e))

static void
test_table(void)
{
	/* The ids the uapi header must give (a drift would break programs). */
	static const struct { uint32_t id; const char *name; } want[] = {
		{ 1, "bpf_map_lookup_elem" }, { 2, "bpf_map_update_elem" },
		{ 3, "bpf_map_delete_elem" }, { 5, "bpf_ktime_get_ns" },
		{ 6, "bpf_trace_printk" }, { 7, "bpf_get_prandom_u32" },
		{ 8, "bpf_get_smp_processor_id" }, { 28, "bpf_csum_diff" },
		{ 44, "bpf_xdp_adjust_head" }, { 54, "bpf_xdp_adjust_meta" },
		{ 65, "bpf_xdp_adjust_tail" }, { 125, "bpf_ktime_get_boot_ns" },
		{ 160, "bpf_ktime_get_coarse_ns" },
		{ 188, "bpf_xdp_get_buff_len" },
		{ 25, "bpf_perf_event_output" },
		{ 87, "bpf_map_push_elem" }, { 88, "bpf_map_pop_elem" },
		{ 89, "bpf_map_peek_elem" }, { 130, "bpf_ringbuf_output" },
		{ 131, "bpf_ringbuf_reserve" }, { 132, "bpf_ringbuf_submit" },
		{ 133, "bpf_ringbuf_discard" }, { 134, "bpf_ringbuf_query" },
		{ 195, "bpf_map_lookup_percpu_elem" },
		{ 23, "bpf_redirect" }, { 51, "bpf_redirect_map" },
		{ 118, "bpf_jiffies64" }, { 42, "bpf_get_numa_node_id" },
		{ 189, "bpf_xdp_load_bytes" }, { 190, "bpf_xdp_store_bytes" },
		{ 163, "bpf_check_mtu" }, { 93, "bpf_spin_lock" },
		{ 94, "bpf_spin_unlock" }, { 182, "bpf_strncmp" },
		{ 165, "bpf_snprintf" }, { 177, "bpf_trace_vprintk" },
		{ 113, "bpf_probe_read_kernel" },
		{ 181, "bpf_loop" }, { 164, "bpf_for_each_map_elem" },
	};
	unsigned int found = 0;
	uint32_t id;
	size_t i;

	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		const struct uxdp_helper_desc *h = uxdp_helper_get(want[i].id);

		T_CHECK(h != NULL && h->id == want[i].id &&
			strcmp(h->name, want[i].name) == 0 && h->fn != NULL,
			"helper %u is %s", want[i].id, want[i].name);
	}
	for (id = 0; id < 100000; id++)
		found += uxdp_helper_get(id) != NULL;
	T_EQ_U64(found, sizeof(want) / sizeof(want[0]), "no other helpers");
	T_CHECK(uxdp_helper_get(UINT32_MAX) == NULL, "huge id");
}

/* ---- XDP frame helpers, limits from the kernel (checked against its
 * BPF_PROG_TEST_RUN in test_interp_kernel) ---- */

#define PKT 64
#define FLOOR (UXDP_XDP_HEADROOM - UXDP_XDP_FRAME_RESERVE) /* 216 */
#define TAIL_ROOM (UXDP_XDP_FRAME_SIZE - UXDP_XDP_TAILROOM - \
		   UXDP_XDP_HEADROOM - PKT) /* 3456 */

static struct t_frame frame;

static void
fresh_frame(void)
{
	uint8_t pkt[PKT];
	int i;

	for (i = 0; i < PKT; i++)
		pkt[i] = (uint8_t)i;
	t_frame_init(&frame, pkt, sizeof(pkt));
}

static size_t
data_len(void)
{
	return (uint8_t *)frame.buff.data_end - (uint8_t *)frame.buff.data;
}

static size_t
meta_len(void)
{
	return (uint8_t *)frame.buff.data - (uint8_t *)frame.buff.data_meta;
}

static void
test_adjust_head(void)
{
	uint8_t *data;

	fresh_frame();
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_head, &frame.buff, -FLOOR), 0,
		 "adjust_head to the frame reserve");
	T_EQ_U64(data_len(), PKT + FLOOR, "grown by the headroom");
	T_CHECK(frame.buff.data == frame.mem + UXDP_XDP_FRAME_RESERVE,
		"data at the reserve");
	T_CHECK(frame.buff.data_meta == frame.buff.data, "meta follows");

	fresh_frame();
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_head, &frame.buff, -FLOOR - 1),
		 ERR(EINVAL), "adjust_head one byte into the reserve");
	T_EQ_U64(data_len(), PKT, "refusal changes nothing");

	fresh_frame();
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_head, &frame.buff, PKT - 14), 0,
		 "adjust_head leaving an Ethernet header");
	T_EQ_U64(data_len(), 14, "14 bytes left");
	T_EQ_U64(*(uint8_t *)frame.buff.data, PKT - 14, "data moved");
	fresh_frame();
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_head, &frame.buff, PKT - 13),
		 ERR(EINVAL), "adjust_head leaving 13 bytes");

	/* With 8 bytes of metadata the floor rises by 8 and the metadata
	 * moves with the data. */
	fresh_frame();
	frame.buff.data_meta = (uint8_t *)frame.buff.data - 8;
	memcpy(frame.buff.data_meta, "METADATA", 8);
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_head, &frame.buff, -FLOOR + 7),
		 ERR(EINVAL), "meta raises the floor");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_head, &frame.buff, -FLOOR + 8), 0,
		 "adjust_head down to reserve + meta");
	T_EQ_U64(meta_len(), 8, "meta length kept");
	T_CHECK(memcmp(frame.buff.data_meta, "METADATA", 8) == 0 &&
		frame.buff.data_meta == frame.mem + UXDP_XDP_FRAME_RESERVE,
		"metadata moved to the floor");
	data = frame.buff.data;
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_head, &frame.buff, 20), 0,
		 "adjust_head forward with meta");
	T_CHECK((uint8_t *)frame.buff.data == data + 20 &&
		memcmp(frame.buff.data_meta, "METADATA", 8) == 0,
		"metadata follows forward");
}

static void
test_adjust_meta(void)
{
	fresh_frame();
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, -4), 0,
		 "adjust_meta 4");
	T_EQ_U64(meta_len(), 4, "meta 4");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, 4), 0,
		 "adjust_meta back to 0");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, 4), ERR(EINVAL),
		 "meta past data");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, -2),
		 ERR(EACCES), "meta not a multiple of 4");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, -36), 0,
		 "meta over 32 bytes (current kernels)");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, 36), 0, "reset");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, -FLOOR), 0,
		 "meta down to the reserve");
	T_EQ_U64(meta_len(), FLOOR, "meta fills the headroom");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, -4),
		 ERR(EINVAL), "meta into the reserve");
	T_EQ_U64(meta_len(), FLOOR, "refusal changes nothing");

	/* With more headroom the u8 length limit shows: 252 fits, 256 not. */
	fresh_frame();
	frame.buff.data = frame.mem + 512;
	frame.buff.data_meta = frame.buff.data;
	frame.buff.data_end = frame.mem + 512 + PKT;
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, -252), 0,
		 "meta 252");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_meta, &frame.buff, -4),
		 ERR(EACCES), "meta 256");
}

static void
test_adjust_tail(void)
{
	uint8_t *end;
	size_t i;
	bool zero = true;

	fresh_frame();
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_tail, &frame.buff, -(PKT - 14)), 0,
		 "shrink to 14 bytes");
	T_EQ_U64(data_len(), 14, "14 bytes");
	fresh_frame();
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_tail, &frame.buff, -(PKT - 13)),
		 ERR(EINVAL), "shrink to 13 bytes");
	T_EQ_U64(data_len(), PKT, "refusal changes nothing");

	fresh_frame();
	end = frame.buff.data_end;
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_tail, &frame.buff, TAIL_ROOM), 0,
		 "grow to the tailroom");
	T_EQ_U64(data_len(), UXDP_XDP_FRAME_SIZE - UXDP_XDP_HEADROOM -
		 UXDP_XDP_TAILROOM, "3520 bytes, as Linux allows");
	for (i = 0; i < TAIL_ROOM; i++)
		zero &= end[i] == 0;
	T_CHECK(zero, "grown bytes are zeroed");
	T_CHECK(frame.mem[UXDP_XDP_FRAME_SIZE - UXDP_XDP_TAILROOM] == 0xa5,
		"nothing past data_hard_end touched");
	fresh_frame();
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_tail, &frame.buff, TAIL_ROOM + 1),
		 ERR(EINVAL), "grow one byte past the tailroom");
	T_EQ_U64(call2(BPF_FUNC_xdp_get_buff_len, &frame.buff, 0), PKT,
		 "get_buff_len");
	T_EQ_U64(call2(BPF_FUNC_xdp_adjust_tail, &frame.buff, -10), 0,
		 "shrink 10");
	T_EQ_U64(call2(BPF_FUNC_xdp_get_buff_len, &frame.buff, 0), PKT - 10,
		 "get_buff_len after shrinking");
}

/* The same helpers from a program: the ctx reaches them untouched. */
static void
test_xdp_helpers_from_program(void)
{
	const struct bpf_insn prog[] = {
		MOV64_REG(R6, R1),
		MOV64_IMM(R2, -14), CALL_HELPER(BPF_FUNC_xdp_adjust_head),
		JMP_IMM(JNE, R0, 0, 9),
		MOV64_REG(R1, R6), MOV64_IMM(R2, 100),
		CALL_HELPER(BPF_FUNC_xdp_adjust_tail),
		JMP_IMM(JNE, R0, 0, 5),
		MOV64_REG(R1, R6), CALL_HELPER(BPF_FUNC_xdp_get_buff_len),
		LDX(W, R2, R6, 0), LDX(B, R2, R2, 14), ALU64_REG(ADD, R0, R2),
		EXIT(),
	};
	struct uxdp_obj *obj = t_load("xdp helpers", prog, N_INSNS(prog));

	T_CHECK(obj != NULL, "xdp helper program accepted");
	if (obj == NULL)
		return;
	fresh_frame();
	/* 64 + 14 + 100 bytes, and the old first byte is now at 14. */
	t_use_engine(uxdp_obj_prog_at(obj, 0));
	T_EQ_U64(uxdp_prog_run(uxdp_obj_prog_at(obj, 0), &frame.buff),
		 PKT + 14 + 100 + 0, "length from the program");
	T_EQ_U64(data_len(), PKT + 14 + 100, "buff updated");
	uxdp_obj_close(obj);
}

/* ---- csum_diff ---- */

static uint64_t
csum_diff(const void *from, uint32_t from_size, const void *to,
	  uint32_t to_size, uint32_t seed)
{
	return call(BPF_FUNC_csum_diff, (uintptr_t)from, from_size,
		    (uintptr_t)to, to_size, seed);
}

static void
test_csum_diff(void)
{
	/* RFC 1071's example: the big-endian 16-bit sum is 0xddf2; read
	 * as little-endian words the same sum is byte-swapped. */
	static const uint8_t rfc1071[] = {
		0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7,
	};
	/* An IPv4 header with its checksum field zeroed; its checksum is
	 * 0xb861, so the folded sum is ~0xb861 = 0x479e (big-endian). */
	static const uint8_t ipv4[] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0x00, 0x00, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	static const uint8_t from[4] = { 0x01, 0x02, 0x03, 0x04 };
	static const uint8_t to[4] = { 0x0a, 0x0b, 0x0c, 0x0d };
	static const uint8_t zeros[8] = { 0 };

	T_EQ_U64(csum_diff(NULL, 0, rfc1071, sizeof(rfc1071), 0), 0xf2dd,
		 "RFC 1071 example");
	T_EQ_U64(csum_diff(NULL, 0, ipv4, sizeof(ipv4), 0), 0x9e47,
		 "IPv4 header sum");
	/* Diffing: sum(to) - sum(from), folded; value from Linux 6.18. */
	T_EQ_U64(csum_diff(from, 4, to, 4, 0), 0x1212, "4-byte diff");
	/* Replacing a word by itself changes nothing: the result is the
	 * seed's fold, here ones' complement zero (0xffff). */
	T_EQ_U64(csum_diff(from, 4, from, 4, 0), 0xffff, "diff with itself");
	/* Pushing then pulling the same data gives back the seed. */
	T_EQ_U64(csum_diff(ipv4, sizeof(ipv4), NULL, 0,
			   (uint32_t)csum_diff(NULL, 0, ipv4, sizeof(ipv4),
					       0x1234)),
		 0x1234, "pull undoes push");
	T_EQ_U64(csum_diff(NULL, 0, NULL, 0, 0x12345678), 0x68ac,
		 "seed only, folded");
	T_EQ_U64(csum_diff(NULL, 0, zeros, 8, 0), 0, "zeros");
	/* A short tail is zero-padded: 3 bytes sum like 4 with a 0. */
	T_EQ_U64(csum_diff(NULL, 0, rfc1071, 3, 0),
		 csum_diff(NULL, 0, (const uint8_t[]){ 0x00, 0x01, 0xf2, 0 },
			   4, 0), "odd size");
}

/* ---- trace_printk ---- */

static uint64_t
printk(const char *fmt, uint64_t a, uint64_t b, uint64_t c)
{
	return call(BPF_FUNC_trace_printk, (uintptr_t)fmt, strlen(fmt) + 1,
		    a, b, c);
}

static void
test_trace_printk(void)
{
	const char no_nul[4] = { 'a', 'b', 'c', 'd' };
	char *log_text = NULL;
	size_t log_len = 0;
	FILE *log = open_memstream(&log_text, &log_len);

	/* The message goes to the uxdp.bpf log type, one line each. */
	T_CHECK(log != NULL && rte_openlog_stream(log) == 0, "log captured");
	T_EQ_U64(printk("x=%d\n", 42, 0, 0), 5, "length of x=42\\n");
	T_EQ_U64(printk("no newline %u", 7, 0, 0), 12, "length without \\n");
	T_EQ_U64(printk("%q", 0, 0, 0), ERR(EINVAL), "refused: not logged");
	rte_openlog_stream(NULL);
	if (log != NULL)
		fclose(log);
	T_CHECK(log_text != NULL && strcmp(log_text,
		"bpf_trace_printk: x=42\nbpf_trace_printk: no newline 7\n") == 0,
		"logged text: %s", log_text != NULL ? log_text : "(none)");
	free(log_text);
	rte_log_set_level(uxdp_bpf_logtype, RTE_LOG_WARNING);

	T_EQ_U64(printk("x=%d\n", 42, 0, 0), 5, "length of x=42\\n");
	T_EQ_U64(printk("%d", 0xffffffffull, 0, 0), 2, "%%d is 32-bit");
	T_EQ_U64(printk("%ld", 0xffffffffull, 0, 0), 10, "%%ld is 64-bit");
	T_EQ_U64(printk("%lld %llu", (uint64_t)-1, (uint64_t)-1, 0), 23,
		 "%%lld %%llu");
	T_EQ_U64(printk("%x %X %lx", 0xdeadbeef, 0xab, 0x100000000ull), 21,
		 "hex");
	T_EQ_U64(printk("%i %u %li %lu", 1, 2, 3), ERR(EINVAL),
		 "four conversions");
	T_EQ_U64(printk("%i %u %li", (uint64_t)-5, 2, 3), 6, "%%i %%u %%li");
	T_EQ_U64(printk("%5d|%-3d|%03x", 42, 7, 10), 13, "width and flags");
	T_EQ_U64(printk("%c%c", 'o', 'k', 0), 2, "%%c");
	T_EQ_U64(printk("%p", 0x1234, 0, 0), 16, "%%p");
	T_EQ_U64(printk("100%%", 0, 0, 0), 4, "%%%%");
	/* Memory the run cannot read (here: no run) prints as the kernel
	 * prints a fault: an empty string, a zero address. */
	T_EQ_U64(printk("%s", 0, 0, 0), 0, "%%s of unreadable memory");
	T_EQ_U64(printk("%pI4", 0, 0, 0), 7, "%%pI4 of unreadable memory");
	T_EQ_U64(printk("%sx", 0, 0, 0), ERR(EINVAL), "%%s then a letter");
	T_EQ_U64(printk("%pZ", 0, 0, 0), ERR(EINVAL), "%%pZ refused");
	T_EQ_U64(printk("%q", 0, 0, 0), ERR(EINVAL), "unknown conversion");
	T_EQ_U64(printk("%lll", 0, 0, 0), ERR(EINVAL), "lll");
	T_EQ_U64(printk("%", 0, 0, 0), ERR(EINVAL), "lone %%");
	T_EQ_U64(printk("bell\a", 0, 0, 0), ERR(EINVAL), "control character");
	T_EQ_U64(printk("caf\xc3\xa9", 0, 0, 0), ERR(EINVAL), "non-ASCII");
	T_EQ_U64(call(BPF_FUNC_trace_printk, (uintptr_t)no_nul, sizeof(no_nul),
		      0, 0, 0), ERR(EINVAL), "no NUL within fmt_size");
	T_EQ_U64(call(BPF_FUNC_trace_printk, (uintptr_t)"ab\0cd", 6, 0, 0, 0),
		 2, "NUL before fmt_size ends the format");
	T_EQ_U64(call(BPF_FUNC_trace_printk, (uintptr_t)"abc", 0, 0, 0, 0),
		 ERR(EINVAL), "fmt_size 0");
	/* The kernel takes any width; the length counts it all. */
	T_EQ_U64(printk("%2000d", 1, 0, 0), 2000, "wide");
}

/* ---- time, randomness, CPU ---- */

static uint64_t
clock_now(clockid_t c)
{
	struct timespec ts;

	clock_gettime(c, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void
test_misc(void)
{
	uint64_t before, t, later;
	uint32_t r[8];
	unsigned int i, distinct = 0;

	before = clock_now(CLOCK_MONOTONIC);
	t = call(BPF_FUNC_ktime_get_ns, 0, 0, 0, 0, 0);
	later = clock_now(CLOCK_MONOTONIC);
	T_CHECK(before <= t && t <= later, "ktime_get_ns is CLOCK_MONOTONIC");
	before = clock_now(CLOCK_BOOTTIME);
	t = call(BPF_FUNC_ktime_get_boot_ns, 0, 0, 0, 0, 0);
	later = clock_now(CLOCK_BOOTTIME);
	T_CHECK(before <= t && t <= later, "ktime_get_boot_ns is CLOCK_BOOTTIME");
	before = clock_now(CLOCK_MONOTONIC_COARSE);
	t = call(BPF_FUNC_ktime_get_coarse_ns, 0, 0, 0, 0, 0);
	later = clock_now(CLOCK_MONOTONIC_COARSE);
	T_CHECK(before <= t && t <= later, "ktime_get_coarse_ns is coarse");

	for (i = 0; i < 8; i++) {
		uint64_t v = call(BPF_FUNC_get_prandom_u32, 0, 0, 0, 0, 0);

		T_CHECK(v <= UINT32_MAX, "prandom is 32-bit");
		r[i] = (uint32_t)v;
		distinct += i > 0 && r[i] != r[i - 1];
	}
	T_CHECK(distinct >= 6, "prandom varies (%u changes in 7)", distinct);
	T_EQ_U64(call(BPF_FUNC_get_smp_processor_id, 0, 0, 0, 0, 0), 0,
		 "cpu id outside an EAL lcore");
}

/* ---- map helpers from a program ---- */

static void
test_map_helpers(void)
{
	const struct uxdp_map_def def = {
		.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8,
		.max_entries = 4,
	};
	struct uxdp_map *map = NULL;
	struct uxdp_obj *obj;
	uint64_t value;
	uint32_t key = 7;
	int ret;

	ret = uxdp_map_create("helper_test", &def, UXDP_MEM_HEAP, &map);
	T_EQ_U64(ret, 0, "hash map created");
	if (ret < 0)
		return;
	{
		/* update(7 -> 1000), lookup, add 5 through the pointer,
		 * update with BPF_NOEXIST (must fail -EEXIST), delete. The
		 * result packs lookup-value + 5, the NOEXIST error and the
		 * lookup after delete (must be NULL). */
		const struct bpf_insn prog[] = {
			ST(W, R10, -4, 7), ST(DW, R10, -16, 1000),
			LD_IMM64(R1, (uintptr_t)map), MOV64_REG(R2, R10),
			ALU64_IMM(ADD, R2, -4), MOV64_REG(R3, R10),
			ALU64_IMM(ADD, R3, -16), MOV64_IMM(R4, BPF_ANY),
			CALL_HELPER(BPF_FUNC_map_update_elem),
			JMP_IMM(JNE, R0, 0, 35),
			LD_IMM64(R1, (uintptr_t)map), MOV64_REG(R2, R10),
			ALU64_IMM(ADD, R2, -4),
			CALL_HELPER(BPF_FUNC_map_lookup_elem),
			JMP_IMM(JEQ, R0, 0, 29),
			MOV64_IMM(R2, 5), ATOMIC(DW, R0, R2, 0, BPF_ADD),
			LDX(DW, R6, R0, 0),
			LD_IMM64(R1, (uintptr_t)map), MOV64_REG(R2, R10),
			ALU64_IMM(ADD, R2, -4), MOV64_REG(R3, R10),
			ALU64_IMM(ADD, R3, -16), MOV64_IMM(R4, BPF_NOEXIST),
			CALL_HELPER(BPF_FUNC_map_update_elem),
			MOV64_REG(R7, R0),
			LD_IMM64(R1, (uintptr_t)map), MOV64_REG(R2, R10),
			ALU64_IMM(ADD, R2, -4),
			CALL_HELPER(BPF_FUNC_map_delete_elem),
			MOV64_REG(R8, R0),
			LD_IMM64(R1, (uintptr_t)map), MOV64_REG(R2, R10),
			ALU64_IMM(ADD, R2, -4),
			CALL_HELPER(BPF_FUNC_map_lookup_elem),
			/* r0 = lookup-after-delete | r8 (delete) */
			ALU64_REG(OR, R0, R8),
			ALU64_IMM(LSH, R0, 8),
			ALU64_IMM(MUL, R7, -1), ALU64_REG(OR, R0, R7),
			ALU64_IMM(LSH, R0, 16), ALU64_REG(OR, R0, R6),
			EXIT(),
		};

		obj = t_load("map helpers", prog, N_INSNS(prog));
		T_CHECK(obj != NULL, "map program accepted");
		if (obj != NULL) {
			value = t_run(uxdp_obj_prog_at(obj, 0), NULL);
			T_EQ_U64(value & 0xffff, 1005, "looked-up value + 5");
			T_EQ_U64((value >> 16) & 0xff, EEXIST,
				 "BPF_NOEXIST on an existing key");
			T_EQ_U64(value >> 24, 0,
				 "delete returned 0, then lookup NULL");
			T_EQ_U64(uxdp_map_lookup(map, &key) == NULL, 1,
				 "key gone from the map");
		}
		uxdp_obj_close(obj);
	}
	uxdp_map_destroy(map);
}

int
main(int argc, char **argv)
{
	t_parse_engine(argc, argv);
	test_table();
	test_adjust_head();
	test_adjust_meta();
	test_adjust_tail();
	test_xdp_helpers_from_program();
	test_csum_diff();
	test_trace_printk();
	test_misc();
	test_map_helpers();
	return t_summary();
}
