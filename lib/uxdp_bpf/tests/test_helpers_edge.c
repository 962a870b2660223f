/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The paths of the newer helpers that the kernel oracle (xdp_progs
 * helper_*.c) cannot reach, because the kernel verifier refuses such
 * programs or the kernel's device differs: bpf_snprintf() with bad
 * formats and argument arrays, bpf_check_mtu() with other MTUs and
 * devices, bpf_strncmp()'s sign, zero-length copies, the rate limit
 * of bpf_trace_vprintk()'s log lines, and bpf_spin_lock() misuse. Helpers are called directly
 * through the table, as both engines call them.
 */

#include <errno.h>

#include <rte_log.h>

#include "test_interp_insn.h"

#define ERR(e) ((uint64_t)(int64_t)-(e))

static uint64_t
call(uint32_t id, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4,
     uint64_t r5)
{
	return uxdp_helper_get(id)->fn(r1, r2, r3, r4, r5);
}

static uint64_t
snprintf_h(char *str, uint32_t size, const char *fmt, const uint64_t *data,
	   uint32_t data_len)
{
	return call(BPF_FUNC_snprintf, (uintptr_t)str, size, (uintptr_t)fmt,
		    (uintptr_t)data, data_len);
}

static void
test_snprintf(void)
{
	uint64_t args[13] = { 42, 7, 0xabc, (uint64_t)-1 };
	const uint64_t strs[3] = { 0, 0, '*' };
	char out[32];

	memset(out, 'z', sizeof(out));
	T_EQ_U64(snprintf_h(out, sizeof(out), "%d-%u", args, 16), 5,
		 "length with NUL");
	T_CHECK(strcmp(out, "42-7") == 0, "text: %s", out);
	T_EQ_U64(snprintf_h(out, 3, "%x|%lld", args + 2, 16), 7,
		 "truncated: whole length");
	T_CHECK(strcmp(out, "ab") == 0, "truncated text: %s", out);
	T_EQ_U64(snprintf_h(NULL, 0, "%5d", args, 8), 6, "size 0");

	/* Refusals write nothing (the kernel would refuse the program). */
	memset(out, 'z', sizeof(out));
	T_EQ_U64(snprintf_h(out, sizeof(out), "%d %d", args, 8), ERR(EINVAL),
		 "more conversions than arguments");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%.3d", args, 8), ERR(EINVAL),
		 "precision");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%hhd", args, 8), ERR(EINVAL),
		 "h");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%#x", args, 8), ERR(EINVAL),
		 "#");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%sabc", args, 8), ERR(EINVAL),
		 "%%s then a letter");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%pQ", args, 8), ERR(EINVAL),
		 "%%pQ");
	T_EQ_U64(snprintf_h(out, sizeof(out), "tab\tok\x7f", args, 0),
		 ERR(EINVAL), "DEL character");
	T_CHECK(out[0] == 'z', "refusals leave str alone");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%d", args, 4), ERR(EINVAL),
		 "data_len not a multiple of 8");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%d", args, 104), ERR(EINVAL),
		 "13 arguments");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%d", NULL, 8), ERR(EINVAL),
		 "NULL data");
	T_EQ_U64(snprintf_h(out, sizeof(out), "%d%d%d%d%d%d%d%d%d%d%d%d",
			    args, 96), 18, "12 arguments");
	T_CHECK(strcmp(out, "4272748-100000000") == 0, "text: %s", out);
	T_EQ_U64(snprintf_h(out, sizeof(out), "%s|%5s|%-3c|", strs, 24), 12,
		 "unreadable string (no run) is empty");
	T_CHECK(strcmp(out, "|     |*  |") == 0, "text: %s", out);
}

static void
test_check_mtu(void)
{
	uint8_t frame[128] = { 0 };
	struct uxdp_xdp_buff b = {
		.data = frame, .data_end = frame + 100, .data_meta = frame,
		.data_hard_start = frame, .data_hard_end = frame + 128,
		.ingress_ifindex = 5,
	};
	uint32_t mtu = 0;

	T_EQ_U64(call(BPF_FUNC_check_mtu, (uintptr_t)&b, 0, (uintptr_t)&mtu,
		      0, 0), 0, "100 bytes in the default MTU");
	T_EQ_U64(mtu, UXDP_DEFAULT_MTU, "mtu 0 means UXDP_DEFAULT_MTU");
	mtu = 0;
	T_EQ_U64(call(BPF_FUNC_check_mtu, (uintptr_t)&b, 5, (uintptr_t)&mtu,
		      1500 + 14 - 100, 0), 0, "exactly the MTU");
	mtu = 0;
	T_EQ_U64(call(BPF_FUNC_check_mtu, (uintptr_t)&b, 5, (uintptr_t)&mtu,
		      1500 + 15 - 100, 0), BPF_MTU_CHK_RET_FRAG_NEEDED,
		 "one byte over");
	b.mtu = 9000;
	mtu = 9000;
	T_EQ_U64(call(BPF_FUNC_check_mtu, (uintptr_t)&b, 0, (uintptr_t)&mtu,
		      0, 0), 0, "L3 length of a jumbo MTU");
	mtu = 9001;
	T_EQ_U64(call(BPF_FUNC_check_mtu, (uintptr_t)&b, 0, (uintptr_t)&mtu,
		      0, 0), BPF_MTU_CHK_RET_FRAG_NEEDED, "L3 length over");
	T_EQ_U64(mtu, 9000, "the port's MTU written back");
	mtu = 3;
	T_EQ_U64(call(BPF_FUNC_check_mtu, (uintptr_t)&b, 6, (uintptr_t)&mtu,
		      0, 0), ERR(ENODEV), "another device");
	T_EQ_U64(mtu, 3, "untouched on error");
	T_EQ_U64(call(BPF_FUNC_check_mtu, (uintptr_t)&b, 0, 0, 0, 0),
		 ERR(EFAULT), "NULL mtu_len");
	T_EQ_U64(call(BPF_FUNC_check_mtu, (uintptr_t)&b, 0, (uintptr_t)&mtu,
		      0, 2), ERR(EINVAL), "flags");

	T_EQ_U64(call(BPF_FUNC_xdp_load_bytes, (uintptr_t)&b, 100, 0, 0, 0),
		 0, "load 0 bytes at the end");
	T_EQ_U64(call(BPF_FUNC_xdp_store_bytes, (uintptr_t)&b, 101, 0, 0, 0),
		 ERR(EINVAL), "store 0 bytes past the end");
}

static void
test_strncmp(void)
{
	T_EQ_U64(call(BPF_FUNC_strncmp, (uintptr_t)"abc", 4, (uintptr_t)"abd",
		      0, 0), (uint64_t)-1, "less: -1, sign-extended");
	T_EQ_U64(call(BPF_FUNC_strncmp, (uintptr_t)"abe", 4, (uintptr_t)"abd",
		      0, 0), 1, "greater: 1");
	T_EQ_U64(call(BPF_FUNC_strncmp, (uintptr_t)"abe", 2, (uintptr_t)"abd",
		      0, 0), 0, "first s1_sz bytes only");
	T_EQ_U64(call(BPF_FUNC_strncmp, (uintptr_t)"\xff", 2, (uintptr_t)"a",
		      0, 0), 1, "bytes compare unsigned");
}

/* 1000 messages in a burst: at most 100 a second reach the log, then one
 * line counts the dropped ones (two windows at most in this burst). */
static void
test_vprintk_rate(void)
{
	char *text = NULL;
	size_t len = 0, lines = 0, i;
	FILE *log = open_memstream(&text, &len);
	uint64_t arg = 1;

	T_CHECK(log != NULL && rte_openlog_stream(log) == 0, "log captured");
	for (i = 0; i < 1000; i++)
		T_EQ_U64(call(BPF_FUNC_trace_vprintk, (uintptr_t)"m %d\n", 6,
			      (uintptr_t)&arg, 8, 0), 4, "vprintk length");
	rte_openlog_stream(NULL);
	if (log != NULL)
		fclose(log);
	for (i = 0; text != NULL && i < len; i++)
		lines += text[i] == '\n';
	T_CHECK(lines >= 100 && lines <= 202, "%zu log lines for 1000 calls",
		lines);
	T_CHECK(text != NULL && strncmp(text, "bpf_trace_vprintk: m 1\n",
					23) == 0, "first line: %.40s",
		text != NULL ? text : "(none)");
	free(text);
}

/* A program that takes a lock twice and exits holding it: the kernel
 * verifier refuses it; uxdp must neither hang nor leave the lock taken. */
static uint32_t leaked_lock;

static void
test_spin_lock_rules(void)
{
	const struct bpf_insn insns[] = {
		LD_IMM64(1, (uintptr_t)&leaked_lock),
		CALL_HELPER(BPF_FUNC_spin_lock),
		LD_IMM64(1, (uintptr_t)&leaked_lock),
		CALL_HELPER(BPF_FUNC_spin_lock),
		MOV64_IMM(0, 2),
		EXIT(),
	};
	struct uxdp_obj *obj = t_load("leak_lock", insns, N_INSNS(insns));
	static struct t_frame f;
	uint8_t pkt[64] = { 0 };
	int i;

	if (obj == NULL) {
		t_failed++;
		return;
	}
	for (i = 0; i < 3; i++) {
		t_frame_init(&f, pkt, sizeof(pkt));
		T_EQ_U64(uxdp_prog_run(uxdp_obj_prog_at(obj, 0), &f.buff), 2,
			 "run with a leaked lock ends");
		T_EQ_U64(leaked_lock, 0, "lock released when the run ends");
	}
	uxdp_obj_close(obj);
	/* Unlocking a lock this thread does not hold leaves it alone. */
	leaked_lock = 1;
	call(BPF_FUNC_spin_unlock, (uintptr_t)&leaked_lock, 0, 0, 0, 0);
	T_EQ_U64(leaked_lock, 1, "another thread's lock untouched");
}

int
main(void)
{
	test_spin_lock_rules();
	test_snprintf();
	test_check_mtu();
	test_strncmp();
	test_vprintk_rate();
	return t_summary();
}
