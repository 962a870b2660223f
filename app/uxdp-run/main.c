/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp-run: run an XDP program of a BPF object over packets offline, with
 * uxdp's loader and engines, and print what it did as JSON lines. The
 * kernel oracle (app/test/oracle) prints the same lines through
 * BPF_PROG_TEST_RUN; see doc/uxdp-run.md.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_run.h"

static const char usage[] =
"Usage: uxdp-run [OPTIONS] OBJ.o (--pkt HEX | --in IN.pcap)\n"
"       uxdp-run --list OBJ.o\n"
"\n"
"Run an XDP program of a clang/libbpf BPF object over packets, offline,\n"
"with uxdp. Each packet is copied into a fresh zeroed 4096-byte frame with\n"
"256 bytes of headroom and 320 of tailroom (BPF_PROG_TEST_RUN's geometry);\n"
"past 3520 bytes the rest goes into 4096-byte fragments, as the kernel's\n"
"test run builds multi-buffer frames. One JSON line is printed per packet,\n"
"in input order:\n"
"  {\"ret\": N, \"action\": \"XDP_TX\", \"data\": HEX, \"meta\": HEX}\n"
"data is the packet (data..data_end, then any fragments) and meta the\n"
"metadata (data_meta..data)\n"
"after the run, lowercase hex in memory order. A packet that cannot run\n"
"(longer than the kernel takes: 3520 + 17 * 4096 bytes) gives\n"
"  {\"error\": \"packet N: ...\"}\n"
"(packets count from 1) and the tool goes on, exiting 1 at the end.\n"
"\n"
"Options:\n"
"  --engine jit|interp   execution engine (default: interp)\n"
"  --prog NAME           program by function or section name\n"
"                        (default: the first XDP program)\n"
"  --ifindex N           xdp_md.ingress_ifindex the program sees (default 0)\n"
"  --rxq N               xdp_md.rx_queue_index the program sees (default 0)\n"
"  --mbuf HEADROOM:BUF_LEN\n"
"                        put each packet HEADROOM bytes into a zeroed buffer\n"
"                        of BUF_LEN bytes, as net_uxdp's mbufs hold it: the\n"
"                        program still sees the kernel's frame, and helpers\n"
"                        move the packet inside the buffer or fail as\n"
"                        net_uxdp does (no fragments in this mode)\n"
"  --map-update MAP:KEYHEX:VALHEX[:PROG]\n"
"                        update (BPF_ANY) one map entry before the first\n"
"                        packet; repeatable, applied in order; PROG names\n"
"                        a devmap program whose id fills bytes 4..7 of\n"
"                        an 8-byte devmap value\n"
"  --set NAME=VALUE      give a `volatile const` variable (.rodata,\n"
"                        .rodata.*) its value before the program is checked,\n"
"                        as a libbpf skeleton does before load; VALUE is an\n"
"                        integer (decimal or 0x hex, negative for signed\n"
"                        types) or hex:BYTES of the variable's exact size;\n"
"                        repeatable, applied in order; needs BTF (clang -g)\n"
"  --dump-maps           after the last packet print one line\n"
"                        {\"maps\": {\"NAME\": [{\"key\": HEX, \"value\": HEX}]}}:\n"
"                        every entry of hash maps, the non-zero entries of\n"
"                        array maps; per-CPU maps as \"values\": [HEX...]\n"
"  --btf-json            with --dump-maps: each entry also gets\n"
"                        \"formatted\": {\"key\": JSON, \"value\": JSON}, the\n"
"                        key and value as JSON by the map's BTF types\n"
"                        (hex strings for maps without them)\n"
"  --sandbox             run under the sandbox's run-time checks\n"
"                        (UXDP_VERIFY_SANDBOX, doc/sandbox.md) and add\n"
"                        \"sandbox_faults\": the runs of that packet the\n"
"                        sandbox ended as XDP_ABORTED\n"
"  --repeat N            run each packet N times on the same frame, in\n"
"                        place, and add \"ns_per_run\" (mean, CLOCK_MONOTONIC)\n"
"  --out OUT.pcap        write the output frame (data..data_end) of every\n"
"                        packet that ran, whatever its action, in input order\n"
"  --pkt HEX             the one input packet, as hex\n"
"  --in IN.pcap          the input packets, from an Ethernet pcap\n"
"  --list                print the object's programs and maps as one JSON\n"
"                        object and exit\n"
"                        (each program with \"map_refs\": the map or\n"
"                        variable each relocated ld_imm64 refers to)\n"
"  --help                this text\n"
"\n"
"Exit status: 0 success; 1 load error, a packet that could not run or a\n"
"map that refused an update; 2 usage error (also an unknown map or a wrong\n"
"key/value length in --map-update).\n";

static int
uxdp_run_open(const struct run_opts *o, void **ctxp, char *err, size_t err_len)
{
	struct uxdp_obj_opts obj_opts = { .map_mem = UXDP_MEM_HEAP };
	enum uxdp_engine engine = UXDP_ENGINE_INTERP;
	struct uxdp_run *run;
	int ret;

	run = calloc(1, sizeof(*run));
	if (run == NULL) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	obj_opts.consts = o->consts;
	if (o->sandbox)
		obj_opts.verify = UXDP_VERIFY_SANDBOX;
	obj_opts.n_consts = o->n_consts;
	ret = uxdp_obj_load(o->obj_path, &obj_opts, &run->obj, err, err_len);
	if (ret < 0)
		goto fail;
	if (o->list) {
		*ctxp = run;
		return 0;
	}

	run->prog = uxdp_obj_find_prog(run->obj, o->prog, err, err_len);
	if (run->prog == NULL) {
		ret = -ENOENT;
		goto fail;
	}
	if (o->engine != NULL && strcmp(o->engine, "jit") == 0)
		engine = UXDP_ENGINE_JIT;
	ret = uxdp_prog_set_engine(run->prog, engine, err, err_len);
	if (ret < 0)
		goto fail;

	run->frame = aligned_alloc(64, UXDP_XDP_FRAME_SIZE);
	run->frag_pages = aligned_alloc(64, UXDP_XDP_MAX_FRAGS *
					UXDP_XDP_FRAME_SIZE);
	run->gathered = malloc(UXDP_RUN_MAX_PKT);
	run->mbuf_buf = malloc(UINT16_MAX);
	if (run->frame == NULL || run->frag_pages == NULL ||
	    run->gathered == NULL || run->mbuf_buf == NULL) {
		free(run->frame);
		free(run->frag_pages);
		free(run->gathered);
		free(run->mbuf_buf);
		snprintf(err, err_len, "out of memory");
		ret = -ENOMEM;
		goto fail;
	}
	*ctxp = run;
	return 0;
fail:
	uxdp_obj_close(run->obj);
	free(run);
	return ret;
}

static void
uxdp_run_close(void *ctx)
{
	struct uxdp_run *run = ctx;

	if (run == NULL)
		return;
	uxdp_obj_close(run->obj);
	free(run->frame);
	free(run->frag_pages);
	free(run->gathered);
	free(run->mbuf_buf);
	free(run);
}

/* ", \"map_refs\": [...]": what each relocated ld_imm64 refers to, so that
 * tests can compare the loader's relocations with libbpf's and with an
 * independent reading of the ELF file (devtools/bpf_elf_view.py). */
static void
uxdp_run_list_map_refs(const struct uxdp_prog *prog, FILE *f)
{
	unsigned int i, n = uxdp_prog_map_ref_count(prog);
	struct uxdp_map_ref ref;

	fputs(", \"map_refs\": [", f);
	for (i = 0; i < n; i++) {
		if (uxdp_prog_map_ref_at(prog, i, &ref) < 0)
			break;
		fprintf(f, "%s{\"insn\": %" PRIu32 ", \"map\": ", i > 0 ? ", " : "",
			ref.insn);
		run_json_string(f, uxdp_map_name(ref.map));
		fprintf(f, ", \"off\": %" PRIu64 ", \"kind\": \"%s\"}", ref.off,
			ref.is_value ? "value" : "map");
	}
	fputc(']', f);
}

static int
uxdp_run_list_progs(void *ctx, FILE *f)
{
	struct uxdp_run *run = ctx;
	unsigned int i, n = uxdp_obj_prog_count(run->obj);
	struct uxdp_prog *prog;

	fputc('[', f);
	for (i = 0; i < n; i++) {
		prog = uxdp_obj_prog_at(run->obj, i);
		fputs(i > 0 ? ", {\"name\": " : "{\"name\": ", f);
		run_json_string(f, uxdp_prog_name(prog));
		fputs(", \"section\": ", f);
		run_json_string(f, uxdp_prog_section(prog));
		fprintf(f, ", \"insns\": %" PRIu32, uxdp_prog_insn_count(prog));
		uxdp_run_list_map_refs(prog, f);
		fputc('}', f);
	}
	fputc(']', f);
	return 0;
}

static const struct run_tool uxdp_run_tool = {
	.spec = {
		.tool_name = "uxdp-run",
		.usage = usage,
		.has_engine = true,
		.has_btf_json = true,
		.has_mbuf = true,
		.has_sandbox = true,
	},
	.open = uxdp_run_open,
	.close = uxdp_run_close,
	.list_progs = uxdp_run_list_progs,
	.run_packet = uxdp_run_packet,
	.map_ops = &uxdp_run_map_ops,
};

int
main(int argc, char **argv)
{
	return run_main(argc, argv, &uxdp_run_tool);
}
