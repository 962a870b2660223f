/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp-conformance: a plugin for the eBPF conformance runner
 * (bpf_conformance). The runner starts it once per test:
 *
 *	uxdp-conformance [MEMORY_HEX] [OPTIONS...] [--elf]  < PROGRAM_HEX
 *
 * stdin carries the program as hex bytes (8-byte instructions, little
 * endian), MEMORY_HEX the input memory, when the test has any. On success
 * r0 is printed in hex ("%" PRIx64 "\n", like the reference plugins'
 * std::hex) and the exit code is 0; on error a one-line message goes to
 * stderr and the exit code is 1 (the runner matches stderr against a
 * test's expected error). See doc/engine.md, "Conformance plugin".
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_prog.h"
#include "run_hex.h"

struct conf_opts {
	enum uxdp_engine engine;
	enum conf_mem_mode mode;
	int is_elf;
	int debug;
	const char *program; /* --program HEX, else stdin */
	const char *memory;  /* the positional argument */
};

static void
usage(FILE *f, const char *prog)
{
	fprintf(f,
		"usage: %s [--program HEX] [MEMORY_HEX] [--engine jit|interp] [--xdp] [--elf] [--debug]\n"
		"  stdin (or --program): the program as hex bytes; MEMORY_HEX: input memory\n"
		"  --engine   engine to run with (default: jit)\n"
		"  --xdp      r1 = xdp_md ctx and the memory is the packet\n"
		"             (default: r1 = memory, r2 = its length)\n"
		"  --elf      the program bytes are an ELF object (implies --xdp)\n"
		"  --debug    describe the program and the run on stderr\n"
		"prints r0 in hex; on error a message on stderr, exit 1\n",
		prog);
}

static int
set_engine(struct conf_opts *o, const char *name)
{
	if (name == NULL)
		return -EINVAL;
	if (strcmp(name, "jit") == 0)
		o->engine = UXDP_ENGINE_JIT;
	else if (strcmp(name, "interp") == 0)
		o->engine = UXDP_ENGINE_INTERP;
	else
		return -EINVAL;
	return 0;
}

/*
 * The runner passes its --plugin_options split at single spaces (older
 * runners: as one argument, possibly empty), then "--elf". An argument
 * that starts with "--" is therefore split into words here; empty
 * arguments are dropped. Anything else is a value: of the option before
 * it (--program, --engine) or else the memory.
 */
static int
parse_args(int argc, char **argv, struct conf_opts *o, char ***wordsp,
	   char *err, size_t err_len)
{
	size_t max = 0;
	char **words;
	int n = 0, i;

	/* An argument of length L splits into at most L / 2 + 1 words. */
	for (i = 1; i < argc; i++)
		max += strlen(argv[i]) / 2 + 1;
	words = calloc(max + 1, sizeof(*words));
	*wordsp = words;
	if (words == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	for (i = 1; i < argc; i++) {
		char *a = argv[i], *w, *save = NULL;

		/* Empty words: old runners' empty memory and plugin_options
		 * arguments, or two spaces in --plugin_options. */
		if (strspn(a, " \t\r\n") == strlen(a))
			continue;
		if (strncmp(a, "--", 2) != 0) {
			words[n++] = a;
			continue;
		}
		for (w = strtok_r(a, " \t\r\n", &save); w != NULL;
		     w = strtok_r(NULL, " \t\r\n", &save))
			words[n++] = w;
	}

	for (i = 0; i < n; i++) {
		const char *w = words[i];

		if (strcmp(w, "--program") == 0) {
			if (i + 1 >= n) {
				snprintf(err, err_len, "--program needs a value");
				return -EINVAL;
			}
			o->program = words[++i];
		} else if (strcmp(w, "--engine") == 0 ||
			   strncmp(w, "--engine=", 9) == 0) {
			const char *v = w[8] == '=' ? w + 9 :
				(i + 1 < n ? words[++i] : NULL);

			if (set_engine(o, v) < 0) {
				snprintf(err, err_len,
					 "--engine takes jit or interp");
				return -EINVAL;
			}
		} else if (strcmp(w, "--xdp") == 0) {
			o->mode = CONF_MEM_XDP;
		} else if (strcmp(w, "--elf") == 0) {
			o->is_elf = 1;
		} else if (strcmp(w, "--debug") == 0) {
			o->debug = 1;
		} else if (strncmp(w, "--", 2) == 0) {
			snprintf(err, err_len, "unknown option %s", w);
			return -EINVAL;
		} else if (o->memory == NULL) {
			o->memory = w;
		} else {
			snprintf(err, err_len, "unexpected argument %.32s", w);
			return -EINVAL;
		}
	}
	return 0;
}

/* All of stdin as a string; NULL when out of memory or unreadable. */
static char *
read_stdin(void)
{
	size_t cap = 4096, len = 0, got;
	char *buf = malloc(cap), *p;

	while (buf != NULL) {
		got = fread(buf + len, 1, cap - len - 1, stdin);
		len += got;
		if (got == 0)
			break;
		if (cap - len - 1 == 0) {
			p = realloc(buf, cap * 2);
			if (p == NULL)
				free(buf);
			buf = p;
			cap *= 2;
		}
	}
	if (buf == NULL || ferror(stdin)) {
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

static int
decode(const char *what, const char *text, uint8_t **out, size_t *len,
       char *err, size_t err_len)
{
	int ret = run_hex_decode(text, out, len);

	if (ret == -EINVAL)
		snprintf(err, err_len,
			 "%s is not hex bytes (odd digit count or a non-hex character)",
			 what);
	else if (ret < 0)
		snprintf(err, err_len, "%s: %s", what, strerror(-ret));
	return ret;
}

int
main(int argc, char **argv)
{
	struct conf_opts o = { .engine = UXDP_ENGINE_JIT };
	uint8_t *code = NULL, *mem = NULL;
	size_t code_len = 0, mem_len = 0;
	char err[UXDP_ERR_MAX] = "";
	struct conf_prog cp;
	char **words = NULL;
	char *text = NULL;
	uint64_t r0;
	int ret = 1, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			usage(stdout, argv[0]);
			return 0;
		}
	}
	if (parse_args(argc, argv, &o, &words, err, sizeof(err)) < 0) {
		/* One line only: the runner takes stderr as the error. */
		fprintf(stderr, "%s (see --help)\n", err);
		free(words);
		return 1;
	}

	if (o.program == NULL) {
		text = read_stdin();
		if (text == NULL) {
			fprintf(stderr, "cannot read the program from stdin\n");
			goto out;
		}
	}
	if (decode("program", o.program != NULL ? o.program : text, &code,
		   &code_len, err, sizeof(err)) < 0 ||
	    (o.memory != NULL && decode("memory", o.memory, &mem, &mem_len,
					err, sizeof(err)) < 0)) {
		fprintf(stderr, "%s\n", err);
		goto out;
	}

	if (conf_prog_build(&cp, code, code_len, o.is_elf, o.mode, mem,
			    mem_len, o.engine, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		conf_prog_free(&cp);
		goto out;
	}
	if (o.debug)
		fprintf(stderr,
			"uxdp-conformance: %u insns loaded, %zu bytes of memory, engine %s, %s, jit %" PRIu64 " ns\n",
			uxdp_prog_insn_count(cp.prog), mem_len,
			o.engine == UXDP_ENGINE_JIT ? "jit" : "interp",
			cp.mode == CONF_MEM_XDP ? "r1 = xdp_md ctx" :
			"r1 = memory, r2 = length (5-insn prologue)",
			uxdp_prog_jit_ns(cp.prog));
	r0 = conf_prog_run(&cp);
	conf_prog_free(&cp);
	printf("%" PRIx64 "\n", r0);
	ret = fflush(stdout) == 0 ? 0 : 1;
out:
	free(code);
	free(mem);
	free(text);
	free(words);
	return ret;
}
