/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Devargs of net_uxdp: one small handler per key, the way DPDK's vdev
 * drivers read them. Every refusal names the key and the value.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_kvargs.h>

#include "uxdp_ethdev.h"

#define ARG_DEV "dev"
#define ARG_IFACE "iface"
#define ARG_PROG "prog"
#define ARG_SEC "sec"
#define ARG_NAME "name"
#define ARG_MODE "mode"
#define ARG_QUEUE_COUNT "queue_count"
#define ARG_START_QUEUE "start_queue"
#define ARG_IFINDEX "ifindex"
#define ARG_CONST "const"
#define ARG_MAP_UPDATE "map_update"
#define ARG_VERIFY "verify"

static const char *const valid_arguments[] = {
	ARG_DEV, ARG_IFACE, ARG_PROG, ARG_SEC, ARG_NAME, ARG_MODE,
	ARG_QUEUE_COUNT, ARG_START_QUEUE, ARG_IFINDEX,
	ARG_CONST, ARG_MAP_UPDATE, ARG_VERIFY,
	NULL
};

static int
copy_string(const struct uxdp_devargs *a, const char *key, const char *value,
	    char *dst, size_t size)
{
	if (value == NULL || value[0] == '\0') {
		UXDP_LOG(ERR, "%s: devarg %s= needs a value", a->vdev_name, key);
		return -EINVAL;
	}
	if (strlen(value) >= size) {
		UXDP_LOG(ERR, "%s: devarg %s=%s is too long (at most %zu chars)",
			 a->vdev_name, key, value, size - 1);
		return -ENAMETOOLONG;
	}
	strcpy(dst, value);
	return 0;
}

static int
parse_u32(const struct uxdp_devargs *a, const char *key, const char *value,
	  uint32_t min, uint32_t max, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (value == NULL || value[0] == '\0')
		goto bad;
	errno = 0;
	v = strtoul(value, &end, 0);
	if (errno != 0 || *end != '\0' || value[0] == '-' || v < min || v > max)
		goto bad;
	*out = (uint32_t)v;
	return 0;
bad:
	UXDP_LOG(ERR, "%s: devarg %s=%s: expected an integer in [%u, %u]",
		 a->vdev_name, key, value ? value : "", min, max);
	return -EINVAL;
}

static int
handle_dev(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	return copy_string(a, key, value, a->dev, sizeof(a->dev));
}

static int
handle_iface(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	return copy_string(a, key, value, a->iface, sizeof(a->iface));
}

static int
handle_prog(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	return copy_string(a, key, value, a->prog, sizeof(a->prog));
}

static int
handle_sec(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	return copy_string(a, key, value, a->sec, sizeof(a->sec));
}

static int
handle_name(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	return copy_string(a, key, value, a->name, sizeof(a->name));
}

static int
handle_mode(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	a->engine_given = true;
	if (value != NULL && strcmp(value, "interp") == 0) {
		a->engine = UXDP_ENGINE_INTERP;
		return 0;
	}
	if (value != NULL && strcmp(value, "jit") == 0) {
		a->engine = UXDP_ENGINE_JIT;
		return 0;
	}
	UXDP_LOG(ERR, "%s: devarg %s=%s: expected jit or interp",
		 a->vdev_name, key, value ? value : "");
	return -EINVAL;
}

/* Who proves the program safe before it runs (doc/safety.md). */
static int
handle_verify(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	if (value != NULL && uxdp_verify_parse(value, &a->verify) == 0)
		return 0;
	UXDP_LOG(ERR, "%s: devarg %s=%s: expected auto, kernel, sandbox or none",
		 a->vdev_name, key, value ? value : "");
	return -EINVAL;
}

static int
handle_queue_count(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	return parse_u32(a, key, value, 1, RTE_MAX_QUEUES_PER_PORT,
			 &a->queue_count);
}

static int
handle_start_queue(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	return parse_u32(a, key, value, 0, RTE_MAX_QUEUES_PER_PORT,
			 &a->start_queue);
}

static int
handle_ifindex(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;
	uint32_t v;
	int ret;

	ret = parse_u32(a, key, value, 0, UINT32_MAX, &v);
	if (ret == 0)
		a->ifindex = v;
	return ret;
}

/* const=NAME:VALUE (kvargs splits on ',' and '=', so ':' separates the
 * name): repeatable, unlike the keys of handlers[]. Only the syntax is
 * checked here; the loader says whether the variable exists and the
 * value fits it. */
static int
handle_const(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;
	struct uxdp_const_set set;
	char err[UXDP_ERR_MAX];

	if (uxdp_const_parse(value, ':', &set, err, sizeof(err)) < 0) {
		UXDP_LOG(ERR, "%s: devarg %s=%s: %s", a->vdev_name, key,
			 value != NULL ? value : "", err);
		return -EINVAL;
	}
	uxdp_const_set_free(&set);
	if (a->n_consts == UXDP_DEVARGS_CONST_MAX) {
		UXDP_LOG(ERR, "%s: devarg %s= given more than %d times",
			 a->vdev_name, key, UXDP_DEVARGS_CONST_MAX);
		return -E2BIG;
	}
	if (copy_string(a, key, value, a->consts[a->n_consts],
			sizeof(a->consts[0])) < 0)
		return -EINVAL;
	a->n_consts++;
	return 0;
}

/* map_update=NAME:KEYHEX:VALHEX[:PROG], repeatable: a map entry written
 * after load (uxdp_map_update.c), e.g. devmap targets and their devmap
 * programs. The syntax is checked
 * here; the map and the sizes at probe. */
static int
handle_map_update(const char *key, const char *value, void *opaque)
{
	struct uxdp_devargs *a = opaque;

	if (value == NULL || uxdp_map_update_parse(value, NULL) < 0) {
		UXDP_LOG(ERR, "%s: devarg %s=%s: want <map>:<key hex>:<value hex>[:<devmap program>]",
			 a->vdev_name, key, value != NULL ? value : "");
		return -EINVAL;
	}
	if (a->n_map_updates == UXDP_DEVARGS_MAP_UPDATE_MAX) {
		UXDP_LOG(ERR, "%s: devarg %s= given more than %d times",
			 a->vdev_name, key, UXDP_DEVARGS_MAP_UPDATE_MAX);
		return -E2BIG;
	}
	if (copy_string(a, key, value, a->map_updates[a->n_map_updates],
			sizeof(a->map_updates[0])) < 0)
		return -EINVAL;
	a->n_map_updates++;
	return 0;
}

static const struct {
	const char *key;
	arg_handler_t handler;
} handlers[] = {
	{ ARG_DEV, handle_dev },
	{ ARG_IFACE, handle_iface },
	{ ARG_PROG, handle_prog },
	{ ARG_SEC, handle_sec },
	{ ARG_NAME, handle_name },
	{ ARG_MODE, handle_mode },
	{ ARG_QUEUE_COUNT, handle_queue_count },
	{ ARG_START_QUEUE, handle_start_queue },
	{ ARG_IFINDEX, handle_ifindex },
	{ ARG_VERIFY, handle_verify },
};

/* Keys given twice would silently keep one value: refuse them instead. */
static int
check_no_repeats(const char *name, struct rte_kvargs *kvlist)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(handlers); i++) {
		if (rte_kvargs_count(kvlist, handlers[i].key) > 1) {
			UXDP_LOG(ERR, "%s: devarg %s= given more than once",
				 name, handlers[i].key);
			return -EINVAL;
		}
	}
	return 0;
}

static int
check_combination(const char *name, const struct uxdp_devargs *a,
		  struct rte_kvargs *kvlist)
{
	bool has_dev = a->dev[0] != '\0', has_iface = a->iface[0] != '\0';

	if (has_dev == has_iface) {
		UXDP_LOG(ERR, "%s: give exactly one of dev=<DPDK device> or iface=<Linux netdev>",
			 name);
		return -EINVAL;
	}
	if (a->prog[0] == '\0') {
		UXDP_LOG(ERR, "%s: prog=<BPF object file> is required", name);
		return -EINVAL;
	}
	if (has_dev && (rte_kvargs_count(kvlist, ARG_QUEUE_COUNT) ||
			rte_kvargs_count(kvlist, ARG_START_QUEUE))) {
		UXDP_LOG(ERR, "%s: queue_count= and start_queue= apply to iface= only",
			 name);
		return -EINVAL;
	}
	return 0;
}

int
uxdp_devargs_parse(const char *name, const char *params,
		   struct uxdp_devargs *args)
{
	struct rte_kvargs *kvlist;
	unsigned int i;
	int ret;

	memset(args, 0, sizeof(*args));
	snprintf(args->vdev_name, sizeof(args->vdev_name), "%s", name);
	/* The JIT by default; uxdp_ethdev.c falls back to the interpreter
	 * when LLVM cannot compile the program. */
	args->engine = UXDP_ENGINE_JIT;
	/* The kernel verifier where the bpf() syscall works, else uxdp's
	 * own analysis and sandbox. */
	args->verify = UXDP_VERIFY_AUTO;
	args->queue_count = 1;
	args->ifindex = -1;

	if (params == NULL || params[0] == '\0') {
		UXDP_LOG(ERR, "%s: no devargs; usage: %s,dev=<port>|iface=<netdev>,prog=<file.o>[,sec=|name=][,mode=jit|interp][,verify=auto|kernel|sandbox|none]",
			 name, name);
		return -EINVAL;
	}
	kvlist = rte_kvargs_parse(params, valid_arguments);
	if (kvlist == NULL) {
		UXDP_LOG(ERR, "%s: cannot parse devargs \"%s\" (unknown key or bad syntax; valid keys: dev iface prog sec name mode queue_count start_queue ifindex const map_update verify)",
			 name, params);
		return -EINVAL;
	}
	ret = check_no_repeats(name, kvlist);
	for (i = 0; ret == 0 && i < RTE_DIM(handlers); i++)
		ret = rte_kvargs_process(kvlist, handlers[i].key,
					 handlers[i].handler, args);
	if (ret == 0)
		ret = rte_kvargs_process(kvlist, ARG_CONST, handle_const, args);
	if (ret == 0)
		ret = rte_kvargs_process(kvlist, ARG_MAP_UPDATE,
					 handle_map_update, args);
	if (ret == 0)
		ret = check_combination(name, args, kvlist);
	rte_kvargs_free(kvlist);
	return ret < 0 ? ret : (ret > 0 ? -EINVAL : 0);
}
