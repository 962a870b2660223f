/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Helpers as LLVM bitcode. jit_bitcode/map_lookup.c is compiled by
 * clang-19 at build time and its bitcode embedded in the library; a
 * program that calls one of its functions gets a fresh copy linked into
 * its own module (modules never share a context), with the functions made
 * internal and always-inline, so the optimiser inlines them and folds the
 * constants each call passes (a helper called by address is opaque to it).
 *
 * The bitcode is linked only when its target triple and data layout are
 * the module's, i.e. the host's: otherwise the helper call stays, which is
 * slower but never wrong. UXDP_JIT_NO_BITCODE=1 in the environment keeps
 * every helper call, for comparisons.
 */

#include <stdlib.h>
#include <string.h>

#include <llvm-c/BitReader.h>
#include <llvm-c/Linker.h>

#include "jit_emit.h"

/* The prefix of the bitcode's entry points (jit_bitcode/map_lookup.c). */
#define BITCODE_PREFIX "uxdp_bc_"

static bool
same_target(LLVMModuleRef a, LLVMModuleRef b)
{
	return strcmp(LLVMGetTarget(a), LLVMGetTarget(b)) == 0 &&
	       strcmp(LLVMGetDataLayoutStr(a), LLVMGetDataLayoutStr(b)) == 0;
}

/* clang records its -march in every function; drop it so that the host
 * CPU the JIT targets applies, as for the program's own functions (the
 * inliner also refuses callees that need features the caller lacks). */
static void
drop_cpu_attributes(LLVMValueRef fn)
{
	static const char *const names[] = {
		"target-cpu", "target-features", "tune-cpu",
	};
	unsigned int i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		LLVMRemoveStringAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
						 names[i], strlen(names[i]));
}

/* Parse the embedded bitcode into e's context and link it into e->mod. */
static bool
link_bitcode(struct jit_emit *e)
{
	unsigned int inline_kind = LLVMGetEnumAttributeKindForName(
		"alwaysinline", strlen("alwaysinline"));
	LLVMMemoryBufferRef buf;
	LLVMModuleRef bc;
	LLVMValueRef fn;
	const char *name;
	size_t len;

	buf = LLVMCreateMemoryBufferWithMemoryRange(
		(const char *)uxdp_jit_bitcode, uxdp_jit_bitcode_size,
		"uxdp_jit_bitcode", 0);
	if (buf == NULL)
		return false;
	if (LLVMParseBitcodeInContext2(e->ctx, buf, &bc) != 0) {
		LLVMDisposeMemoryBuffer(buf);
		return false;
	}
	LLVMDisposeMemoryBuffer(buf);
	if (!same_target(bc, e->mod)) {
		LLVMDisposeModule(bc);
		return false;
	}
	for (fn = LLVMGetFirstFunction(bc); fn != NULL;
	     fn = LLVMGetNextFunction(fn))
		if (!LLVMIsDeclaration(fn))
			drop_cpu_attributes(fn);
	/* Consumes bc, also on failure. */
	if (LLVMLinkModules2(e->mod, bc) != 0)
		return false;
	/* Entry points: internal, so that the optimiser drops the ones this
	 * program does not call, and always inlined. */
	for (fn = LLVMGetFirstFunction(e->mod); fn != NULL;
	     fn = LLVMGetNextFunction(fn)) {
		name = LLVMGetValueName2(fn, &len);
		if (LLVMIsDeclaration(fn) ||
		    strncmp(name, BITCODE_PREFIX, strlen(BITCODE_PREFIX)) != 0)
			continue;
		LLVMSetLinkage(fn, LLVMInternalLinkage);
		LLVMAddAttributeAtIndex(fn, LLVMAttributeFunctionIndex,
			LLVMCreateEnumAttribute(e->ctx, inline_kind, 0));
	}
	return true;
}

LLVMValueRef
jit_bitcode_function(struct jit_emit *e, const char *name)
{
	const char *off = getenv("UXDP_JIT_NO_BITCODE");

	if (!e->bitcode_tried) {
		e->bitcode_tried = true;
		e->bitcode_linked = (off == NULL || strcmp(off, "0") == 0) &&
				    link_bitcode(e);
	}
	return e->bitcode_linked ? LLVMGetNamedFunction(e->mod, name) : NULL;
}
