/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * The negative corpus (negative_corpus.h) against the own analysis and
 * the kernel verifier: uxdp refuses every program under
 * UXDP_VERIFY_SANDBOX with the instruction and message the table names,
 * and loads it under UXDP_VERIFY_NONE (the analysis is what refuses);
 * the kernel (BPF_PROG_LOAD, as root) refuses it too, with the phrase of
 * the table in its log. Programs the kernel refuses only to unprivileged
 * loaders are loaded by a child without CAP_PERFMON and CAP_SYS_ADMIN.
 * Without the bpf() syscall the kernel half is skipped with the reason.
 *
 * Arguments: NAME=OBJECT for each BPF C case (meson builds them).
 */

#include <errno.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <linux/capability.h>

#include <rte_common.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "test_interp_insn.h"
#include "negative_corpus.h"

#define CAP_PERFMON_BIT 38
#define CAP_SYS_ADMIN_BIT 21

static char klog[1 << 16];

static bool
kernel_has_bpf(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Drop CAP_PERFMON and CAP_SYS_ADMIN from this process. */
static int
drop_privilege(void)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data) < 0)
		return -errno;
	data[0].effective &= ~(1u << CAP_SYS_ADMIN_BIT);
	data[1].effective &= ~(1u << (CAP_PERFMON_BIT - 32));
	return syscall(SYS_capset, &hdr, data) < 0 ? -errno : 0;
}

/* BPF_PROG_LOAD of raw instructions; the log lands in klog. In a child
 * without privilege when unpriv: its log comes back through a pipe. */
static int
kernel_load_raw(const struct bpf_insn *insns, uint32_t n, bool unpriv)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .log_buf = klog,
		    .log_size = sizeof(klog), .log_level = 1);
	int pfd[2], status, fd;
	ssize_t got;
	pid_t pid;

	klog[0] = '\0';
	if (!unpriv) {
		fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "neg", "GPL", insns, n,
				   &opts);
		if (fd >= 0)
			close(fd);
		return fd;
	}
	if (pipe(pfd) < 0)
		return -errno;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (drop_privilege() < 0)
			_exit(2);
		fd = bpf_prog_load(BPF_PROG_TYPE_XDP, "neg", "GPL", insns, n,
				   &opts);
		if (write(pfd[1], klog, strlen(klog) + 1) < 0)
			_exit(3);
		_exit(fd >= 0 ? 0 : 1);
	}
	close(pfd[1]);
	got = read(pfd[0], klog, sizeof(klog) - 1);
	klog[got > 0 ? got : 0] = '\0';
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (!WIFEXITED(status) || WEXITSTATUS(status) > 1)
		return -ECHILD;
	return WEXITSTATUS(status) == 0 ? 0 : -EACCES;
}

static int
kernel_load_obj(const char *path)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = klog,
		    .kernel_log_size = sizeof(klog), .kernel_log_level = 1);
	struct bpf_object *obj;
	int ret;

	klog[0] = '\0';
	libbpf_set_print(NULL);
	obj = bpf_object__open_file(path, &opts);
	if (obj == NULL)
		return -errno;
	ret = bpf_object__load(obj);
	bpf_object__close(obj);
	return ret;
}

static void
test_raw(const struct uxdp_negative_case *c, bool kernel)
{
	char err[UXDP_ERR_MAX] = "", prefix[32];
	struct uxdp_obj *obj = NULL;
	int ret;

	ret = uxdp_obj_from_insns_verify(c->name, c->insns, c->n_insns,
					 UXDP_VERIFY_SANDBOX, &obj, err,
					 sizeof(err));
	snprintf(prefix, sizeof(prefix), "insn %u: ", c->idx);
	T_CHECK(ret == -EINVAL && strstr(err, prefix) != NULL &&
		strstr(err, c->uxdp_msg) != NULL,
		"%s: uxdp gave %d '%s', want '%s%s'", c->name, ret, err,
		prefix, c->uxdp_msg);
	uxdp_obj_close(obj);
	obj = NULL;
	ret = uxdp_obj_from_insns_verify(c->name, c->insns, c->n_insns,
					 UXDP_VERIFY_NONE, &obj, err,
					 sizeof(err));
	T_CHECK(ret == 0, "%s: refused without the analysis: %s", c->name,
		err);
	uxdp_obj_close(obj);
	printf("%-55s uxdp: %s\n", c->name, err[0] != '\0' ? err : "?");
	if (!kernel)
		return;
	ret = kernel_load_raw(c->insns, c->n_insns, c->kernel_unpriv);
	T_CHECK(ret < 0 && strstr(klog, c->kernel_msg) != NULL,
		"%s: the kernel%s gave %d, want a refusal with '%s'; log: %.400s",
		c->name, c->kernel_unpriv ? " (unprivileged)" : "", ret,
		c->kernel_msg, klog);
	if (c->kernel_unpriv) {
		ret = kernel_load_raw(c->insns, c->n_insns, false);
		printf("%-55s kernel as root: %s\n", "",
		       ret >= 0 ? "accepts (uninitialised stack reads are allowed to CAP_PERFMON)" :
		       "refuses");
	}
}

static void
test_obj(const struct uxdp_negative_obj_case *c, const char *path,
	 bool kernel)
{
	struct uxdp_obj_opts opts = { .verify = UXDP_VERIFY_SANDBOX };
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	int ret;

	ret = uxdp_obj_load(path, &opts, &obj, err, sizeof(err));
	T_CHECK(ret == -EINVAL && strstr(err, "insn ") != NULL &&
		strstr(err, c->uxdp_msg) != NULL,
		"%s: uxdp gave %d '%s', want '%s'", c->name, ret, err,
		c->uxdp_msg);
	uxdp_obj_close(obj);
	obj = NULL;
	printf("%-55s uxdp: %s\n", c->name, err);
	opts.verify = UXDP_VERIFY_NONE;
	ret = uxdp_obj_load(path, &opts, &obj, err, sizeof(err));
	T_CHECK(ret == 0, "%s: refused without the analysis: %s", c->name,
		err);
	uxdp_obj_close(obj);
	if (!kernel)
		return;
	ret = kernel_load_obj(path);
	T_CHECK(ret < 0 && strstr(klog, c->kernel_msg) != NULL,
		"%s: the kernel gave %d, want a refusal with '%s'; log: %.600s",
		c->name, ret, c->kernel_msg, klog);
}

int
main(int argc, char **argv)
{
	bool kernel = kernel_has_bpf();
	unsigned int i;
	int a;

	if (!kernel)
		printf("SKIP kernel verifier comparison: bpf() unavailable (%s)\n",
		       strerror(errno));
	for (i = 0; i < RTE_DIM(uxdp_negative_raw); i++)
		test_raw(&uxdp_negative_raw[i], kernel);
	for (i = 0; i < RTE_DIM(uxdp_negative_objs); i++) {
		const struct uxdp_negative_obj_case *c = &uxdp_negative_objs[i];
		size_t len = strlen(c->name);
		const char *path = NULL;

		for (a = 1; a < argc; a++)
			if (strncmp(argv[a], c->name, len) == 0 &&
			    argv[a][len] == '=')
				path = argv[a] + len + 1;
		T_CHECK(path != NULL, "%s: no object given", c->name);
		if (path != NULL)
			test_obj(c, path, kernel);
	}
	return t_summary();
}
