/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp-kernel-run: the kernel oracle. The uxdp-run command line (without
 * --engine) and the same JSON lines, but the object is loaded into the
 * running kernel with libbpf and every packet goes through
 * BPF_PROG_TEST_RUN. Test-only; never installed.
 *
 * Kernel facts this relies on (net/bpf/test_run.c, checked on 6.x):
 * - the frame is a zeroed page: 256 bytes of headroom, the packet, and
 *   320 bytes of tailroom for skb_shared_info (what uxdp-run copies);
 * - with ctx_in = struct xdp_md { .data = 0, .data_meta = 0,
 *   .data_end = len } data_out starts at data_meta and ctx_out.data is the
 *   metadata length afterwards (data - data_meta), ctx_out.data_end the
 *   linear length from data_meta;
 * - packets shorter than ETH_HLEN are refused with EINVAL;
 * - ingress_ifindex 0 runs on the loopback device's queue 0, so a program
 *   reading ctx->ingress_ifindex sees lo's index, not 0;
 * - repeat runs on the same xdp_buff in place; duration is the mean.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <linux/bpf.h>
#include <linux/if_ether.h>

#include "kernel_run.h"
#include "uxdp_kernel_consts.h"

/* Room for a whole page plus fragments, should the kernel build any. */
#define OUT_BUF_LEN (256 * 1024)

static const char usage[] =
"Usage: uxdp-kernel-run [OPTIONS] OBJ.o (--pkt HEX | --in IN.pcap)\n"
"       uxdp-kernel-run --list OBJ.o\n"
"\n"
"The kernel oracle of the uxdp tests: uxdp-run's command line and JSON\n"
"lines, with the program loaded into the running kernel (libbpf, nothing\n"
"pinned) and each packet run by BPF_PROG_TEST_RUN. Needs the bpf() syscall\n"
"(root); without it exits 77 with \"SKIP: reason\" on stderr.\n"
"\n"
"Options: --prog NAME, --ifindex N, --rxq N (validated by the kernel: the\n"
"device must exist; 0 means loopback), --map-update MAP:KEYHEX:VALHEX,\n"
"--set NAME=VALUE (written into libbpf's .rodata image before load),\n"
"--dump-maps, --repeat N (ns_per_run is the kernel's mean duration),\n"
"--out OUT.pcap, --pkt HEX, --in IN.pcap, --list, --help; see uxdp-run\n"
"--help. The kernel refuses packets shorter than 14 bytes: those give an\n"
"error line.\n";

/* The bpf() syscall at all: creating a one-entry array is the cheapest
 * thing that needs the same privilege as loading an XDP program. */
static int
probe_bpf(char *err, size_t err_len)
{
	int fd;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);
	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (fd == -EPERM || fd == -EACCES || fd == -ENOSYS) {
		snprintf(err, err_len, "the bpf() syscall is not permitted here: %s",
			 strerror(-fd));
		return RUN_OPEN_SKIP;
	}
	snprintf(err, err_len, "bpf() map creation failed: %s", strerror(-fd));
	return fd;
}

static bool
prog_matches(struct bpf_program *prog, const char *sel)
{
	if (sel == NULL)
		/* as uxdp: devmap and cpumap programs run from map entries */
		return bpf_program__type(prog) == BPF_PROG_TYPE_XDP &&
		       bpf_program__expected_attach_type(prog) !=
		       BPF_XDP_DEVMAP &&
		       bpf_program__expected_attach_type(prog) !=
		       BPF_XDP_CPUMAP;
	return strcmp(bpf_program__name(prog), sel) == 0 ||
	       strcmp(bpf_program__section_name(prog), sel) == 0;
}

/* Whether a --map-update names prog for a devmap value: it must load. */
static bool
named_by_map_update(const struct bpf_program *prog, const struct run_opts *o)
{
	unsigned int i;

	for (i = 0; i < o->n_updates; i++)
		if (o->updates[i].prog != NULL &&
		    (strcmp(bpf_program__name(prog), o->updates[i].prog) == 0 ||
		     strcmp(bpf_program__section_name(prog),
			    o->updates[i].prog) == 0))
			return true;
	return false;
}

/* Load only the chosen program (subprograms come with it) and the devmap
 * programs --map-update names, so the verifier judges what runs. With
 * --list everything loads. */
static int
choose_program(struct kernel_run *kr, const struct run_opts *o,
	       struct bpf_program **chosen, char *err, size_t err_len)
{
	struct bpf_program *prog;

	*chosen = NULL;
	bpf_object__for_each_program(prog, kr->obj) {
		if (o->list)
			continue;
		if (*chosen == NULL && prog_matches(prog, o->prog))
			*chosen = prog;
		else if (!kernel_run_loads_tail_targets(kr->obj, prog) &&
			 !named_by_map_update(prog, o))
			bpf_program__set_autoload(prog, false);
	}
	if (!o->list && *chosen == NULL) {
		if (o->prog != NULL)
			snprintf(err, err_len, "%s: no program or section named '%s'",
				 o->obj_path, o->prog);
		else
			snprintf(err, err_len, "%s: no XDP program", o->obj_path);
		return -ENOENT;
	}
	return 0;
}

static void
kernel_run_close(void *ctx)
{
	struct kernel_run *kr = ctx;

	if (kr == NULL)
		return;
	bpf_object__close(kr->obj);
	free(kr->maps);
	free(kr->out_buf);
	free(kr);
}

static int
kernel_run_open(const struct run_opts *o, void **ctxp, char *err, size_t err_len)
{
	struct bpf_program *chosen;
	struct kernel_run *kr;
	struct bpf_map *map;
	char reason[128];
	int ret;

	ret = probe_bpf(err, err_len);
	if (ret != 0)
		return ret;

	kr = calloc(1, sizeof(*kr));
	if (kr == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	kr->prog_fd = -1;
	kr->obj = bpf_object__open_file(o->obj_path, NULL);
	if (kr->obj == NULL) {
		ret = -errno;
		libbpf_strerror(ret, reason, sizeof(reason));
		snprintf(err, err_len, "%s: libbpf cannot open it: %s",
			 o->obj_path, reason);
		goto fail;
	}
	kernel_run_adopt_xdp_sections(kr->obj);
	ret = choose_program(kr, o, &chosen, err, err_len);
	if (ret < 0)
		goto fail;
	/* Tests must leave nothing behind in /sys/fs/bpf. */
	bpf_object__for_each_map(map, kr->obj)
		bpf_map__set_pin_path(map, NULL);

	ret = uxdp_kernel_set_consts(kr->obj, o->obj_path, o->consts,
				     o->n_consts, err, err_len);
	if (ret < 0)
		goto fail;
	ret = bpf_object__load(kr->obj);
	if (ret < 0) {
		libbpf_strerror(ret, reason, sizeof(reason));
		snprintf(err, err_len, "%s: loading into the kernel failed: %s (libbpf's log above)",
			 o->obj_path, reason);
		goto fail;
	}
	ret = kernel_run_collect_maps(kr);
	if (ret < 0) {
		snprintf(err, err_len, "out of memory");
		goto fail;
	}
	if (chosen != NULL)
		kr->prog_fd = bpf_program__fd(chosen);
	kr->out_buf_len = OUT_BUF_LEN;
	kr->out_buf = malloc(kr->out_buf_len);
	if (kr->out_buf == NULL) {
		snprintf(err, err_len, "out of memory");
		ret = -ENOMEM;
		goto fail;
	}
	*ctxp = kr;
	return 0;
fail:
	kernel_run_close(kr);
	return ret;
}

static int
kernel_run_list_progs(void *ctx, FILE *f)
{
	struct kernel_run *kr = ctx;
	struct bpf_program *prog;
	bool first = true;

	if (kernel_run_check_created_maps(kr->obj) < 0)
		return -1;
	fputc('[', f);
	bpf_object__for_each_program(prog, kr->obj) {
		fputs(first ? "{\"name\": " : ", {\"name\": ", f);
		first = false;
		run_json_string(f, bpf_program__name(prog));
		fputs(", \"section\": ", f);
		run_json_string(f, bpf_program__section_name(prog));
		fprintf(f, ", \"insns\": %zu", bpf_program__insn_cnt(prog));
		kernel_run_list_map_refs(kr->obj, prog, f);
		fputc('}', f);
	}
	fputc(']', f);
	return 0;
}

static int
kernel_run_packet(void *ctx, const struct run_opts *o, const struct run_pkt *pkt,
		  struct run_result *res, char *err, size_t err_len)
{
	struct kernel_run *kr = ctx;
	struct xdp_md ctx_in, ctx_out;
	LIBBPF_OPTS(bpf_test_run_opts, topts);
	int ret;

	memset(&ctx_in, 0, sizeof(ctx_in));
	memset(&ctx_out, 0, sizeof(ctx_out));
	ctx_in.data_end = pkt->len;
	ctx_in.ingress_ifindex = o->ifindex;
	ctx_in.rx_queue_index = o->rxq;

	topts.data_in = pkt->bytes;
	topts.data_size_in = pkt->len;
	topts.data_out = kr->out_buf;
	topts.data_size_out = (__u32)kr->out_buf_len;
	topts.ctx_in = &ctx_in;
	topts.ctx_size_in = sizeof(ctx_in);
	topts.ctx_out = &ctx_out;
	topts.ctx_size_out = sizeof(ctx_out);
	topts.repeat = o->repeat;

	ret = bpf_prog_test_run_opts(kr->prog_fd, &topts);
	if (ret < 0) {
		snprintf(err, err_len, "BPF_PROG_TEST_RUN: %s%s", strerror(-ret),
			 pkt->len < ETH_HLEN && ret == -EINVAL ?
			 " (the kernel refuses packets shorter than 14 bytes)" : "");
		return ret;
	}
	/* data_out holds metadata then packet (then any fragments). */
	if (ctx_out.data > ctx_out.data_end || ctx_out.data > topts.data_size_out) {
		snprintf(err, err_len, "unexpected ctx_out: data %" PRIu32 ", data_end %" PRIu32 ", %" PRIu32 " bytes out",
			 ctx_out.data, ctx_out.data_end, topts.data_size_out);
		return -EPROTO;
	}
	res->ret = topts.retval;
	res->meta = kr->out_buf;
	res->meta_len = ctx_out.data;
	res->data = kr->out_buf + ctx_out.data;
	res->data_len = topts.data_size_out - ctx_out.data;
	res->ns_per_run = topts.duration;
	return 0;
}

static const struct run_tool kernel_run_tool = {
	.spec = {
		.tool_name = "uxdp-kernel-run",
		.usage = usage,
		.has_engine = false,
	},
	.open = kernel_run_open,
	.close = kernel_run_close,
	.list_progs = kernel_run_list_progs,
	.run_packet = kernel_run_packet,
	.map_ops = &kernel_run_map_ops,
};

int
main(int argc, char **argv)
{
	return run_main(argc, argv, &kernel_run_tool);
}
