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

#include <stdbool.h>
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
	/** MTU of the device the packet arrived on, for bpf_check_mtu();
	 *  0 means UXDP_DEFAULT_MTU. Not visible in struct xdp_md. */
	uint32_t mtu;
	/** Where XDP_REDIRECT sends the frame; uxdp_prog_run() clears it,
	 *  the redirect helpers fill it in. Not visible in struct xdp_md. */
	struct uxdp_redirect {
		/** UXDP_REDIRECT_MULTI: the devmap whose entries get a copy */
		struct uxdp_map *map;
		uint32_t kind;      /**< enum uxdp_redirect_kind */
		/** target: IFINDEX and DEVMAP kinds */
		uint32_t ifindex;
		/** the kernel's tgt_index: last ifindex or devmap key set */
		uint32_t tgt_index;
		/** MULTI: BPF_F_EXCLUDE_INGRESS when asked */
		uint32_t flags;
		/** DEVMAP: the entry's devmap program (its registry id, 0:
		 *  none), taken with its ifindex at bpf_redirect_map() time as
		 *  the kernel takes both; ids are never reused, so the sender
		 *  resolves it to that program or to nothing. MULTI reads each
		 *  entry's program when it sends. */
		uint32_t prog_id;
	} redirect;
	/** The kernel frame a program's limits come from, when it is not the
	 *  buffer itself: frame_start is the kernel's data_hard_start (the
	 *  adjust_head/meta floor is UXDP_XDP_FRAME_RESERVE above it) and
	 *  frame_end its adjust_tail limit. Both may lie outside the buffer
	 *  [data_hard_start, data_hard_end), which then is where the bytes
	 *  may go: the helpers move the packet inside it when a program asks
	 *  for room the kernel frame has and the buffer has elsewhere. NULL:
	 *  the buffer is the kernel frame (floor data_hard_start + reserve,
	 *  tail limit data_hard_end) and nothing moves. */
	void *frame_start;
	void *frame_end;
	/** Multi-buffer frames (xdp.frags programs only): the fragments after
	 *  the linear part [data, data_end), in packet order, like the
	 *  kernel's skb_shared_info frags. nr_frags == 0: a linear frame. */
	struct uxdp_xdp_frag *frags;
	uint32_t nr_frags;
	/** Sum of the fragments' len (the kernel's xdp_frags_size). */
	uint32_t frags_len;
	/** Geometry helper calls that failed only because the buffer is
	 *  smaller than the kernel frame (frame_start/frame_end set): the
	 *  helpers add, the caller reads and clears. */
	uint32_t room_misses;
};

/** Most fragments of a multi-buffer frame (the kernel's MAX_SKB_FRAGS). */
#define UXDP_XDP_MAX_FRAGS 17

/**
 * One fragment of a multi-buffer frame. Helpers change len only (tail
 * growth into room, shrinking, dropping whole trailing fragments by
 * lowering nr_frags); whoever built the frame writes that back.
 */
struct uxdp_xdp_frag {
	uint8_t *data;  /**< first byte */
	uint32_t len;   /**< bytes of packet */
	uint32_t room;  /**< most bytes len may grow to from data */
	void *owner;    /**< the builder's handle (net_uxdp: the mbuf) */
};

/**
 * What bpf_redirect() and bpf_redirect_map() recorded in a run (the
 * kernel's per-CPU bpf_redirect_info): the caller of the run resolves it
 * once the program returned XDP_REDIRECT, as xdp_do_redirect() does.
 */
enum uxdp_redirect_kind {
	/** nothing recorded: an XDP_REDIRECT verdict has no target (error) */
	UXDP_REDIRECT_NONE = 0,
	/** bpf_redirect(ifindex), or a failed devmap lookup, which leaves the
	 *  kernel's ifindex redirect to tgt_index armed: ifindex = target */
	UXDP_REDIRECT_IFINDEX = 1,
	/** a devmap entry: ifindex = the entry's ifindex */
	UXDP_REDIRECT_DEVMAP = 2,
	/** BPF_F_BROADCAST: a copy to every entry of map */
	UXDP_REDIRECT_MULTI = 3,
};

/** MTU bpf_check_mtu() reports when uxdp_xdp_buff.mtu is 0: Ethernet's. */
#define UXDP_DEFAULT_MTU 1500

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

/**
 * One `volatile const` setting: a variable of a read-only global data
 * section (.rodata, .rodata.*) given a value before the programs are
 * checked, as a libbpf skeleton does before bpf_object__load(). The
 * variable is found by name in the object's BTF (DATASEC entries), so the
 * object needs BTF (clang -g). Variables of .data and .bss are refused:
 * programs can change those at run time, so they are not configuration.
 *
 * The value is either text (value != NULL) or raw bytes:
 * - text: an integer for an int or enum variable, decimal or 0x hex,
 *   negative only for signed types, and it must fit the type; it is stored
 *   little-endian (the object's and the host's byte order). Or
 *   "hex:<bytes>" for any variable, exactly its size (e.g. a char array).
 * - bytes: size bytes in memory order; size must equal the variable's.
 * Settings are applied in order: a later one for the same variable wins.
 */
struct uxdp_const_set {
	const char *name;  /**< variable name */
	const char *value; /**< text form, or NULL to use bytes/size */
	const void *bytes; /**< raw value when value is NULL */
	size_t size;       /**< length of bytes */
};

/**
 * How far a loaded program is trusted (devarg verify=, uxdp-run --verify).
 * The library's zero value is NONE, so that existing callers keep today's
 * behaviour; the PMD and uxdp-run default to AUTO.
 */
enum uxdp_verify {
	/** Trust the object: only the load-time ISA checks run, memory
	 * accesses are direct host pointers. */
	UXDP_VERIFY_NONE = 0,
	/** KERNEL where the BPF syscall works, else SANDBOX. Resolved at
	 * load; the program records the mode it got. */
	UXDP_VERIFY_AUTO,
	/** Load the object into the kernel (nothing attached, released at
	 * once) and accept it only if the kernel verifier does. Runs without
	 * run-time checks. */
	UXDP_VERIFY_KERNEL,
	/** uxdp's own pointer and range analysis refuses what is provably
	 * unsafe; every access it cannot prove in bounds is checked at run
	 * time, a failed check ends the run as XDP_ABORTED. */
	UXDP_VERIFY_SANDBOX,
};

/** Loader options. Zero-initialised means heap maps, all defaults. */
struct uxdp_obj_opts {
	enum uxdp_mem_kind map_mem; /**< where maps are created */
	/** `volatile const` settings, applied before the checks; none when
	 * n_consts is 0. Unknown names and bad values fail the load. */
	const struct uxdp_const_set *consts;
	unsigned int n_consts;
	/** A live object whose maps this load shares instead of creating
	 * its own, as libbpf's bpf_map__reuse_fd() (a hot program swap):
	 * a map of a "maps"/".maps" section with the same name and an
	 * identical definition. Global data and .kconfig maps, prog arrays
	 * and maps of maps are always created fresh. The shared maps stay
	 * owned by reuse_maps_from until uxdp_obj_take_maps(). */
	struct uxdp_obj *reuse_maps_from;
	/** Verification mode; UXDP_VERIFY_NONE when zero. */
	enum uxdp_verify verify;
	/** When not NULL: after a load the kernel refused (verify KERNEL,
	 * or AUTO resolved to it), libbpf's messages and the kernel
	 * verifier's log, NUL-terminated, the tail when longer than
	 * verify_log_size; an empty string otherwise. The error message
	 * has the refusal's reason in one line. */
	char *verify_log;
	size_t verify_log_size;
};

/**
 * Parse the text form NAME<sep>VALUE of a setting (uxdp-run --set uses
 * '=', the PMD devarg const= uses ':'). Checks the syntax of VALUE (an
 * integer or hex:<bytes>); whether it fits the variable is known only at
 * load. On success set->name and set->value point into one allocation
 * that uxdp_const_set_free() releases. -EINVAL and err on bad syntax.
 */
int uxdp_const_parse(const char *arg, char sep, struct uxdp_const_set *set,
		     char *err, size_t err_len);

/** Free what uxdp_const_parse() allocated; the set is zeroed. */
void uxdp_const_set_free(struct uxdp_const_set *set);

/** What the text form needs to know about a variable's type. */
struct uxdp_const_type {
	uint32_t size;   /**< bytes */
	int is_integer;  /**< int or enum: integer text is accepted */
	int is_signed;   /**< negative integers are accepted */
	int is_bool;     /**< _Bool: only 0 and 1 */
};

/**
 * Encode a setting's value (text or bytes) for a variable of the given
 * type into out (type->size bytes). -EINVAL with err naming the variable
 * when the value does not fit or has the wrong size. Used
 * by the loader and by tools that set variables in other loaders (the
 * kernel oracle with libbpf), so both read the text the same way.
 */
int uxdp_const_encode(const struct uxdp_const_set *set,
		      const struct uxdp_const_type *type, uint8_t *out,
		      char *err, size_t err_len);

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

/**
 * Load a BPF ELF object from memory: as uxdp_obj_load(), the size bytes at
 * buf taking the place of the file (the loader copies them; buf may be
 * freed once this returns). name stands for the file name in messages and
 * in the names of global data maps, which derive from it as from a file
 * name ("prog.o" gives "prog.rodata"); NULL means "mem.o".
 */
int uxdp_obj_load_mem(const void *buf, size_t size, const char *name,
		      const struct uxdp_obj_opts *opts, struct uxdp_obj **out,
		      char *err, size_t err_len);

/** Free an object, its programs and its maps. NULL is accepted. */
void uxdp_obj_close(struct uxdp_obj *obj);

/** Whether map i of obj is shared from opts.reuse_maps_from and not yet
 * taken over (uxdp_obj_take_maps()). */
int uxdp_obj_map_is_borrowed(const struct uxdp_obj *obj, unsigned int i);

/**
 * Move the ownership of the maps obj shares with from (its
 * reuse_maps_from at load) to obj, so that closing from leaves them to
 * obj. Call once obj has replaced from.
 */
void uxdp_obj_take_maps(struct uxdp_obj *obj, struct uxdp_obj *from);

/**
 * Find an XDP program by function name or by ELF section name; NULL picks
 * the first XDP program in section order that is not a devmap or cpumap
 * program (those run only from map entries), or the first one when all
 * are. Returns NULL and writes err when
 * nothing matches.
 */
struct uxdp_prog *uxdp_obj_find_prog(struct uxdp_obj *obj, const char *sel,
				     char *err, size_t err_len);

unsigned int uxdp_obj_prog_count(const struct uxdp_obj *obj);
struct uxdp_prog *uxdp_obj_prog_at(struct uxdp_obj *obj, unsigned int i);
unsigned int uxdp_obj_map_count(const struct uxdp_obj *obj);
struct uxdp_map *uxdp_obj_map_at(struct uxdp_obj *obj, unsigned int i);
struct uxdp_map *uxdp_obj_map_by_name(struct uxdp_obj *obj, const char *name);

struct btf; /* <bpf/btf.h> */

/**
 * The object's BTF (its .BTF section), or NULL when it has none. Owned by
 * the object: valid until uxdp_obj_close().
 */
const struct btf *uxdp_obj_btf(const struct uxdp_obj *obj);

/**
 * The BTF type ids of a map's keys and values (either pointer may be
 * NULL): those of __type(key, ...) and __type(value, ...) in a ".maps"
 * definition; for global data maps no key type and the section's DATASEC
 * as value type (its sizes and offsets filled in by the loader, as libbpf
 * does); 0 for maps without types (sizes given as numbers, legacy "maps"
 * sections) and for objects without BTF. -ENOENT when map is not one of
 * obj's maps. For uxdp_btf_render()/uxdp_btf_parse().
 */
int uxdp_obj_map_btf_ids(const struct uxdp_obj *obj, const struct uxdp_map *map,
			 uint32_t *key_type_id, uint32_t *value_type_id);

const char *uxdp_prog_name(const struct uxdp_prog *prog);
const char *uxdp_prog_section(const struct uxdp_prog *prog);

/**
 * Whether the program has multi-buffer semantics: it comes from an
 * "xdp.frags" section (or "xdp.frags/<attach>"), which libbpf loads with
 * BPF_F_XDP_HAS_FRAGS. Only such programs may be given frags.
 */
bool uxdp_prog_has_frags(const struct uxdp_prog *prog);
/**
 * The kernel's expected_attach_type of the program, from its section as
 * libbpf names them (enum bpf_attach_type): BPF_XDP_DEVMAP for
 * SEC("xdp/devmap") and SEC("xdp.frags/devmap"), the only programs a
 * devmap entry takes and which no port runs as its own; BPF_XDP_CPUMAP
 * for "xdp/cpumap"; BPF_XDP otherwise.
 */
uint32_t uxdp_prog_attach_type(const struct uxdp_prog *prog);
/** The program's registry id: what devmap values and prog arrays hold. */
uint32_t uxdp_prog_id(const struct uxdp_prog *prog);
/** Instructions after linking subprograms (ld_imm64 counts as two). */
uint32_t uxdp_prog_insn_count(const struct uxdp_prog *prog);

/**
 * What one ld_imm64 of a loaded program refers to, as the relocation left
 * it: a map, or an address inside the value of a global data map (a
 * variable of .data, .rodata, .bss, ...).
 */
struct uxdp_map_ref {
	uint32_t insn;        /**< instruction index in the linked program */
	struct uxdp_map *map; /**< the map referred to */
	uint64_t off;         /**< is_value: byte offset into the value */
	int is_value;         /**< 1: a variable's address; 0: the map */
};

/** Number of map and global data references of a program (prog_info.c). */
unsigned int uxdp_prog_map_ref_count(const struct uxdp_prog *prog);

/**
 * The i-th reference in instruction order. -ENOENT past the last one,
 * -EINVAL for NULL arguments.
 */
int uxdp_prog_map_ref_at(const struct uxdp_prog *prog, unsigned int i,
			 struct uxdp_map_ref *ref);

/**
 * Choose the engine a program runs with. Returns -ENOTSUP (and writes err)
 * for an engine this build does not have.
 */
int uxdp_prog_set_engine(struct uxdp_prog *prog, enum uxdp_engine engine,
			 char *err, size_t err_len);
enum uxdp_engine uxdp_prog_engine(const struct uxdp_prog *prog);

/**
 * Nanoseconds the JIT took to compile the program (IR emission, LLVM
 * optimisation and code generation), or 0 when it has not been compiled.
 */
uint64_t uxdp_prog_jit_ns(const struct uxdp_prog *prog);

/**
 * Run the program once over buff and return its r0 (the XDP verdict).
 * Helpers may move buff->data, data_end and data_meta; the caller writes
 * them back to its own packet representation. Thread-safe: any number of
 * lcores may run the same program at once.
 */
uint32_t uxdp_prog_run(const struct uxdp_prog *prog, struct uxdp_xdp_buff *buff);

/**
 * As uxdp_prog_run(), but return the whole 64-bit r0: for callers that
 * treat r0 as a value rather than a verdict, such as the conformance
 * plugin (app/uxdp-conformance), whose protocol reports all of r0.
 */
uint64_t uxdp_prog_run_r0(const struct uxdp_prog *prog,
			  struct uxdp_xdp_buff *buff);

/**
 * Runs of the program that the sandbox ended as XDP_ABORTED (a memory
 * access or helper argument outside the run's regions, the instruction
 * budget; see doc/sandbox.md), since it was loaded. Always 0 for
 * programs not run under UXDP_VERIFY_SANDBOX.
 */
uint64_t uxdp_prog_sandbox_faults(const struct uxdp_prog *prog);

struct bpf_insn; /* <linux/bpf.h> */

/**
 * Make an object from raw instructions instead of an ELF file: one XDP
 * program (section "xdp", named name or "raw"), no maps, checked as a
 * loaded program is. uxdp_obj_close() frees it. For tests and the
 * conformance plugin. -errno and err on failure; a refusal names the
 * instruction ("insn N: ...").
 */
int uxdp_obj_from_insns(const char *name, const struct bpf_insn *insns,
			uint32_t n, struct uxdp_obj **out, char *err,
			size_t err_len);

/**
 * As uxdp_obj_from_insns(), checked under a verification mode (AUTO and
 * KERNEL load the instructions into the kernel; SANDBOX runs the own
 * analysis and adds run-time checks).
 */
int uxdp_obj_from_insns_verify(const char *name, const struct bpf_insn *insns,
			       uint32_t n, enum uxdp_verify verify,
			       struct uxdp_obj **out, char *err,
			       size_t err_len);

/** "none", "auto", "kernel" or "sandbox" ("unknown" otherwise). */
const char *uxdp_verify_name(enum uxdp_verify mode);

/** The mode named text (as uxdp_verify_name() spells it); -EINVAL else. */
int uxdp_verify_parse(const char *text, enum uxdp_verify *mode);

/**
 * Whether the kernel verifier can judge programs for this process (the
 * bpf() syscall loads an XDP program: root or CAP_BPF + CAP_NET_ADMIN).
 * Asked once, then cached. 1 or 0; with 0, why (if not NULL) says why.
 */
int uxdp_verify_kernel_available(char *why, size_t why_len);

/** The mode a loaded program got: NONE, KERNEL or SANDBOX (never AUTO). */
enum uxdp_verify uxdp_prog_verify(const struct uxdp_prog *prog);

#ifdef __cplusplus
}
#endif

#endif /* UXDP_BPF_H */
