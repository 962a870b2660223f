/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "run_main.h"

#define ERR_LEN 512

static int
print_list(const struct run_tool *tool, void *ctx)
{
	fputs("{\"programs\": ", stdout);
	if (tool->list_progs(ctx, stdout) < 0)
		return -1;
	fputs(", \"maps\": ", stdout);
	if (run_maps_list(stdout, tool->map_ops, ctx) < 0)
		return -1;
	fputs("}\n", stdout);
	return 0;
}

/* Every packet of the input in order: one JSON line each, and one frame
 * in --out for each packet that ran. Returns the exit status. */
static int
run_packets(const struct run_tool *tool, void *ctx, const struct run_opts *o)
{
	const char *name = tool->spec.tool_name;
	struct run_output *out = NULL;
	struct run_input *in = NULL;
	struct run_result res;
	struct run_pkt pkt;
	char err[ERR_LEN];
	uint64_t index = 0;
	bool failed = false;
	int ret;

	if (run_input_open(o, &in, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", name, err);
		return 1;
	}
	if (o->out_path != NULL &&
	    run_output_open(o->out_path, &out, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", name, err);
		run_input_close(in);
		return 1;
	}
	for (;;) {
		ret = run_input_next(in, &pkt, err, sizeof(err));
		if (ret == 0)
			break;
		if (ret < 0) {
			fprintf(stderr, "%s: %s\n", name, err);
			failed = true;
			break;
		}
		index++;
		memset(&res, 0, sizeof(res));
		ret = tool->run_packet(ctx, o, &pkt, &res, err, sizeof(err));
		if (ret < 0) {
			run_json_packet_error(stdout, index, err);
			failed = true;
			continue;
		}
		res.timed = o->timed;
		run_json_result(stdout, &res);
		if (out != NULL)
			run_output_write(out, &pkt.ts, res.data, res.data_len);
	}
	if (run_output_close(out, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s: %s\n", name, err);
		failed = true;
	}
	run_input_close(in);
	return failed ? 1 : 0;
}

int
run_main(int argc, char **argv, const struct run_tool *tool)
{
	const char *name = tool->spec.tool_name;
	struct run_opts o;
	char err[ERR_LEN];
	void *ctx = NULL;
	int ret, status;

	ret = run_opts_parse(argc, argv, &tool->spec, &o);
	if (ret != 0) {
		run_opts_free(&o);
		return ret > 0 ? 0 : RUN_EXIT_USAGE;
	}

	err[0] = '\0';
	ret = tool->open(&o, &ctx, err, sizeof(err));
	if (ret == RUN_OPEN_SKIP) {
		fprintf(stderr, "SKIP: %s\n", err);
		run_opts_free(&o);
		return RUN_EXIT_SKIP;
	}
	if (ret < 0) {
		fprintf(stderr, "%s: %s\n", name, err);
		run_opts_free(&o);
		return 1;
	}

	if (o.list) {
		status = print_list(tool, ctx) < 0 ? 1 : 0;
		goto out;
	}
	status = run_maps_apply_updates(tool->map_ops, ctx, &o, name);
	if (status != 0)
		goto out;
	status = run_packets(tool, ctx, &o);
	if (o.dump_maps &&
	    run_maps_dump(stdout, tool->map_ops, ctx, o.btf_json, err,
			  sizeof(err)) < 0) {
		fprintf(stderr, "%s: --dump-maps: %s\n", name, err);
		status = 1;
	}
out:
	fflush(stdout);
	tool->close(ctx);
	run_opts_free(&o);
	return status;
}
