/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "uxdp_bpf.h"

#include "run_hex.h"
#include "run_opts.h"

enum {
	OPT_ENGINE = 256,
	OPT_PROG,
	OPT_IFINDEX,
	OPT_RXQ,
	OPT_MAP_UPDATE,
	OPT_DUMP_MAPS,
	OPT_REPEAT,
	OPT_OUT,
	OPT_PKT,
	OPT_IN,
	OPT_LIST,
	OPT_SET,
	OPT_BTF_JSON,
	OPT_MBUF,
	OPT_SANDBOX,
	OPT_HELP,
};

static const struct option long_options[] = {
	{ "engine", required_argument, NULL, OPT_ENGINE },
	{ "prog", required_argument, NULL, OPT_PROG },
	{ "ifindex", required_argument, NULL, OPT_IFINDEX },
	{ "rxq", required_argument, NULL, OPT_RXQ },
	{ "map-update", required_argument, NULL, OPT_MAP_UPDATE },
	{ "dump-maps", no_argument, NULL, OPT_DUMP_MAPS },
	{ "repeat", required_argument, NULL, OPT_REPEAT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "pkt", required_argument, NULL, OPT_PKT },
	{ "in", required_argument, NULL, OPT_IN },
	{ "list", no_argument, NULL, OPT_LIST },
	{ "set", required_argument, NULL, OPT_SET },
	{ "btf-json", no_argument, NULL, OPT_BTF_JSON },
	{ "mbuf", required_argument, NULL, OPT_MBUF },
	{ "sandbox", no_argument, NULL, OPT_SANDBOX },
	{ "help", no_argument, NULL, OPT_HELP },
	{ NULL, 0, NULL, 0 },
};

static int __attribute__((format(printf, 2, 3)))
usage_error(const struct run_opts_spec *spec, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", spec->tool_name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help'.\n", spec->tool_name);
	return -EINVAL;
}

/* A decimal u32 with nothing after it. */
static int
parse_u32(const char *text, uint32_t *out)
{
	unsigned long long v;
	char *end;

	if (text[0] < '0' || text[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(text, &end, 10);
	if (errno != 0 || *end != '\0' || v > UINT32_MAX)
		return -EINVAL;
	*out = (uint32_t)v;
	return 0;
}

/* MAP:KEYHEX:VALHEX[:PROG]. Map names never hold ':' (libbpf and the
 * kernel allow only alphanumerics, '_' and '.'), so the first two split
 * it; a third starts the name of a devmap program for the value. */
static int
parse_map_update(const struct run_opts_spec *spec, const char *arg,
		 struct run_opts *o)
{
	struct run_map_update *u, *grown;
	const char *colon1, *colon2, *colon3;
	char *key_text, *value_text;
	int ret;

	colon1 = strchr(arg, ':');
	colon2 = colon1 != NULL ? strchr(colon1 + 1, ':') : NULL;
	if (colon1 == NULL || colon2 == NULL || colon1 == arg)
		return usage_error(spec, "--map-update '%s': expected MAP:KEYHEX:VALHEX", arg);
	colon3 = strchr(colon2 + 1, ':');
	if (colon3 != NULL && colon3[1] == '\0')
		return usage_error(spec, "--map-update '%s': expected MAP:KEYHEX:VALHEX:PROG", arg);

	grown = realloc(o->updates, (o->n_updates + 1) * sizeof(*grown));
	if (grown == NULL)
		return usage_error(spec, "out of memory");
	o->updates = grown;
	u = &o->updates[o->n_updates];
	memset(u, 0, sizeof(*u));
	o->n_updates++;

	u->map = strndup(arg, colon1 - arg);
	key_text = strndup(colon1 + 1, colon2 - colon1 - 1);
	if (u->map == NULL || key_text == NULL) {
		free(key_text);
		return usage_error(spec, "out of memory");
	}
	ret = run_hex_decode(key_text, &u->key, &u->key_len);
	free(key_text);
	if (ret < 0)
		return usage_error(spec, "--map-update '%s': the key is not hex bytes", arg);
	value_text = colon3 != NULL ? strndup(colon2 + 1, colon3 - colon2 - 1) :
		strdup(colon2 + 1);
	if (colon3 != NULL)
		u->prog = strdup(colon3 + 1);
	if (value_text == NULL || (colon3 != NULL && u->prog == NULL)) {
		free(value_text);
		return usage_error(spec, "out of memory");
	}
	ret = run_hex_decode(value_text, &u->value, &u->value_len);
	free(value_text);
	if (ret < 0)
		return usage_error(spec, "--map-update '%s': the value is not hex bytes", arg);
	return 0;
}

/* NAME=VALUE, checked for syntax here; whether the variable exists and
 * the value fits it is known only when the object loads. */
static int
parse_const_set(const struct run_opts_spec *spec, const char *arg,
		struct run_opts *o)
{
	struct uxdp_const_set *grown;
	char err[UXDP_ERR_MAX];

	grown = realloc(o->consts, (o->n_consts + 1) * sizeof(*grown));
	if (grown == NULL)
		return usage_error(spec, "out of memory");
	o->consts = grown;
	if (uxdp_const_parse(arg, '=', &o->consts[o->n_consts], err,
			     sizeof(err)) < 0)
		return usage_error(spec, "--set %s", err);
	o->n_consts++;
	return 0;
}

/* HEADROOM:BUF_LEN, as an mbuf's data_off and buf_len (16 bits). */
static int
parse_mbuf(const struct run_opts_spec *spec, const char *arg,
	   struct run_opts *o)
{
	char head[16];
	const char *colon = strchr(arg, ':');

	if (!spec->has_mbuf)
		return usage_error(spec, "--mbuf: this tool has no mbuf geometry");
	if (colon == NULL || (size_t)(colon - arg) >= sizeof(head))
		return usage_error(spec, "--mbuf '%s': expected HEADROOM:BUF_LEN", arg);
	memcpy(head, arg, colon - arg);
	head[colon - arg] = '\0';
	if (parse_u32(head, &o->mbuf_headroom) < 0 ||
	    parse_u32(colon + 1, &o->mbuf_buf_len) < 0 ||
	    o->mbuf_buf_len > UINT16_MAX ||
	    o->mbuf_headroom >= o->mbuf_buf_len)
		return usage_error(spec, "--mbuf '%s': expected HEADROOM:BUF_LEN with HEADROOM < BUF_LEN <= 65535", arg);
	o->has_mbuf = true;
	return 0;
}

static int
parse_one(const struct run_opts_spec *spec, int opt, const char *arg,
	  struct run_opts *o)
{
	switch (opt) {
	case OPT_ENGINE:
		if (!spec->has_engine)
			return usage_error(spec, "--engine: this tool has no engine choice");
		if (strcmp(arg, "jit") != 0 && strcmp(arg, "interp") != 0)
			return usage_error(spec, "--engine '%s': expected jit or interp", arg);
		o->engine = arg;
		return 0;
	case OPT_PROG:
		o->prog = arg;
		return 0;
	case OPT_SANDBOX:
		if (!spec->has_sandbox)
			return usage_error(spec, "--sandbox: this tool has no sandbox");
		o->sandbox = true;
		return 0;
	case OPT_IFINDEX:
		if (parse_u32(arg, &o->ifindex) < 0)
			return usage_error(spec, "--ifindex '%s': expected a 32-bit number", arg);
		return 0;
	case OPT_RXQ:
		if (parse_u32(arg, &o->rxq) < 0)
			return usage_error(spec, "--rxq '%s': expected a 32-bit number", arg);
		return 0;
	case OPT_MAP_UPDATE:
		return parse_map_update(spec, arg, o);
	case OPT_DUMP_MAPS:
		o->dump_maps = true;
		return 0;
	case OPT_REPEAT:
		if (parse_u32(arg, &o->repeat) < 0 || o->repeat == 0)
			return usage_error(spec, "--repeat '%s': expected a count from 1 to 4294967295", arg);
		o->timed = true;
		return 0;
	case OPT_OUT:
		o->out_path = arg;
		return 0;
	case OPT_PKT:
		if (o->has_pkt)
			return usage_error(spec, "--pkt given twice");
		if (run_hex_decode(arg, &o->pkt, &o->pkt_len) < 0)
			return usage_error(spec, "--pkt '%s': not hex bytes", arg);
		o->has_pkt = true;
		return 0;
	case OPT_IN:
		o->in_path = arg;
		return 0;
	case OPT_LIST:
		o->list = true;
		return 0;
	case OPT_SET:
		return parse_const_set(spec, arg, o);
	case OPT_BTF_JSON:
		if (!spec->has_btf_json)
			return usage_error(spec, "--btf-json: this tool has no BTF formatting");
		o->btf_json = true;
		return 0;
	case OPT_MBUF:
		return parse_mbuf(spec, arg, o);
	default:
		return usage_error(spec, "unknown option");
	}
}

int
run_opts_parse(int argc, char **argv, const struct run_opts_spec *spec,
	       struct run_opts *o)
{
	int opt, ret;

	memset(o, 0, sizeof(*o));
	o->repeat = 1;
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
		if (opt == OPT_HELP) {
			fputs(spec->usage, stdout);
			return 1;
		}
		if (opt == '?' || opt == ':')
			return usage_error(spec, "bad option or missing argument: '%s'",
					   argv[optind - 1]);
		ret = parse_one(spec, opt, optarg, o);
		if (ret < 0)
			return ret;
	}

	if (optind != argc - 1)
		return usage_error(spec, "%s", optind >= argc ?
				   "missing OBJ.o" : "exactly one OBJ.o expected");
	o->obj_path = argv[optind];
	if (o->btf_json && !o->dump_maps)
		return usage_error(spec, "--btf-json formats --dump-maps: give both");
	if (o->list) {
		if (o->has_pkt || o->in_path != NULL)
			return usage_error(spec, "--list takes no packets");
		return 0;
	}
	if (o->has_pkt == (o->in_path != NULL))
		return usage_error(spec, "give exactly one of --pkt HEX and --in IN.pcap");
	return 0;
}

void
run_opts_free(struct run_opts *o)
{
	unsigned int i;

	for (i = 0; i < o->n_updates; i++) {
		free(o->updates[i].map);
		free(o->updates[i].key);
		free(o->updates[i].value);
		free(o->updates[i].prog);
	}
	free(o->updates);
	for (i = 0; i < o->n_consts; i++)
		uxdp_const_set_free(&o->consts[i]);
	free(o->consts);
	free(o->pkt);
	memset(o, 0, sizeof(*o));
}
