/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_BPF_H
#define UXDP_BPF_H

/**
 * @file
 * The program runtime: load a clang/libbpf BPF object, check it and run one
 * of its XDP programs over a buffer described by struct uxdp_xdp_buff.
 * Knows nothing of ethdev or mbufs.
 */

#include <stdint.h>
#include <stddef.h>

#include "uxdp_map.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Size of an error message buffer that always suffices. */
#define UXDP_ERR_MAX 256

/**
 * Bytes the kernel keeps at the very start of an XDP frame for its own
 * struct xdp_frame; bpf_xdp_adjust_head/meta cannot move data below it.
 */
#define UXDP_XDP_FRAME_RESERVE 40
/** Headroom Linux gives an XDP program (XDP_PACKET_HEADROOM). */
#define UXDP_XDP_HEADROOM 256
/** Tail the kernel reserves in a frame for skb_shared_info. */
#define UXDP_XDP_TAILROOM 320
/** Frame size of BPF_PROG_TEST_RUN and of most drivers. */
#define UXDP_XDP_FRAME_SIZE 4096

/**
 * One packet as the engine sees it. The program's ctx (struct xdp_md) is a
 * view of this structure: the loader rewrites ctx loads of data, data_end
 * and data_meta into 64-bit loads of the pointers below, the way the kernel
 * rewrites them, and the ifindex/queue fields into loads of the u32s.
 * Helpers such as bpf_xdp_adjust_head() receive a pointer to it.
 *
 * Layout is part of the engine ABI: keep the pointer fields first.
 */
struct uxdp_xdp_buff {
	void *data;            /**< first packet byte */
	void *data_end;        /**< one past the last packet byte */
	void *data_meta;       /**< metadata start; == data when none */
	void *data_hard_start; /**< frame start; headroom begins here */
	void *data_hard_end;   /**< limit for bpf_xdp_adjust_tail() growth */
	uint32_t ingress_ifindex;
	uint32_t rx_queue_index;
	uint32_t egress_ifindex;
	uint32_t reserved;
};

/** XDP verdicts (enum xdp_action). */
enum uxdp_action {
	UXDP_ABORTED = 0,
	UXDP_DROP = 1,
	UXDP_PASS = 2,
	UXDP_TX = 3,
	UXDP_REDIRECT = 4,
};

/** "XDP_PASS" etc., or "XDP_UNKNOWN" for other values. */
const char *uxdp_action_name(uint32_t action);

/** Execution engine. */
enum uxdp_engine {
	UXDP_ENGINE_INTERP = 0,
	UXDP_ENGINE_JIT = 1,
};

/** Loader options. Zero-initialised means heap maps, all defaults. */
struct uxdp_obj_opts {
	enum uxdp_mem_kind map_mem; /**< where maps are created */
};

/** A loaded object: its programs and maps. */
struct uxdp_obj;
/** One program of an object, relocated and checked, ready to run. */
struct uxdp_prog;

/**
 * Load a BPF ELF object: parse, create its maps, relocate and check every
 * program. On failure returns -errno and writes a message naming the
 * section, symbol or instruction into err (UXDP_ERR_MAX bytes).
 */
int uxdp_obj_load(const char *path, const struct uxdp_obj_opts *opts,
		  struct uxdp_obj **out, char *err, size_t err_len);

/** Free an object, its programs and its maps. NULL is accepted. */
void uxdp_obj_close(struct uxdp_obj *obj);

/**
 * Find an XDP program by function name or by ELF section name; NULL picks
 * the first XDP program in section order. Returns NULL and writes err when
 * nothing matches.
 */
struct uxdp_prog *uxdp_obj_find_prog(struct uxdp_obj *obj, const char *sel,
				     char *err, size_t err_len);

unsigned int uxdp_obj_prog_count(const struct uxdp_obj *obj);
struct uxdp_prog *uxdp_obj_prog_at(struct uxdp_obj *obj, unsigned int i);
unsigned int uxdp_obj_map_count(const struct uxdp_obj *obj);
struct uxdp_map *uxdp_obj_map_at(struct uxdp_obj *obj, unsigned int i);
struct uxdp_map *uxdp_obj_map_by_name(struct uxdp_obj *obj, const char *name);

const char *uxdp_prog_name(const struct uxdp_prog *prog);
const char *uxdp_prog_section(const struct uxdp_prog *prog);
/** Instructions after linking subprograms (ld_imm64 counts as two). */
uint32_t uxdp_prog_insn_count(const struct uxdp_prog *prog);

/**
 * Choose the engine a program runs with. Returns -ENOTSUP (and writes err)
 * for an engine this build does not have.
 */
int uxdp_prog_set_engine(struct uxdp_prog *prog, enum uxdp_engine engine,
			 char *err, size_t err_len);
enum uxdp_engine uxdp_prog_engine(const struct uxdp_prog *prog);

/**
 * Run the program once over buff and return its r0 (the XDP verdict).
 * Helpers may move buff->data, data_end and data_meta; the caller writes
 * them back to its own packet representation. Thread-safe: any number of
 * lcores may run the same program at once.
 */
uint32_t uxdp_prog_run(const struct uxdp_prog *prog, struct uxdp_xdp_buff *buff);

#ifdef __cplusplus
}
#endif

#endif /* UXDP_BPF_H */
