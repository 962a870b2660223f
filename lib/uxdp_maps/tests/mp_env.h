/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef UXDP_MP_ENV_H
#define UXDP_MP_ENV_H

/*
 * What a two-process test needs around DPDK: hugepages (a secondary
 * process cannot share --no-huge memory: DPDK 22.11 keeps it in private
 * anonymous mappings, and refuses --proc-type=secondary with --no-huge),
 * a private hugetlbfs mount, a unique --file-prefix, and the secondary:
 * the test binary itself, re-executed with a marker argument.
 *
 * The primary's main() calls mp_env_setup(); when that gives MP_ENV_SKIP
 * the test exits with it (meson's "skipped") after the printed reason.
 * Whatever it changed (nr_hugepages, the mount) is put back at exit, also
 * on a failed CHECK, and on SIGTERM from a test timeout.
 */

#include <sys/types.h>

#define MP_ENV_SKIP 77
#define MP_ENV_SECONDARY_ARG "--mp-secondary"

/* Set up hugepages and names for a primary; tag names the test. Returns 0,
 * or MP_ENV_SKIP after printing why the machine cannot run it. */
int mp_env_setup(const char *tag);

/* Whether argv asks for the secondary role (the re-executed binary). */
int mp_env_is_secondary(int argc, char **argv);

/* rte_eal_init() for either role: lcores is an -l / --lcores value, e.g.
 * "0-1" or "2@0". Secondary: the prefix and hugetlbfs dir come from the
 * argv of mp_env_spawn_secondary(). Returns 0 or -1 with a message. */
int mp_env_eal_init(int argc, char **argv, const char *lcores);

/* Start the secondary (same binary). Returns its pid or -1. */
pid_t mp_env_spawn_secondary(void);

/* Wait up to timeout_s for pid: its exit status, or -1 (then killed) on a
 * timeout or a signal. */
int mp_env_wait(pid_t pid, unsigned int timeout_s);

#endif /* UXDP_MP_ENV_H */
