/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The JIT engine's lifecycle: LLVM's native target is initialised once;
 * each program gets its own LLVM context, module and ORC LLJIT instance,
 * so programs compile independently (from any thread) and freeing a
 * program frees exactly its code. The IR is optimised with the new pass
 * manager at O2 for the host CPU before ORC generates machine code.
 *
 * UXDP_JIT_DUMP_IR=1 in the environment prints each optimised module on
 * stderr, for looking at what a program became.
 */

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <llvm-c/Analysis.h>
#include <llvm-c/Error.h>
#include <llvm-c/LLJIT.h>
#include <llvm-c/Orc.h>
#include <llvm-c/TargetMachine.h>
#include <llvm-c/Transforms/PassBuilder.h>

#include "jit.h"

/* A compiled program: the LLJIT instance owns its code memory. */
struct uxdp_jit {
	LLVMOrcLLJITRef lljit;
};

/* Largest program the JIT takes on. LLVM's optimiser grows worse than
 * linearly with function size; bigger programs (the loader allows 1M
 * instructions) stay with the interpreter rather than stall a port's
 * start for minutes. */
#define JIT_MAX_INSNS (128u * 1024)

static pthread_once_t llvm_once = PTHREAD_ONCE_INIT;
static int llvm_init_failed;

static void
llvm_init(void)
{
	if (LLVMInitializeNativeTarget() != 0 ||
	    LLVMInitializeNativeAsmPrinter() != 0)
		llvm_init_failed = 1;
}

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Turn an LLVM error into -EINVAL and a message; consumes the error. */
static int
llvm_err(char *err, size_t err_len, const char *what, LLVMErrorRef e)
{
	char *msg = LLVMGetErrorMessage(e);
	int ret = uxdp_set_err(err, err_len, EINVAL, "JIT: %s: %s", what, msg);

	LLVMDisposeErrorMessage(msg);
	return ret;
}

static LLVMTargetMachineRef
host_machine(char *err, size_t err_len)
{
	char *triple = LLVMGetDefaultTargetTriple();
	char *cpu = LLVMGetHostCPUName();
	char *features = LLVMGetHostCPUFeatures();
	LLVMTargetMachineRef tm = NULL;
	LLVMTargetRef target;
	char *msg = NULL;

	if (LLVMGetTargetFromTriple(triple, &target, &msg) != 0)
		uxdp_set_err(err, err_len, ENOTSUP, "JIT: host target %s: %s",
			     triple, msg);
	else
		tm = LLVMCreateTargetMachine(target, triple, cpu, features,
					     LLVMCodeGenLevelAggressive,
					     LLVMRelocDefault,
					     LLVMCodeModelJITDefault);
	LLVMDisposeMessage(msg);
	LLVMDisposeMessage(triple);
	LLVMDisposeMessage(cpu);
	LLVMDisposeMessage(features);
	return tm;
}

/* Emit, verify and optimise prog's module. */
static int
build_module(const struct uxdp_prog *prog, LLVMContextRef ctx,
	     LLVMModuleRef mod, char *err, size_t err_len)
{
	LLVMTargetMachineRef tm = host_machine(err, err_len);
	LLVMPassBuilderOptionsRef opts;
	LLVMTargetDataRef layout;
	LLVMErrorRef e;
	char *triple, *msg = NULL;
	int ret;

	if (tm == NULL)
		return -ENOTSUP;
	triple = LLVMGetTargetMachineTriple(tm);
	LLVMSetTarget(mod, triple);
	LLVMDisposeMessage(triple);
	layout = LLVMCreateTargetDataLayout(tm);
	LLVMSetModuleDataLayout(mod, layout);
	LLVMDisposeTargetData(layout);

	ret = uxdp_jit_emit(prog, ctx, mod, err, err_len);
	if (ret == 0 && LLVMVerifyModule(mod, LLVMReturnStatusAction, &msg)) {
		ret = uxdp_set_err(err, err_len, EINVAL,
				   "JIT: invalid IR for program %s: %.160s",
				   prog->name, msg);
	}
	LLVMDisposeMessage(msg);
	if (ret == 0) {
		opts = LLVMCreatePassBuilderOptions();
		/* As clang at -O2: straight-line vectorisation merges the
		 * byte moves eBPF is full of (a MAC swap is 12 byte loads). */
		LLVMPassBuilderOptionsSetSLPVectorization(opts, 1);
		e = LLVMRunPasses(mod, "default<O2>", tm, opts);
		LLVMDisposePassBuilderOptions(opts);
		if (e != NULL)
			ret = llvm_err(err, err_len, "optimisation", e);
	}
	LLVMDisposeTargetMachine(tm);
	if (ret == 0 && getenv("UXDP_JIT_DUMP_IR") != NULL) {
		msg = LLVMPrintModuleToString(mod);
		fprintf(stderr, "%s", msg);
		LLVMDisposeMessage(msg);
	}
	return ret;
}

/* Hand the module to a new LLJIT and look up the entry function. */
static int
generate_code(struct uxdp_jit *jit, LLVMOrcThreadSafeContextRef tsctx,
	      LLVMModuleRef mod, LLVMOrcExecutorAddress *entry, char *err,
	      size_t err_len)
{
	LLVMOrcDefinitionGeneratorRef gen;
	LLVMOrcThreadSafeModuleRef tsm;
	LLVMOrcJITDylibRef dylib;
	LLVMErrorRef e;

	e = LLVMOrcCreateLLJIT(&jit->lljit, LLVMOrcCreateLLJITBuilder());
	if (e != NULL) {
		LLVMDisposeModule(mod);
		return llvm_err(err, err_len, "creating LLJIT", e);
	}
	dylib = LLVMOrcLLJITGetMainJITDylib(jit->lljit);
	/* Helpers are called by address; this only serves what LLVM itself
	 * may call (memcpy, memset). */
	e = LLVMOrcCreateDynamicLibrarySearchGeneratorForProcess(&gen,
		LLVMOrcLLJITGetGlobalPrefix(jit->lljit), NULL, NULL);
	if (e != NULL) {
		LLVMDisposeModule(mod);
		return llvm_err(err, err_len, "process symbols", e);
	}
	LLVMOrcJITDylibAddGenerator(dylib, gen);
	tsm = LLVMOrcCreateNewThreadSafeModule(mod, tsctx);
	e = LLVMOrcLLJITAddLLVMIRModule(jit->lljit, dylib, tsm);
	if (e != NULL) {
		LLVMOrcDisposeThreadSafeModule(tsm);
		return llvm_err(err, err_len, "adding the module", e);
	}
	e = LLVMOrcLLJITLookup(jit->lljit, entry, UXDP_JIT_ENTRY);
	if (e != NULL)
		return llvm_err(err, err_len, "code generation", e);
	return 0;
}

int
uxdp_jit_compile(struct uxdp_prog *prog, char *err, size_t err_len)
{
	LLVMOrcThreadSafeContextRef tsctx;
	LLVMOrcExecutorAddress entry = 0;
	uint64_t start = now_ns();
	struct uxdp_jit *jit;
	LLVMModuleRef mod;
	int ret;

	if (prog->jit_fn != NULL)
		return 0;
	if (prog->n_insns > JIT_MAX_INSNS)
		return uxdp_set_err(err, err_len, E2BIG,
				    "JIT: program %s has %u instructions, more than the JIT's %u; use mode=interp",
				    prog->name, prog->n_insns, JIT_MAX_INSNS);
	pthread_once(&llvm_once, llvm_init);
	if (llvm_init_failed)
		return uxdp_set_err(err, err_len, ENOTSUP,
				    "JIT: LLVM has no native target for this host");
	jit = calloc(1, sizeof(*jit));
	if (jit == NULL)
		return uxdp_set_err(err, err_len, ENOMEM, "JIT: out of memory");
	tsctx = LLVMOrcCreateNewThreadSafeContext();
	mod = LLVMModuleCreateWithNameInContext(prog->name,
		LLVMOrcThreadSafeContextGetContext(tsctx));
	ret = build_module(prog, LLVMOrcThreadSafeContextGetContext(tsctx),
			   mod, err, err_len);
	if (ret < 0)
		LLVMDisposeModule(mod);
	else
		ret = generate_code(jit, tsctx, mod, &entry, err, err_len);
	/* The module (if any) holds its own reference to the context. */
	LLVMOrcDisposeThreadSafeContext(tsctx);
	if (ret < 0) {
		if (jit->lljit != NULL)
			LLVMConsumeError(LLVMOrcDisposeLLJIT(jit->lljit));
		free(jit);
		return ret;
	}
	prog->jit = jit;
	prog->jit_ns = now_ns() - start;
	prog->jit_fn = (uxdp_jit_fn)(uintptr_t)entry;
	return 0;
}

void
uxdp_jit_release(struct uxdp_prog *prog)
{
	if (prog == NULL || prog->jit == NULL)
		return;
	LLVMConsumeError(LLVMOrcDisposeLLJIT(prog->jit->lljit));
	free(prog->jit);
	prog->jit = NULL;
	prog->jit_fn = NULL;
}

uint64_t
uxdp_prog_jit_ns(const struct uxdp_prog *prog)
{
	return prog != NULL && prog->jit_fn != NULL ? prog->jit_ns : 0;
}
