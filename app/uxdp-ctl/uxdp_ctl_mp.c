/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * uxdp-ctl-mp: the shared-memory side of uxdp-ctl. It runs as a DPDK
 * secondary process of the instance named by --file-prefix, attaches to a
 * map by name (uxdp_map_attach()) and works on it directly, without a
 * telemetry round trip per entry:
 *
 *   uxdp-ctl-mp --file-prefix P [--lcore N] load MAP FILE [any|noexist|exist]
 *   uxdp-ctl-mp --file-prefix P [--lcore N] events MAP [--count N] [--timeout-ms T]
 *   uxdp-ctl-mp --file-prefix P [--lcore N] dump MAP
 *
 * load: FILE has one entry per line, "KEYHEX VALUEHEX" (memory byte order,
 * '#' starts a comment; "-" as key for maps without keys); a per-CPU value
 * is written to every slot. Prints {"map":..,"updated":N,"seconds":S}; the
 * first bad line or refused update stops it with a message naming the line.
 * events: consumes a ring buffer's records, one JSON line each
 * ({"size":N,"data":"HEX"}), until SIGINT/SIGTERM, --count records or
 * --timeout-ms without a record. One consumer at a time per ring buffer.
 * dump: every entry as one JSON line, {"key":"HEX","value":"HEX"}; per-CPU
 * maps give "values": [{"cpu":N,"value":"HEX"}] for slot 0 and every slot
 * that is not all zero.
 *
 * The EAL lcore is --lcore (default 127) pinned to CPU 0: its per-CPU slot
 * is then not one of the primary's lcores.
 */

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/bpf.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>

#include "uxdp_hex.h"
#include "uxdp_map.h"

#define LINE_MAX_LEN 65536

static volatile sig_atomic_t stop;

static void
on_signal(int sig __rte_unused)
{
	stop = 1;
}

static void
usage(void)
{
	fprintf(stderr,
		"usage: uxdp-ctl-mp --file-prefix PREFIX [--lcore N] load MAP FILE [any|noexist|exist]\n"
		"       uxdp-ctl-mp --file-prefix PREFIX [--lcore N] events MAP [--count N] [--timeout-ms T]\n"
		"       uxdp-ctl-mp --file-prefix PREFIX [--lcore N] dump MAP\n");
}

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Exactly len bytes of hex from text. */
static int
read_hex(const char *text, uint8_t *out, uint32_t len)
{
	if (strncmp(text, "0x", 2) == 0)
		text += 2;
	if (strlen(text) != 2 * (size_t)len)
		return -1;
	return uxdp_hex_decode(text, 2 * (size_t)len, out, len) < 0 ? -1 : 0;
}

static int
attach(const char *name, struct uxdp_map **map)
{
	int ret = uxdp_map_attach(name, map);

	if (ret == -ENOENT)
		fprintf(stderr, "uxdp-ctl-mp: no shared map named %s in this DPDK instance\n", name);
	else if (ret == -ENOTUNIQ)
		fprintf(stderr, "uxdp-ctl-mp: several maps are named %s: give the memzone name (uxdp-ctl map list)\n", name);
	else if (ret == -ENOTSUP)
		fprintf(stderr, "uxdp-ctl-mp: map %s holds ids of the primary's programs or maps: use uxdp-ctl without the shared-memory path\n", name);
	else if (ret < 0)
		fprintf(stderr, "uxdp-ctl-mp: map %s: %s\n", name, strerror(-ret));
	return ret;
}

static int
cmd_load(const char *name, const char *path, uint64_t flags)
{
	const struct uxdp_map_def *def;
	uint8_t *key, *value, *all = NULL;
	uint32_t stride, cpu;
	unsigned long n = 0, line_no = 0;
	struct uxdp_map *map;
	char *line, *k, *v, *save;
	double start = now_s();
	int percpu, ret = 0;
	FILE *f;

	if (attach(name, &map) < 0)
		return 1;
	def = uxdp_map_get_def(map);
	percpu = uxdp_map_type_is_percpu(def->type);
	stride = (def->value_size + 7) & ~7u;
	f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	if (f == NULL) {
		fprintf(stderr, "uxdp-ctl-mp: %s: %s\n", path, strerror(errno));
		return 1;
	}
	line = malloc(LINE_MAX_LEN);
	key = calloc(1, def->key_size + 1);
	value = calloc(1, stride + 1);
	if (percpu)
		all = calloc(uxdp_map_nr_cpus(), stride);
	if (line == NULL || key == NULL || value == NULL ||
	    (percpu && all == NULL)) {
		fprintf(stderr, "uxdp-ctl-mp: out of memory\n");
		ret = 1;
		goto out;
	}
	while (fgets(line, LINE_MAX_LEN, f) != NULL) {
		line_no++;
		line[strcspn(line, "#\r\n")] = '\0';
		save = NULL;
		k = strtok_r(line, " \t", &save);
		if (k == NULL)
			continue;
		v = strtok_r(NULL, " \t", &save);
		if (v == NULL || strtok_r(NULL, " \t", &save) != NULL ||
		    (def->key_size == 0 ? strcmp(k, "-") != 0 :
		     read_hex(k, key, def->key_size) < 0) ||
		    read_hex(v, value, def->value_size) < 0) {
			fprintf(stderr, "uxdp-ctl-mp: %s:%lu: want \"KEYHEX VALUEHEX\" with %u-byte keys and %u-byte values\n",
				path, line_no, def->key_size, def->value_size);
			ret = 1;
			goto out;
		}
		if (percpu)
			for (cpu = 0; cpu < uxdp_map_nr_cpus(); cpu++)
				memcpy(all + cpu * stride, value, def->value_size);
		ret = uxdp_map_update(map, def->key_size ? key : NULL,
				      percpu ? all : value, flags);
		if (ret < 0) {
			fprintf(stderr, "uxdp-ctl-mp: %s:%lu: update of %s: %s\n",
				path, line_no, name, strerror(-ret));
			ret = 1;
			goto out;
		}
		n++;
	}
	printf("{\"map\": \"%s\", \"updated\": %lu, \"seconds\": %.3f}\n",
	       name, n, now_s() - start);
out:
	if (f != stdin)
		fclose(f);
	free(line);
	free(key);
	free(value);
	free(all);
	uxdp_map_detach(map);
	return ret;
}

static void
print_hex(const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		printf("%02x", p[i]);
}

static bool
all_zero(const uint8_t *p, uint32_t len)
{
	uint32_t i;

	for (i = 0; i < len; i++)
		if (p[i] != 0)
			return false;
	return true;
}

static int
cmd_dump(const char *name)
{
	const struct uxdp_map_def *def;
	uint8_t *key, *prev, *value;
	struct uxdp_map *map;
	uint32_t stride, cpu;
	unsigned long n = 0;
	int percpu, got;

	if (attach(name, &map) < 0)
		return 1;
	def = uxdp_map_get_def(map);
	if (def->key_size == 0) {
		fprintf(stderr, "uxdp-ctl-mp: map %s has no keys to walk\n", name);
		return 1;
	}
	percpu = uxdp_map_type_is_percpu(def->type);
	stride = (def->value_size + 7) & ~7u;
	key = calloc(1, def->key_size);
	prev = calloc(1, def->key_size);
	value = calloc(percpu ? uxdp_map_nr_cpus() : 1, stride + 8);
	if (key == NULL || prev == NULL || value == NULL) {
		fprintf(stderr, "uxdp-ctl-mp: out of memory\n");
		free(key);
		free(prev);
		free(value);
		return 1;
	}
	for (got = uxdp_map_get_next_key(map, NULL, key); got == 0 && !stop;
	     got = uxdp_map_get_next_key(map, prev, key)) {
		memcpy(prev, key, def->key_size);
		if (uxdp_map_lookup_copy(map, key, value) != 0)
			continue; /* deleted meanwhile */
		printf("{\"key\": \"");
		print_hex(key, def->key_size);
		if (!percpu) {
			printf("\", \"value\": \"");
			print_hex(value, def->value_size);
			printf("\"}\n");
			n++;
			continue;
		}
		printf("\", \"values\": [");
		for (cpu = 0; cpu < uxdp_map_nr_cpus(); cpu++) {
			if (cpu != 0 && all_zero(value + cpu * stride,
						 def->value_size))
				continue;
			printf("%s{\"cpu\": %u, \"value\": \"", cpu ? ", " : "", cpu);
			print_hex(value + cpu * stride, def->value_size);
			printf("\"}");
		}
		printf("]}\n");
		n++;
	}
	fprintf(stderr, "uxdp-ctl-mp: %lu entries\n", n);
	free(key);
	free(prev);
	free(value);
	uxdp_map_detach(map);
	return 0;
}

struct events {
	unsigned long seen;
	unsigned long max;
};

static int
print_record(void *ctx, const void *data, uint32_t size)
{
	struct events *ev = ctx;
	const uint8_t *p = data;
	uint32_t i;

	printf("{\"size\": %u, \"data\": \"", size);
	for (i = 0; i < size; i++)
		printf("%02x", p[i]);
	printf("\"}\n");
	ev->seen++;
	return ev->max != 0 && ev->seen >= ev->max;
}

static int
cmd_events(const char *name, unsigned long count, unsigned long timeout_ms)
{
	struct events ev = { .max = count };
	struct uxdp_map *map;
	double idle_since = now_s();
	int n;

	if (attach(name, &map) < 0)
		return 1;
	if (uxdp_map_get_def(map)->type != BPF_MAP_TYPE_RINGBUF) {
		fprintf(stderr, "uxdp-ctl-mp: map %s is a %s, not a ringbuf (uxdp has no perf events: perf event arrays never carry records)\n",
			name, uxdp_map_type_name(uxdp_map_get_def(map)->type));
		return 1;
	}
	while (!stop && (count == 0 || ev.seen < count)) {
		n = uxdp_ringbuf_consume(map, print_record, &ev);
		if (n > 0) {
			fflush(stdout);
			idle_since = now_s();
			continue;
		}
		if (timeout_ms != 0 &&
		    (now_s() - idle_since) * 1000 >= (double)timeout_ms)
			break;
		usleep(1000);
	}
	fflush(stdout);
	uxdp_map_detach(map);
	return 0;
}

static int
parse_ulong(const char *s, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(s, &end, 10);
	return (errno != 0 || *s == '\0' || *s == '-' || *end != '\0') ? -1 : 0;
}

int
main(int argc, char **argv)
{
	const char *prefix = NULL, *lcore = "127";
	char prefix_arg[128], lcores_arg[64];
	char *eal_argv[8];
	unsigned long count = 0, timeout_ms = 0;
	uint64_t flags = BPF_ANY;
	int i, eal_argc = 0, ret;

	for (i = 1; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		if (i + 1 >= argc) {
			usage();
			return 2;
		}
		if (strcmp(argv[i], "--file-prefix") == 0)
			prefix = argv[i + 1];
		else if (strcmp(argv[i], "--lcore") == 0)
			lcore = argv[i + 1];
		else {
			fprintf(stderr, "uxdp-ctl-mp: unknown option %s\n", argv[i]);
			usage();
			return 2;
		}
	}
	if (prefix == NULL || argc - i < 2) {
		usage();
		return 2;
	}
	snprintf(prefix_arg, sizeof(prefix_arg), "--file-prefix=%s", prefix);
	snprintf(lcores_arg, sizeof(lcores_arg), "--lcores=%s@0", lcore);
	eal_argv[eal_argc++] = argv[0];
	eal_argv[eal_argc++] = "--proc-type=secondary";
	eal_argv[eal_argc++] = prefix_arg;
	eal_argv[eal_argc++] = lcores_arg;
	eal_argv[eal_argc++] = "--no-pci";
	eal_argv[eal_argc++] = "--log-level=lib.eal:error";
	eal_argv[eal_argc] = NULL;
	if (rte_eal_init(eal_argc, eal_argv) < 0) {
		fprintf(stderr, "uxdp-ctl-mp: cannot attach to DPDK instance %s as a secondary process: %s (is it running, with hugepages? --no-huge instances have no secondaries)\n",
			prefix, rte_strerror(rte_errno));
		return 1;
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	if (strcmp(argv[i], "load") == 0 && (argc - i == 3 || argc - i == 4)) {
		if (argc - i == 4) {
			if (strcmp(argv[i + 3], "noexist") == 0)
				flags = BPF_NOEXIST;
			else if (strcmp(argv[i + 3], "exist") == 0)
				flags = BPF_EXIST;
			else if (strcmp(argv[i + 3], "any") != 0) {
				usage();
				return 2;
			}
		}
		ret = cmd_load(argv[i + 1], argv[i + 2], flags);
	} else if (strcmp(argv[i], "dump") == 0 && argc - i == 2) {
		ret = cmd_dump(argv[i + 1]);
	} else if (strcmp(argv[i], "events") == 0) {
		int j;

		for (j = i + 2; j < argc; j += 2) {
			if (j + 1 >= argc ||
			    (strcmp(argv[j], "--count") == 0 ?
			     parse_ulong(argv[j + 1], &count) :
			     strcmp(argv[j], "--timeout-ms") == 0 ?
			     parse_ulong(argv[j + 1], &timeout_ms) : -1) < 0) {
				usage();
				rte_eal_cleanup();
				return 2;
			}
		}
		ret = cmd_events(argv[i + 1], count, timeout_ms);
	} else {
		usage();
		ret = 2;
	}
	rte_eal_cleanup();
	return ret;
}
