/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Empty on purpose. <linux/icmp.h> includes <linux/if.h>, which includes
 * glibc's <sys/socket.h>; under -target bpf glibc takes the 32-bit path and
 * wants <gnu/stubs-32.h>, which Debian ships only with the i386 libc.
 * The stubs header only lists unimplemented functions: nothing the target
 * types need.
 */
