/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * verify=kernel: the kernel verifier judges the program before uxdp runs
 * it. The object's own bytes (as read, before uxdp's CO-RE patching) are
 * opened by libbpf and loaded the way a libbpf application loads them:
 * maps created by libbpf from the same definitions, the same `volatile
 * const` settings written into .rodata first, CO-RE and .kconfig resolved
 * by libbpf against this kernel. Every program of a section uxdp takes
 * for XDP is loaded, because uxdp loads them all (tail-call targets and
 * devmap programs run too); nothing is pinned or attached, and the object
 * is closed before returning, which releases every kernel object it made.
 *
 * libbpf reports through a process-wide print callback. While this runs,
 * its warnings are captured (under a lock, and the application's callback
 * restored afterwards) so that they reach the load error and the caller's
 * log instead of the application's stderr. The verifier's own log goes
 * to a buffer given to each program: libbpf first loads at log level 0
 * and, on failure, again at level 1 into it, so an accepted program costs
 * no log. Kernels from 6.4 keep the tail of a log longer than the buffer,
 * which is the part that explains the refusal.
 */

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "loader.h"
#include "uxdp_kernel_consts.h"
#include "verify.h"

/* The verifier's log of a refused program (level 1). */
#define VERIFIER_LOG_SIZE (4u << 20)
/* libbpf's warnings during one load. */
#define LIBBPF_MSGS_SIZE 4096
/* Program names the kernel takes: BPF_OBJ_NAME_LEN - 1 characters. */
#define KERNEL_NAME_MAX 15

/* libbpf's print callback has no argument: the one capture in progress,
 * serialised by capture_lock. */
static pthread_mutex_t capture_lock = PTHREAD_MUTEX_INITIALIZER;
static char *capture_buf;
static size_t capture_len;
static size_t capture_size;

static int
capture_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	int w;

	if (level != LIBBPF_WARN || capture_buf == NULL ||
	    capture_len + 1 >= capture_size)
		return 0;
	w = vsnprintf(capture_buf + capture_len, capture_size - capture_len,
		      fmt, ap);
	if (w > 0)
		capture_len += (size_t)w < capture_size - capture_len ?
			       (size_t)w : capture_size - capture_len - 1;
	return 0;
}

static libbpf_print_fn_t
capture_begin(char *buf, size_t size)
{
	pthread_mutex_lock(&capture_lock);
	buf[0] = '\0';
	capture_buf = buf;
	capture_len = 0;
	capture_size = size;
	return libbpf_set_print(capture_print);
}

static void
capture_end(libbpf_print_fn_t previous)
{
	libbpf_set_print(previous);
	capture_buf = NULL;
	pthread_mutex_unlock(&capture_lock);
}

/* The first line of libbpf's messages, without its "libbpf: " prefix:
 * libbpf warns about the cause first and about the failed load last. */
static void
first_message(const char *msgs, char *out, size_t out_len)
{
	const char *p = msgs;
	size_t n;

	if (strncmp(p, "libbpf: ", 8) == 0)
		p += 8;
	n = strcspn(p, "\n");
	snprintf(out, out_len, "%.*s", (int)n, p);
}

/* The caller's log: libbpf's messages, then the verifier's log (its tail
 * when the whole does not fit). */
static void
fill_log(char *log, size_t log_size, const char *msgs, const char *prog,
	 const char *vlog)
{
	size_t used;
	int w;

	if (log == NULL || log_size == 0)
		return;
	w = snprintf(log, log_size, "%s", msgs);
	used = w < 0 ? 0 : (size_t)w < log_size ? (size_t)w : log_size - 1;
	if (prog == NULL || vlog == NULL || vlog[0] == '\0' ||
	    used + 1 >= log_size)
		return;
	w = snprintf(log + used, log_size - used,
		     "-- kernel verifier log of program '%s' --\n", prog);
	if (w < 0 || (size_t)w >= log_size - used)
		return;
	used += (size_t)w;
	uxdp_verify_log_put(log + used, log_size - used, vlog);
}

/* A verifier log ending in ENOSPC was cut, not a different refusal. */
static int
refusal_code(int ret)
{
	if (ret == -ENOSPC || ret == 0)
		return -EACCES;
	return ret < 0 ? ret : -ret;
}

/* Which programs are loaded: uxdp's XDP sections, typed and flagged as
 * libbpf would type them had it known the section name. */
static void
choose_programs(struct bpf_object *obj, char *vlog)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, obj) {
		const char *sec = bpf_program__section_name(prog);

		if (!ldr_is_xdp_section(sec)) {
			bpf_program__set_autoload(prog, false);
			continue;
		}
		if (bpf_program__type(prog) == BPF_PROG_TYPE_UNSPEC)
			bpf_program__set_type(prog, BPF_PROG_TYPE_XDP);
		if (strncmp(sec, "xdp.frags", strlen("xdp.frags")) == 0)
			bpf_program__set_flags(prog, bpf_program__flags(prog) |
					       BPF_F_XDP_HAS_FRAGS);
		bpf_program__set_autoload(prog, true);
		bpf_program__set_log_buf(prog, vlog, VERIFIER_LOG_SIZE);
	}
}

/* After a failed load, the program the kernel refused. libbpf unloads
 * every program of a failed object, so only its warning tells:
 * "prog 'NAME': BPF program load failed: ...". */
static const char *
refused_program(const char *msgs, char *name, size_t name_len)
{
	static const char mark[] = "': BPF program load failed";
	const char *end = strstr(msgs, mark);
	const char *start;

	if (end == NULL)
		return NULL;
	start = end;
	while (start > msgs && start[-1] != '\'')
		start--;
	if (start == msgs || (size_t)(end - start) >= name_len)
		return NULL;
	snprintf(name, name_len, "%.*s", (int)(end - start), start);
	return name;
}

int
uxdp_verify_kernel_elf(const char *path, const void *image, size_t size,
		       const struct uxdp_const_set *consts,
		       unsigned int n_consts, char *log, size_t log_size,
		       char *err, size_t err_len)
{
	LIBBPF_OPTS(bpf_object_open_opts, open_opts, .object_name = path);
	char msgs[LIBBPF_MSGS_SIZE], reason[UXDP_ERR_MAX];
	char prog_name[BPF_OBJ_NAME_LEN * 8];
	libbpf_print_fn_t previous;
	struct bpf_object *obj;
	const char *prog = NULL;
	struct bpf_map *map;
	char *vlog;
	int ret;

	if (log != NULL && log_size > 0)
		log[0] = '\0';
	vlog = malloc(VERIFIER_LOG_SIZE);
	if (vlog == NULL)
		return uxdp_set_err(err, err_len, ENOMEM, "%s: out of memory",
				    path);
	vlog[0] = '\0';
	previous = capture_begin(msgs, sizeof(msgs));
	obj = bpf_object__open_mem(image, size, &open_opts);
	if (obj == NULL) {
		ret = -errno;
		capture_end(previous);
		first_message(msgs, reason, sizeof(reason));
		fill_log(log, log_size, msgs, NULL, NULL);
		free(vlog);
		return uxdp_set_err(err, err_len, -ret,
				    "%s: verify=kernel: libbpf cannot open the object: %s",
				    path, reason[0] != '\0' ? reason :
				    strerror(-ret));
	}
	choose_programs(obj, vlog);
	/* Nothing may stay behind in /sys/fs/bpf. */
	bpf_object__for_each_map(map, obj)
		bpf_map__set_pin_path(map, NULL);
	ret = uxdp_kernel_set_consts(obj, path, consts, n_consts, err,
				     err_len);
	if (ret < 0) {
		/* uxdp's own loader took the same settings: rare. */
		capture_end(previous);
		bpf_object__close(obj);
		free(vlog);
		return ret;
	}
	ret = bpf_object__load(obj);
	capture_end(previous);
	if (ret < 0)
		prog = refused_program(msgs, prog_name, sizeof(prog_name));

	if (ret < 0 && prog != NULL && vlog[0] == '\0') {
		/* Refused before verification (a bad name, flags, type). */
		first_message(msgs, reason, sizeof(reason));
		fill_log(log, log_size, msgs, NULL, NULL);
		ret = uxdp_set_err(err, err_len, -ret,
				   "%s: the kernel refused program '%s' before verifying it: %s",
				   path, prog, reason);
	} else if (ret < 0 && prog != NULL) {
		uxdp_verify_log_reason(vlog, reason, sizeof(reason));
		if (reason[0] == '\0')
			first_message(msgs, reason, sizeof(reason));
		fill_log(log, log_size, msgs, prog, vlog);
		ret = uxdp_set_err(err, err_len, -refusal_code(ret),
				   "%s: the kernel verifier refused program '%s': %s",
				   path, prog, reason);
	} else if (ret < 0 && msgs[0] != '\0') {
		first_message(msgs, reason, sizeof(reason));
		fill_log(log, log_size, msgs, NULL, NULL);
		ret = uxdp_set_err(err, err_len, -ret,
				   "%s: the kernel refused the object (verify=kernel): %s",
				   path, reason);
	} else if (ret < 0) {
		ret = uxdp_set_err(err, err_len, -ret,
				   "%s: the kernel refused the object (verify=kernel): %s",
				   path, strerror(-ret));
	}
	bpf_object__close(obj);
	free(vlog);
	return ret;
}

/* The kernel takes [A-Za-z0-9_.] in program names, 15 at most. */
static void
kernel_name(const char *name, char *out)
{
	size_t i;

	for (i = 0; i < KERNEL_NAME_MAX && name[i] != '\0'; i++)
		out[i] = (name[i] >= 'a' && name[i] <= 'z') ||
			 (name[i] >= 'A' && name[i] <= 'Z') ||
			 (name[i] >= '0' && name[i] <= '9') ||
			 name[i] == '.' ? name[i] : '_';
	out[i] = '\0';
}

int
uxdp_verify_kernel_insns(const char *name, const struct bpf_insn *insns,
			 uint32_t n, char *log, size_t log_size, char *err,
			 size_t err_len)
{
	char kname[KERNEL_NAME_MAX + 1], reason[UXDP_ERR_MAX];
	LIBBPF_OPTS(bpf_prog_load_opts, opts);
	char *vlog;
	int fd;

	if (log != NULL && log_size > 0)
		log[0] = '\0';
	kernel_name(name, kname);
	/* Raw instructions carry no license: GPL, so that the kernel judges
	 * the code and not its licence (gpl_only helpers). */
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, kname, "GPL", insns, n, &opts);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	vlog = malloc(VERIFIER_LOG_SIZE);
	if (vlog == NULL)
		return uxdp_set_err(err, err_len, ENOMEM, "out of memory");
	vlog[0] = '\0';
	opts.log_buf = vlog;
	opts.log_size = VERIFIER_LOG_SIZE;
	opts.log_level = 1;
	fd = bpf_prog_load(BPF_PROG_TYPE_XDP, kname, "GPL", insns, n, &opts);
	if (fd >= 0) {
		/* Accepted the second time: the kernel's answer is yes. */
		close(fd);
		free(vlog);
		return 0;
	}
	uxdp_verify_log_reason(vlog, reason, sizeof(reason));
	fill_log(log, log_size, "", name, vlog);
	free(vlog);
	return uxdp_set_err(err, err_len, -refusal_code(fd),
			    "the kernel verifier refused program '%s': %s",
			    name, reason[0] != '\0' ? reason :
			    strerror(-refusal_code(fd)));
}
