/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Test program for bpf_snprintf(), bpf_trace_vprintk() and bpf_strncmp().
 * Each frame gets a trailer: SLOTS text slots of SLOT bytes, each filled
 * by one bpf_snprintf() from values read out of the frame (32- and 64-bit
 * integers in every conversion, flags and widths, %c, strings and IP
 * addresses from the stack, %pI6 from the packet, a truncated output),
 * then RESULTS words of return values: snprintf lengths, bpf_strncmp()
 * against read-only strings, and bpf_trace_vprintk() on formats the
 * kernel refuses (each -EINVAL) and on one it prints.
 *
 * bpf_snprintf()'s format must be valid for the kernel to load the
 * program, so its refusals are exercised through bpf_trace_vprintk(),
 * which checks at run time. Frames shorter than 40 bytes pass untouched.
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SLOTS 5
#define SLOT 40
#define RESULTS 8

/* Eight small return values packed into one word, a byte each. */
#define PACK(w, k, v) ((w) |= ((__u64)(__u8)(v)) << (8 * (k)))

static const char fmt_bad0[] = "%hd";
static const char fmt_bad1[] = "%.2d";
static const char fmt_bad2[] = "%sx";
static const char fmt_bad3[] = "%pZ";
static const char fmt_bad4[] = "%lc";
static const char fmt_bad5[] = "%d %d";
static const char fmt_bad6[] = "bell\a";
static const char fmt_bad7[] = "%lllx";
static const char fmt_good[] = "helper_fmt %u %s\n";

SEC("xdp")
int helper_fmt(struct xdp_md *ctx)
{
	char out[SLOTS * SLOT] = {};
	__u64 res[RESULTS] = {};
	__u64 args[6] = {};
	__u64 sbuf[2] = {};
	char *s = (char *)sbuf, *p;
	__u32 len = bpf_xdp_get_buff_len(ctx);
	__u32 v32;
	__u64 v64;
	int i;

	if (len < 40)
		return XDP_PASS;
	if (bpf_xdp_load_bytes(ctx, 24, s, 16) != 0)
		return XDP_ABORTED;
	v32 = (__u32)sbuf[0];
	v64 = sbuf[1] ^ (sbuf[0] >> 32);

	args[0] = v32;
	args[1] = v32;
	args[2] = v32;
	args[3] = v32;
	args[4] = v32;
	res[0] = bpf_snprintf(out, SLOT, "%d %i %u %x %X", args, 40);
	args[0] = v64;
	args[1] = v64;
	args[2] = v64 >> 7;
	args[3] = v64;
	args[4] = v64 >> 3;
	res[0] |= (__u64)bpf_snprintf(out + SLOT, SLOT, "%ld|%lld|%lu|%llx|%lX",
				      args, 40) << 16;
	args[0] = (int)(__s8)s[0];
	args[1] = (int)(__s8)s[1];
	args[2] = (int)(__s8)s[2];
	args[3] = (int)(__s8)s[3] & 7;
	args[4] = (int)(__s8)s[4];
	args[5] = (int)(__s8)s[5];
	res[0] |= (__u64)bpf_snprintf(out + 2 * SLOT, SLOT,
				      "%5d|%-5d|%05d|%+d|% d|%-+6d", args, 48)
		<< 32;

	/* A printable string on the stack, from the frame's bytes. */
	for (i = 0; i < 8; i++)
		s[8 + i] = (s[8 + i] & 0x3f) | 0x40;
	/* Hide s's alignment: clang would otherwise build s + 8 + n as
	 * (s + 8) | n, which the kernel verifier refuses on a pointer. */
	p = s;
	asm volatile("" : "+r"(p));
	p[8 + ((v32 & 7) == 7 ? 6 : (v32 & 7))] = 0;
	p[15] = 0;
	args[0] = (__u64)(long)p;
	args[1] = (__u64)(long)(p + 4);
	args[2] = (__u64)(long)(p + 8);
	args[3] = (__u64)(long)(p + 8);
	args[4] = (__u64)(long)(p + 9);
	args[5] = (__u64)(long)(p + 8);
	res[1] = bpf_snprintf(out + 3 * SLOT, SLOT, "%pI4 %pi4|%s|%6s|%-4pks|%pus",
			      args, 48);
	/* An IPv6 address from the packet itself. */
	args[0] = (__u64)(long)(void *)(long)ctx->data;
	res[1] |= (__u64)bpf_snprintf(out + 4 * SLOT, SLOT, "%pI6", args, 8) << 16;
	args[0] = s[8];
	args[1] = s[9] & 0x7f;
	args[2] = v32;
	args[3] = 'x';
	res[1] |= (__u64)bpf_snprintf(out + 4 * SLOT + 39, 1, "%c%c%px%3c",
				      args, 32) << 32;
	res[1] |= (__u64)bpf_snprintf(0, 0, "%c%c%px%3c", args, 32) << 48;
	res[2] = bpf_snprintf(s, 5, "%x", args + 2, 8);
	res[2] |= (__u64)s[4] << 8 | (__u64)s[3] << 16;

	/* strncmp: s is now hex digits and a NUL; compare with constants. */
	PACK(res[3], 0, bpf_strncmp(s, 5, "abcd"));
	PACK(res[3], 1, bpf_strncmp(s, 5, "0"));
	PACK(res[3], 2, bpf_strncmp(s, 1, "0"));
	PACK(res[3], 3, bpf_strncmp(s, 2, "0a"));
	PACK(res[3], 4, bpf_strncmp(s, 5, ""));
	PACK(res[3], 5, bpf_strncmp(out, 8, "-1"));
	PACK(res[3], 6, bpf_strncmp(out + SLOT, 16, "12345678"));
	PACK(res[3], 7, bpf_strncmp(out + 3 * SLOT, 4, "127."));

	PACK(res[4], 0, bpf_trace_vprintk(fmt_bad0, sizeof(fmt_bad0), args, 8));
	PACK(res[4], 1, bpf_trace_vprintk(fmt_bad1, sizeof(fmt_bad1), args, 8));
	PACK(res[4], 2, bpf_trace_vprintk(fmt_bad2, sizeof(fmt_bad2), args, 8));
	PACK(res[4], 3, bpf_trace_vprintk(fmt_bad3, sizeof(fmt_bad3), args, 8));
	PACK(res[4], 4, bpf_trace_vprintk(fmt_bad4, sizeof(fmt_bad4), args, 8));
	PACK(res[4], 5, bpf_trace_vprintk(fmt_bad5, sizeof(fmt_bad5), args, 8));
	PACK(res[4], 6, bpf_trace_vprintk(fmt_bad6, sizeof(fmt_bad6), args, 8));
	PACK(res[4], 7, bpf_trace_vprintk(fmt_bad7, sizeof(fmt_bad7), args, 8));
	PACK(res[5], 0, bpf_trace_vprintk(fmt_good, sizeof(fmt_good) - 1,
					  args, 16));
	PACK(res[5], 1, bpf_trace_vprintk(fmt_good, sizeof(fmt_good), args, 4));
	PACK(res[5], 2, bpf_trace_vprintk(fmt_good, sizeof(fmt_good), args, 104));
	/* One message per 64 frames keeps the trace quiet. */
	if ((v32 & 63) == 0) {
		args[0] = len;
		args[1] = (__u64)(long)(p + 8);
		PACK(res[5], 3, bpf_trace_vprintk(fmt_good, sizeof(fmt_good),
						  args, 16));
	}

	if (bpf_xdp_adjust_tail(ctx, sizeof(out) + sizeof(res)) != 0)
		return XDP_DROP;
	if (bpf_xdp_store_bytes(ctx, len, out, sizeof(out)) != 0 ||
	    bpf_xdp_store_bytes(ctx, len + sizeof(out), res, sizeof(res)) != 0)
		return XDP_ABORTED;
	return XDP_PASS;
}

char _license[] SEC("license") = "GPL";
