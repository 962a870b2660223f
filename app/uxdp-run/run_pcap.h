/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef RUN_PCAP_H
#define RUN_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "run_opts.h"

/* One input packet; bytes stay valid until the next run_input_next(). */
struct run_pkt {
	const uint8_t *bytes;
	uint32_t len;
	struct timeval ts;
};

/* Where packets come from: the --pkt bytes or an Ethernet pcap (--in). */
struct run_input;

/* 0, or -errno with a message in err. */
int run_input_open(const struct run_opts *o, struct run_input **in,
		   char *err, size_t err_len);
/* 1 and a packet, 0 at the end, -errno with a message in err. */
int run_input_next(struct run_input *in, struct run_pkt *pkt,
		   char *err, size_t err_len);
void run_input_close(struct run_input *in);

/* The --out pcap of output frames. */
struct run_output;

int run_output_open(const char *path, struct run_output **out,
		    char *err, size_t err_len);
void run_output_write(struct run_output *out, const struct timeval *ts,
		      const uint8_t *bytes, size_t len);
/* Flushes and closes; -EIO with a message when the file is incomplete. */
int run_output_close(struct run_output *out, char *err, size_t err_len);

#endif /* RUN_PCAP_H */
