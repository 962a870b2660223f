/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Devmap programs (test_devmap_prog.bpf.c), in uxdp and in the kernel:
 *  - the section gives the expected attach type; egress_ifindex is
 *    readable in a devmap program and refused in a plain XDP program,
 *    by uxdp's checks and by the kernel verifier alike;
 *  - a DEVMAP / DEVMAP_HASH value takes a devmap program (its id in uxdp,
 *    its fd in the kernel), refuses any other program, map or unknown
 *    number and a program without a device with EINVAL, and a lookup
 *    returns the program's id: the same errnos from both;
 *  - bpf_redirect_map() records the entry's program with its ifindex,
 *    and the devmap program sees and writes the ctx fields given to it,
 *    under both engines.
 * The kernel cannot run a devmap program through BPF_PROG_TEST_RUN, so
 * the run itself has no kernel oracle. The kernel parts skip with a
 * printed reason when bpf() is not available.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "uxdp_bpf_internal.h"
#include "test_loader_util.h"

#define PKT_LEN 16

struct frame {
	uint8_t mem[UXDP_XDP_FRAME_SIZE];
	struct uxdp_xdp_buff buff;
};

static void
frame_init(struct frame *f, const uint8_t *pkt, uint32_t len)
{
	memset(f->mem, 0, sizeof(f->mem));
	memset(&f->buff, 0, sizeof(f->buff));
	memcpy(f->mem + UXDP_XDP_HEADROOM, pkt, len);
	f->buff.data_hard_start = f->mem;
	f->buff.data_hard_end = f->mem + UXDP_XDP_FRAME_SIZE -
		UXDP_XDP_TAILROOM;
	f->buff.data = f->mem + UXDP_XDP_HEADROOM;
	f->buff.data_meta = f->buff.data;
	f->buff.data_end = (uint8_t *)f->buff.data + len;
}

/* The errnos of one update attempt per case, uxdp's and the kernel's. */
enum value_case {
	V_DEVMAP_PROG,   /* {1, the devmap program} */
	V_PLAIN_PROG,    /* {1, a plain XDP program} */
	V_MAP,           /* {1, a map} */
	V_NOTHING,       /* {1, a number naming nothing} */
	V_NO_DEVICE,     /* {0, the devmap program} */
	V_NEGATIVE,      /* {1, -1}: no program */
	N_VALUE_CASES,
};

static const char *const case_names[N_VALUE_CASES] = {
	"devmap program", "plain XDP program", "map", "unknown number",
	"devmap program without device", "negative (no program)",
};

static void
uxdp_updates(struct uxdp_obj *obj, const char *map_name, int *res,
	     uint32_t *looked_up_id)
{
	struct uxdp_map *map = uxdp_obj_map_by_name(obj, map_name);
	struct uxdp_prog *stamp = uxdp_obj_find_prog(obj, "stamp", NULL, 0);
	struct uxdp_prog *redir = uxdp_obj_find_prog(obj, "redir", NULL, 0);
	uint32_t key = 1, val[2], out[2] = { 0, 0 };
	int c;

	for (c = 0; c < N_VALUE_CASES; c++) {
		val[0] = c == V_NO_DEVICE ? 0 : 1;
		switch (c) {
		case V_DEVMAP_PROG:
		case V_NO_DEVICE:
			val[1] = uxdp_prog_id(stamp);
			break;
		case V_PLAIN_PROG:
			val[1] = uxdp_prog_id(redir);
			break;
		case V_MAP:
			val[1] = uxdp_map_id(map);
			break;
		case V_NOTHING:
			val[1] = 999999;
			break;
		default:
			val[1] = (uint32_t)-1;
			break;
		}
		key = 1 + c;
		res[c] = uxdp_map_update(map, &key, val, BPF_ANY);
	}
	key = 1 + V_DEVMAP_PROG;
	*looked_up_id = uxdp_map_lookup_copy(map, &key, out) == 0 ? out[1] :
		(uint32_t)-1;
	CHECK(out[0] == 1, "%s: ifindex %u looked up", map_name, out[0]);
	CHECK(out[1] == uxdp_prog_id(stamp), "%s: id %u looked up, want %u",
	      map_name, out[1], uxdp_prog_id(stamp));
}

/* The same updates on the kernel's map; ifindex 1 is the loopback
 * device. Returns -errno when the kernel cannot take part. */
static int
kernel_updates(const char *path, const char *map_name, int *res,
	       uint32_t *looked_up_id, uint32_t *stamp_id, char *why,
	       size_t why_len)
{
	struct bpf_object *obj;
	struct bpf_prog_info info;
	uint32_t info_len = sizeof(info);
	int map_fd, stamp_fd, redir_fd, c, ret;
	uint32_t key, val[2], out[2] = { 0, 0 };

	obj = bpf_object__open_file(path, NULL);
	if (obj == NULL) {
		snprintf(why, why_len, "libbpf cannot open %s", path);
		return -EINVAL;
	}
	ret = bpf_object__load(obj);
	if (ret < 0) {
		snprintf(why, why_len, "bpf_object__load: %s", strerror(-ret));
		goto out;
	}
	map_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, map_name));
	stamp_fd = bpf_program__fd(bpf_object__find_program_by_name(obj,
								   "stamp"));
	redir_fd = bpf_program__fd(bpf_object__find_program_by_name(obj,
								   "redir"));
	for (c = 0; c < N_VALUE_CASES; c++) {
		val[0] = c == V_NO_DEVICE ? 0 : 1;
		switch (c) {
		case V_DEVMAP_PROG:
		case V_NO_DEVICE:
			val[1] = stamp_fd;
			break;
		case V_PLAIN_PROG:
			val[1] = redir_fd;
			break;
		case V_MAP:
			val[1] = map_fd;
			break;
		case V_NOTHING:
			val[1] = 999;  /* an fd not open */
			break;
		default:
			val[1] = (uint32_t)-1;
			break;
		}
		key = 1 + c;
		res[c] = bpf_map_update_elem(map_fd, &key, val, BPF_ANY) == 0 ?
			0 : -errno;
	}
	key = 1 + V_DEVMAP_PROG;
	*looked_up_id = bpf_map_lookup_elem(map_fd, &key, out) == 0 ? out[1] :
		(uint32_t)-1;
	memset(&info, 0, sizeof(info));
	ret = bpf_obj_get_info_by_fd(stamp_fd, &info, &info_len);
	*stamp_id = ret == 0 ? info.id : 0;
out:
	bpf_object__close(obj);
	return ret;
}

static void
test_maps(const char *path, struct uxdp_obj *obj)
{
	static const char *const maps[] = { "dm_array", "dm_hash" };
	int ures[N_VALUE_CASES], kres[N_VALUE_CASES], c, ret;
	uint32_t uid, kid, kstamp;
	char why[160];
	size_t m;

	for (m = 0; m < 2; m++) {
		uxdp_updates(obj, maps[m], ures, &uid);
		CHECK(ures[V_DEVMAP_PROG] == 0 && ures[V_NEGATIVE] == 0 &&
		      ures[V_PLAIN_PROG] == -EINVAL && ures[V_MAP] == -EINVAL &&
		      ures[V_NOTHING] == -EINVAL &&
		      ures[V_NO_DEVICE] == -EINVAL,
		      "%s: uxdp errnos %d %d %d %d %d %d", maps[m], ures[0],
		      ures[1], ures[2], ures[3], ures[4], ures[5]);
		ret = kernel_updates(path, maps[m], kres, &kid, &kstamp, why,
				     sizeof(why));
		if (ret < 0) {
			printf("SKIP kernel comparison of %s: %s\n", maps[m],
			       why);
			continue;
		}
		for (c = 0; c < N_VALUE_CASES; c++)
			CHECK(ures[c] == kres[c], "%s, %s: uxdp %d, kernel %d",
			      maps[m], case_names[c], ures[c], kres[c]);
		CHECK(kid == kstamp && kid != 0,
		      "%s: the kernel's lookup gives id %u, the program's is %u",
		      maps[m], kid, kstamp);
		printf("%s: %d update cases agree with the kernel; lookups return the program id\n",
		       maps[m], N_VALUE_CASES);
	}
}

/* Whether the kernel verifier loads path; its log's verdict in log. */
static int
kernel_load(const char *path, char *log, size_t log_len)
{
	LIBBPF_OPTS(bpf_object_open_opts, opts, .kernel_log_buf = log,
		    .kernel_log_size = log_len, .kernel_log_level = 1);
	struct bpf_object *obj = bpf_object__open_file(path, &opts);
	int ret;

	if (obj == NULL)
		return -EINVAL;
	ret = bpf_object__load(obj);
	bpf_object__close(obj);
	return ret;
}

static bool
kernel_has_bpf(void)
{
	int fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, NULL, 4, 4, 1, NULL);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

static void
test_egress_access(const char *good, const char *bad)
{
	static char log[65536];
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	int ret;

	ret = uxdp_obj_load(bad, NULL, &obj, err, sizeof(err));
	CHECK(ret == -EINVAL && strstr(err, "invalid bpf_context access") &&
	      strstr(err, "egress_ifindex"),
	      "uxdp loads a plain XDP program reading egress_ifindex: %d %s",
	      ret, err);
	uxdp_obj_close(obj);
	if (!kernel_has_bpf()) {
		printf("SKIP kernel verifier comparison: bpf() unavailable (%s)\n",
		       strerror(errno));
		return;
	}
	log[0] = '\0';
	ret = kernel_load(bad, log, sizeof(log));
	CHECK(ret < 0 && strstr(log, "invalid bpf_context access"),
	      "the kernel verifier on egress_ifindex in SEC(\"xdp\"): %d, log: %.200s",
	      ret, log);
	ret = kernel_load(good, log, sizeof(log));
	CHECK(ret == 0, "the kernel refuses the devmap program: %d %.300s",
	      ret, log);
	printf("egress_ifindex: refused in SEC(\"xdp\") and accepted in SEC(\"xdp/devmap\") by uxdp and the kernel\n");
}

static void
test_run(struct uxdp_obj *obj, enum uxdp_engine engine)
{
	static struct frame f;
	struct uxdp_prog *redir = uxdp_obj_find_prog(obj, "redir", NULL, 0);
	struct uxdp_prog *stamp = uxdp_obj_find_prog(obj, "stamp", NULL, 0);
	uint8_t pkt[PKT_LEN] = { 0, 1 + V_DEVMAP_PROG, 0, 0, 0, 0x20, 0x7e };
	char err[UXDP_ERR_MAX] = "";
	uint32_t act;
	int m;

	if (uxdp_prog_set_engine(redir, engine, err, sizeof(err)) < 0 ||
	    uxdp_prog_set_engine(stamp, engine, err, sizeof(err)) < 0) {
		printf("SKIP engine %d: %s\n", engine, err);
		return;
	}
	for (m = 0; m < 2; m++) {
		pkt[0] = (uint8_t)m;
		frame_init(&f, pkt, sizeof(pkt));
		act = uxdp_prog_run(redir, &f.buff);
		CHECK(act == UXDP_REDIRECT &&
		      f.buff.redirect.kind == UXDP_REDIRECT_DEVMAP &&
		      f.buff.redirect.ifindex == 1 &&
		      f.buff.redirect.prog_id == uxdp_prog_id(stamp),
		      "map %d: verdict %u kind %u ifindex %u prog %u", m, act,
		      f.buff.redirect.kind, f.buff.redirect.ifindex,
		      f.buff.redirect.prog_id);
	}
	/* an entry without a program records none */
	pkt[0] = 0;
	pkt[1] = 1 + V_NEGATIVE;
	frame_init(&f, pkt, sizeof(pkt));
	act = uxdp_prog_run(redir, &f.buff);
	CHECK(act == UXDP_REDIRECT && f.buff.redirect.prog_id == 0,
	      "entry without program: verdict %u prog %u", act,
	      f.buff.redirect.prog_id);

	/* the devmap program: ctx fields, trim, verdicts */
	frame_init(&f, pkt, sizeof(pkt));
	f.buff.ingress_ifindex = 5;
	f.buff.rx_queue_index = 3;
	f.buff.egress_ifindex = 9;
	act = uxdp_prog_run(stamp, &f.buff);
	CHECK(act == UXDP_PASS && f.mem[UXDP_XDP_HEADROOM + 2] == 9 &&
	      f.mem[UXDP_XDP_HEADROOM + 3] == 5 &&
	      f.mem[UXDP_XDP_HEADROOM + 4] == 3 &&
	      (uint8_t *)f.buff.data_end - (uint8_t *)f.buff.data ==
	      PKT_LEN - 1,
	      "stamp: verdict %u bytes %u %u %u len %td", act,
	      f.mem[UXDP_XDP_HEADROOM + 2], f.mem[UXDP_XDP_HEADROOM + 3],
	      f.mem[UXDP_XDP_HEADROOM + 4],
	      (uint8_t *)f.buff.data_end - (uint8_t *)f.buff.data);
	pkt[5] = 0xdd;
	frame_init(&f, pkt, sizeof(pkt));
	CHECK(uxdp_prog_run(stamp, &f.buff) == UXDP_DROP, "stamp: 0xdd");
}

int
main(int argc, char **argv)
{
	char err[UXDP_ERR_MAX] = "";
	struct uxdp_obj *obj = NULL;
	struct uxdp_prog *p;
	int ret;

	if (argc != 3) {
		fprintf(stderr, "usage: %s DEVMAP.o BAD_EGRESS.o\n", argv[0]);
		return 2;
	}
	ret = uxdp_obj_load(argv[1], NULL, &obj, err, sizeof(err));
	CHECK(ret == 0, "load %s: %s", argv[1], err);
	if (ret < 0)
		return test_summary();
	p = uxdp_obj_find_prog(obj, "stamp", err, sizeof(err));
	CHECK(p != NULL && uxdp_prog_attach_type(p) == BPF_XDP_DEVMAP,
	      "stamp is not a devmap program");
	p = uxdp_obj_find_prog(obj, "redir", err, sizeof(err));
	CHECK(p != NULL && uxdp_prog_attach_type(p) == BPF_XDP,
	      "redir is not a plain XDP program");
	p = uxdp_obj_find_prog(obj, NULL, err, sizeof(err));
	CHECK(p != NULL && strcmp(uxdp_prog_name(p), "redir") == 0,
	      "the default program is %s, not redir",
	      p != NULL ? uxdp_prog_name(p) : "none");

	test_egress_access(argv[1], argv[2]);
	test_maps(argv[1], obj);
	test_run(obj, UXDP_ENGINE_INTERP);
	test_run(obj, UXDP_ENGINE_JIT);
	uxdp_obj_close(obj);
	return test_summary();
}
