/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <pcap/pcap.h>

#include "run_pcap.h"

/* Output frames can grow (adjust_tail) but never past a 4 KiB frame;
 * the classic maximum keeps any reader happy. */
#define OUTPUT_SNAPLEN 65535

struct run_input {
	pcap_t *pcap;            /* NULL for --pkt */
	const uint8_t *pkt;      /* --pkt bytes, owned by the options */
	size_t pkt_len;
	bool pkt_given;
};

struct run_output {
	pcap_t *dead;
	pcap_dumper_t *dumper;
};

int
run_input_open(const struct run_opts *o, struct run_input **inp,
	       char *err, size_t err_len)
{
	char pcap_err[PCAP_ERRBUF_SIZE];
	struct run_input *in;

	in = calloc(1, sizeof(*in));
	if (in == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	if (o->in_path == NULL) {
		in->pkt = o->pkt;
		in->pkt_len = o->pkt_len;
		*inp = in;
		return 0;
	}
	in->pcap = pcap_open_offline(o->in_path, pcap_err);
	if (in->pcap == NULL) {
		snprintf(err, err_len, "%s: %s", o->in_path, pcap_err);
		free(in);
		return -EINVAL;
	}
	if (pcap_datalink(in->pcap) != DLT_EN10MB) {
		snprintf(err, err_len, "%s: link type %s, XDP needs Ethernet (EN10MB)",
			 o->in_path,
			 pcap_datalink_val_to_name(pcap_datalink(in->pcap)) ?: "unknown");
		pcap_close(in->pcap);
		free(in);
		return -EINVAL;
	}
	*inp = in;
	return 0;
}

int
run_input_next(struct run_input *in, struct run_pkt *pkt, char *err,
	       size_t err_len)
{
	struct pcap_pkthdr *hdr;
	const u_char *bytes;
	int ret;

	if (in->pcap == NULL) {
		if (in->pkt_given)
			return 0;
		in->pkt_given = true;
		memset(pkt, 0, sizeof(*pkt));
		pkt->bytes = in->pkt;
		pkt->len = (uint32_t)in->pkt_len;
		return 1;
	}
	ret = pcap_next_ex(in->pcap, &hdr, &bytes);
	if (ret == PCAP_ERROR_BREAK)
		return 0;
	if (ret != 1) {
		snprintf(err, err_len, "reading the pcap: %s", pcap_geterr(in->pcap));
		return -EIO;
	}
	/* A capture cut at its snap length runs as what was captured. */
	pkt->bytes = bytes;
	pkt->len = hdr->caplen;
	pkt->ts = hdr->ts;
	return 1;
}

void
run_input_close(struct run_input *in)
{
	if (in == NULL)
		return;
	if (in->pcap != NULL)
		pcap_close(in->pcap);
	free(in);
}

int
run_output_open(const char *path, struct run_output **outp, char *err,
		size_t err_len)
{
	struct run_output *out;

	out = calloc(1, sizeof(*out));
	if (out == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	out->dead = pcap_open_dead(DLT_EN10MB, OUTPUT_SNAPLEN);
	if (out->dead == NULL) {
		snprintf(err, err_len, "%s: cannot create a pcap handle", path);
		free(out);
		return -ENOMEM;
	}
	out->dumper = pcap_dump_open(out->dead, path);
	if (out->dumper == NULL) {
		snprintf(err, err_len, "%s: %s", path, pcap_geterr(out->dead));
		pcap_close(out->dead);
		free(out);
		return -EIO;
	}
	*outp = out;
	return 0;
}

void
run_output_write(struct run_output *out, const struct timeval *ts,
		 const uint8_t *bytes, size_t len)
{
	struct pcap_pkthdr hdr;

	memset(&hdr, 0, sizeof(hdr));
	hdr.ts = *ts;
	hdr.caplen = (bpf_u_int32)len;
	hdr.len = (bpf_u_int32)len;
	pcap_dump((u_char *)out->dumper, &hdr, bytes);
}

int
run_output_close(struct run_output *out, char *err, size_t err_len)
{
	int ret = 0;

	if (out == NULL)
		return 0;
	if (pcap_dump_flush(out->dumper) != 0) {
		snprintf(err, err_len, "writing the output pcap failed");
		ret = -EIO;
	}
	pcap_dump_close(out->dumper);
	pcap_close(out->dead);
	free(out);
	return ret;
}
