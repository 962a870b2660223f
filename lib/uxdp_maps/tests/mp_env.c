/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Hugepages, names and the secondary process for two-process tests (see
 * mp_env.h). Pages are only added when the machine has too few free ones,
 * and the hugetlbfs is our own mount in a private directory: unmounting
 * it deletes the page files DPDK leaves behind (a primary's files must
 * outlive it for secondaries, so EAL does not unlink them), which returns
 * the pages before nr_hugepages is put back.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <rte_eal.h>
#include <rte_errno.h>

#include "mp_env.h"

#define HP_SYSFS "/sys/kernel/mm/hugepages/hugepages-2048kB/"
/* 2 MiB pages for both processes' EAL memory; the maps of the tests take
 * a few MiB, EAL's own structures a few more. */
#define HP_NEEDED 64

static struct {
	char prefix[64];
	char huge_dir[96];
	long saved_nr;        /* nr_hugepages to restore, -1: unchanged */
	int mounted;
	pid_t owner;          /* cleanup runs in the primary only */
} env = { .saved_nr = -1 };

static long
read_long(const char *path)
{
	char buf[32];
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* Async-signal-safe: also called from the SIGTERM handler. */
static int
write_long(const char *path, long v)
{
	char buf[24];
	int len = 0, fd, ret;
	char tmp[24];

	do {
		tmp[len++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	for (ret = 0; ret < len; ret++)
		buf[ret] = tmp[len - 1 - ret];
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -1;
	ret = write(fd, buf, len) == len ? 0 : -1;
	close(fd);
	return ret;
}

/* EAL leaves its runtime directory (config, fbarrays, sockets) behind,
 * for a later secondary; no process of this test comes back to it. */
static void
remove_runtime_dir(void)
{
	char dir[160];
	struct dirent *de;
	DIR *d;

	snprintf(dir, sizeof(dir), "/var/run/dpdk/%s", env.prefix);
	d = opendir(dir);
	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (de->d_name[0] != '.')
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
	rmdir(dir);
}

static void
cleanup(void)
{
	if (env.owner != getpid())
		return;
	if (env.prefix[0] != '\0' && geteuid() == 0)
		remove_runtime_dir();
	if (env.mounted) {
		umount2(env.huge_dir, MNT_DETACH);
		rmdir(env.huge_dir);
		env.mounted = 0;
	}
	if (env.saved_nr >= 0) {
		write_long(HP_SYSFS "nr_hugepages", env.saved_nr);
		env.saved_nr = -1;
	}
}

static void
on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int
skip(const char *why)
{
	printf("SKIP: %s\n", why);
	cleanup();
	return MP_ENV_SKIP;
}

int
mp_env_setup(const char *tag)
{
	long nr, free_pages;

	env.owner = getpid();
	atexit(cleanup);
	signal(SIGTERM, on_signal);
	signal(SIGINT, on_signal);
	/* Unique per run: tests run concurrently with other DPDK tests. */
	snprintf(env.prefix, sizeof(env.prefix), "uxdp_%s_%d", tag,
		 (int)getpid());

	nr = read_long(HP_SYSFS "nr_hugepages");
	free_pages = read_long(HP_SYSFS "free_hugepages");
	if (nr < 0 || free_pages < 0)
		return skip("no 2 MiB hugepage support in this kernel");
	if (free_pages < HP_NEEDED) {
		if (geteuid() != 0)
			return skip("too few free 2 MiB hugepages, and not root "
				    "to reserve more");
		env.saved_nr = nr;
		if (write_long(HP_SYSFS "nr_hugepages",
			       nr + HP_NEEDED - free_pages) < 0 ||
		    read_long(HP_SYSFS "free_hugepages") < HP_NEEDED)
			return skip("the kernel could not reserve 64 free 2 MiB "
				    "hugepages (memory fragmented or short)");
	}

	snprintf(env.huge_dir, sizeof(env.huge_dir), "/run/%s", env.prefix);
	if (mkdir(env.huge_dir, 0700) < 0)
		return skip("cannot create a private hugetlbfs directory in /run");
	if (mount("nodev", env.huge_dir, "hugetlbfs", 0, "pagesize=2M") < 0) {
		rmdir(env.huge_dir);
		return skip("cannot mount hugetlbfs (needs root)");
	}
	env.mounted = 1;
	return 0;
}

int
mp_env_is_secondary(int argc, char **argv)
{
	return argc >= 4 && strcmp(argv[1], MP_ENV_SECONDARY_ARG) == 0;
}

int
mp_env_eal_init(int argc, char **argv, const char *lcores)
{
	int secondary = mp_env_is_secondary(argc, argv);
	char prefix[96], huge_dir[128], lc[64];
	char *eal_argv[] = {
		argv[0], lc, prefix, huge_dir,
		secondary ? "--proc-type=secondary" : "--proc-type=primary",
		"--no-pci", "--no-telemetry", "--log-level=lib.eal:error",
		NULL,
	};
	int eal_argc = (int)(sizeof(eal_argv) / sizeof(eal_argv[0])) - 1;

	snprintf(lc, sizeof(lc), "--lcores=%s", lcores);
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s",
		 secondary ? argv[2] : env.prefix);
	snprintf(huge_dir, sizeof(huge_dir), "--huge-dir=%s",
		 secondary ? argv[3] : env.huge_dir);
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "%s: rte_eal_init failed: %s\n",
			secondary ? "secondary" : "primary",
			rte_strerror(rte_errno));
		return -1;
	}
	return 0;
}

pid_t
mp_env_spawn_secondary(void)
{
	char *argv[] = {
		"mp-secondary", MP_ENV_SECONDARY_ARG, env.prefix, env.huge_dir,
		NULL,
	};
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid == 0) {
		/* A fresh image: a forked copy of an initialised EAL cannot
		 * become another DPDK process. */
		execv("/proc/self/exe", argv);
		perror("execv");
		_exit(127);
	}
	return pid;
}

int
mp_env_wait(pid_t pid, unsigned int timeout_s)
{
	struct timespec tick = { .tv_nsec = 10 * 1000 * 1000 };
	unsigned int waited;
	int status;
	pid_t r;

	for (waited = 0; waited < timeout_s * 100; waited++) {
		r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		if (r < 0)
			return -1;
		nanosleep(&tick, NULL);
	}
	fprintf(stderr, "secondary %d: timeout after %u s, killed\n",
		(int)pid, timeout_s);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}
