/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The program a conformance test hands over, made runnable by uxdp.
 *
 * The protocol's default (plain memory: r1 = memory, r2 = length) is not
 * how an XDP program starts: uxdp's checker takes r1 at entry to be the
 * xdp_md ctx and rewrites or refuses accesses through it, which is what
 * XDP programs need and must stay so. Such a program is therefore not
 * loaded as it is but called, as a bpf-to-bpf function, from a prologue
 * of five instructions:
 *
 *	0: r1 = <address of the memory> ll
 *	2: r2 = <length>
 *	3: call pc+1          (the test's program, at instruction 5)
 *	4: exit               (r0 of the test's program)
 *
 * The test suite gives memory to raw programs the same way (an ld_imm64
 * of the host address). A call rather than plain prefixing keeps the
 * test's program a function of its own, so the checker still refuses a
 * jump out of it, and its r1 is a scalar, not the ctx. The price is one of
 * the UXDP_MAX_CALL_DEPTH (8) frames. Refusals name instructions of the
 * whole program: they are renumbered to the test's own.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bpf.h>

#include "conf_prog.h"

#define PROLOGUE_INSNS 5

/* Packet the XDP frame holds, as uxdp-run (BPF_PROG_TEST_RUN's linear
 * limit). */
#define XDP_MAX_PKT (UXDP_XDP_FRAME_SIZE - UXDP_XDP_HEADROOM - \
		     UXDP_XDP_TAILROOM)

/*
 * The checker's messages count the prologue ("insn 7: ...", "jump to insn
 * 4 leaves its function (insns 5..6)"): renumber every instruction number
 * to the test's own, so that -1 and below mean "before the program".
 */
static void
renumber_err(char *err, size_t err_len)
{
	char out[UXDP_ERR_MAX];
	const char *p = err;
	size_t o = 0;

	if (err == NULL || err_len == 0)
		return;
	while (*p != '\0' && o + 1 < sizeof(out)) {
		const char *num = NULL;

		if (strncmp(p, "insns ", 6) == 0)
			num = p + 6;
		else if (strncmp(p, "insn ", 5) == 0)
			num = p + 5;
		if (num == NULL || *num < '0' || *num > '9') {
			out[o++] = *p++;
			continue;
		}
		/* Copy the word, then each number of "N" or "N..M". */
		while (p < num && o + 1 < sizeof(out))
			out[o++] = *p++;
		for (;;) {
			char *end;
			long v = strtol(p, &end, 10);
			int w = snprintf(out + o, sizeof(out) - o, "%ld",
					 v - PROLOGUE_INSNS);

			if (w < 0 || (size_t)w >= sizeof(out) - o)
				goto done;
			o += w;
			p = end;
			if (strncmp(p, "..", 2) != 0 || p[2] < '0' || p[2] > '9')
				break;
			if (o + 3 >= sizeof(out))
				goto done;
			out[o++] = '.';
			out[o++] = '.';
			p += 2;
		}
	}
done:
	out[o] = '\0';
	snprintf(err, err_len, "%s", out);
}

/*
 * Inside the prologue the test's program is a function, so a structural
 * refusal reads "jump to insn -1 leaves its function (insns 0..1)" where
 * the same program loaded on its own (the --xdp view) gets "jump out of
 * range (target -1, program has 2 instructions)". When the program on its
 * own is refused at the same instruction, that message is the one to give,
 * so that both views report the same error. Otherwise (it is refused
 * elsewhere, e.g. for reading r1 as memory rather than as xdp_md, or not
 * at all) the prologue's message stands.
 */
static void
prefer_bare_err(const struct bpf_insn *insns, uint32_t n, char *err,
		size_t err_len)
{
	char bare[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	unsigned int a, b;

	if (uxdp_obj_from_insns("conformance", insns, n, &obj, bare,
				sizeof(bare)) == 0) {
		uxdp_obj_close(obj);
		return;
	}
	if (sscanf(err, "insn %u:", &a) == 1 &&
	    sscanf(bare, "insn %u:", &b) == 1 && a == b)
		snprintf(err, err_len, "%s", bare);
}

static int
build_plain(struct conf_prog *cp, const uint8_t *code, size_t n,
	    char *err, size_t err_len)
{
	struct bpf_insn *insns;
	uintptr_t addr = (uintptr_t)cp->mem;
	int ret;

	insns = calloc(n + PROLOGUE_INSNS, sizeof(*insns));
	if (insns == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	insns[0].code = BPF_LD | BPF_DW | BPF_IMM;
	insns[0].dst_reg = BPF_REG_1;
	insns[0].imm = (int32_t)(uint32_t)addr;
	insns[1].imm = (int32_t)(uint32_t)((uint64_t)addr >> 32);
	insns[2].code = BPF_ALU64 | BPF_MOV | BPF_K;
	insns[2].dst_reg = BPF_REG_2;
	insns[2].imm = (int32_t)cp->mem_len;
	insns[3].code = BPF_JMP | BPF_CALL;
	insns[3].src_reg = BPF_PSEUDO_CALL;
	insns[3].imm = 1;
	insns[4].code = BPF_JMP | BPF_EXIT;
	/* Bytes, not structs: the input need not be aligned. */
	memcpy(insns + PROLOGUE_INSNS, code, n * sizeof(*insns));

	ret = uxdp_obj_from_insns("conformance", insns, n + PROLOGUE_INSNS,
				  &cp->obj, err, err_len);
	if (ret < 0) {
		renumber_err(err, err_len);
		prefer_bare_err(insns + PROLOGUE_INSNS, n, err, err_len);
	}
	free(insns);
	if (ret < 0)
		return ret;
	cp->prog = uxdp_obj_prog_at(cp->obj, 0);
	return 0;
}

static int
build_xdp_raw(struct conf_prog *cp, const uint8_t *code, size_t n,
	      char *err, size_t err_len)
{
	struct bpf_insn *insns;
	int ret;

	/* A copy: struct bpf_insn needs its alignment. */
	insns = malloc(n * sizeof(*insns));
	if (insns == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	memcpy(insns, code, n * sizeof(*insns));
	ret = uxdp_obj_from_insns("conformance", insns, n, &cp->obj, err,
				  err_len);
	free(insns);
	if (ret < 0)
		return ret;
	cp->prog = uxdp_obj_prog_at(cp->obj, 0);
	return 0;
}

static int
build_elf(struct conf_prog *cp, const uint8_t *code, size_t len,
	  char *err, size_t err_len)
{
	char why[UXDP_ERR_MAX];
	int ret;

	ret = uxdp_obj_load_mem(code, len, "conformance.o", NULL, &cp->obj,
				why, sizeof(why));
	if (ret < 0) {
		snprintf(err, err_len, "ELF object refused: %s", why);
		return ret;
	}
	/* The runner names the section "xdp" with --xdp_prolog, ".text"
	 * otherwise; uxdp runs XDP programs only, so the latter has none. */
	cp->prog = uxdp_obj_find_prog(cp->obj, NULL, why, sizeof(why));
	if (cp->prog == NULL) {
		snprintf(err, err_len, "ELF object refused: %s", why);
		return -ENOENT;
	}
	return 0;
}

int
conf_prog_build(struct conf_prog *cp, const uint8_t *code, size_t len,
		int is_elf, enum conf_mem_mode mode, const uint8_t *mem,
		size_t mem_len, enum uxdp_engine engine, char *err,
		size_t err_len)
{
	struct bpf_insn probe;
	int ret;

	memset(cp, 0, sizeof(*cp));
	/* An ELF program's r1 is the ctx: only the XDP view fits it. */
	cp->mode = is_elf ? CONF_MEM_XDP : mode;
	cp->mem_len = mem_len;

	if (len == 0) {
		snprintf(err, err_len, "no program on stdin");
		return -EINVAL;
	}
	if (!is_elf && len % sizeof(probe) != 0) {
		snprintf(err, err_len,
			 "program of %zu bytes is not a whole number of %zu-byte instructions",
			 len, sizeof(probe));
		return -EINVAL;
	}

	if (cp->mode == CONF_MEM_XDP) {
		if (mem_len > XDP_MAX_PKT) {
			snprintf(err, err_len,
				 "memory of %zu bytes exceeds the %d bytes of an XDP frame",
				 mem_len, XDP_MAX_PKT);
			return -EMSGSIZE;
		}
		/* The kernel test run's geometry (see uxdp-run): headroom a
		 * program may grow into reads as zeros. */
		cp->frame = aligned_alloc(64, UXDP_XDP_FRAME_SIZE);
		if (cp->frame == NULL) {
			snprintf(err, err_len, "out of memory");
			return -ENOMEM;
		}
		memset(cp->frame, 0, UXDP_XDP_FRAME_SIZE);
		if (mem_len > 0)
			memcpy(cp->frame + UXDP_XDP_HEADROOM, mem, mem_len);
	} else {
		size_t sz;

		/* r2 = length is a 32-bit immediate. */
		if (mem_len > INT32_MAX) {
			snprintf(err, err_len,
				 "memory of %zu bytes is too large", mem_len);
			return -E2BIG;
		}
		/* 16-byte aligned and never NULL, even for no memory, so that
		 * aligned atomics on it behave as on the kernel's buffers. */
		sz = (mem_len + 15) & ~(size_t)15;
		cp->mem = aligned_alloc(16, sz > 0 ? sz : 16);
		if (cp->mem == NULL) {
			snprintf(err, err_len, "out of memory");
			return -ENOMEM;
		}
		memset(cp->mem, 0, sz > 0 ? sz : 16);
		if (mem_len > 0)
			memcpy(cp->mem, mem, mem_len);
	}

	if (is_elf)
		ret = build_elf(cp, code, len, err, err_len);
	else if (cp->mode == CONF_MEM_XDP)
		ret = build_xdp_raw(cp, code, len / sizeof(probe), err,
				    err_len);
	else
		ret = build_plain(cp, code, len / sizeof(probe), err,
				  err_len);
	if (ret < 0)
		return ret;

	/* No fallback to the interpreter when the JIT refuses: a
	 * conformance run must measure the engine it was asked for. */
	return uxdp_prog_set_engine(cp->prog, engine, err, err_len);
}

uint64_t
conf_prog_run(struct conf_prog *cp)
{
	struct uxdp_xdp_buff buff;

	memset(&buff, 0, sizeof(buff));
	if (cp->mode == CONF_MEM_XDP) {
		buff.data_hard_start = cp->frame;
		buff.data = cp->frame + UXDP_XDP_HEADROOM;
		buff.data_meta = buff.data;
		buff.data_end = (uint8_t *)buff.data + cp->mem_len;
		buff.data_hard_end = cp->frame + UXDP_XDP_FRAME_SIZE -
			UXDP_XDP_TAILROOM;
	}
	/* Plain mode: the prologue overwrites r1, the buff is unused. */
	return uxdp_prog_run_r0(cp->prog, &buff);
}

void
conf_prog_free(struct conf_prog *cp)
{
	uxdp_obj_close(cp->obj);
	free(cp->frame);
	free(cp->mem);
	memset(cp, 0, sizeof(*cp));
}
