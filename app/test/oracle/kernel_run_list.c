/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * libbpf's view of an object for --list and for the loader tests
 * (app/test/test_loader_elfview.py): which sections hold XDP programs,
 * what each relocated ld_imm64 of a loaded program refers to, and
 * whether the maps libbpf describes are the ones the kernel created.
 */

#include <stdbool.h>
#include <string.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <linux/bpf.h>

#include "kernel_run.h"

/* uxdp's rule for XDP sections (lib/uxdp_bpf/loader_progs.c). libbpf 1.1
 * types only xdp, xdp.frags and their /devmap and /cpumap forms; other
 * names (xdp/<name>, legacy xdp_<name>) would load as no type at all. */
static bool
uxdp_xdp_section(const char *name)
{
	static const char *const prefixes[] = {
		"xdp/", "xdp.frags/", "xdp_", "xdp-",
	};
	size_t i;

	if (strcmp(name, "xdp") == 0 || strcmp(name, "xdp.frags") == 0)
		return true;
	for (i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
		if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0)
			return true;
	return false;
}

void
kernel_run_adopt_xdp_sections(struct bpf_object *obj)
{
	struct bpf_program *prog;

	/* What a libbpf user does for such a section: set the type by hand,
	 * so the kernel can judge the same programs uxdp loads. */
	bpf_object__for_each_program(prog, obj) {
		if (bpf_program__type(prog) == BPF_PROG_TYPE_UNSPEC &&
		    uxdp_xdp_section(bpf_program__section_name(prog)))
			bpf_program__set_type(prog, BPF_PROG_TYPE_XDP);
	}
}

static const char *
map_name_by_fd(struct bpf_object *obj, int fd)
{
	struct bpf_map *map;

	bpf_object__for_each_map(map, obj)
		if (bpf_map__fd(map) == fd)
			return bpf_map__name(map);
	return NULL;
}

void
kernel_run_list_map_refs(struct bpf_object *obj,
			 const struct bpf_program *prog, FILE *f)
{
	const struct bpf_insn *insns = bpf_program__insns(prog);
	size_t i, n = bpf_program__insn_cnt(prog);
	bool first = true;

	/* After load libbpf keeps the instructions it gave the kernel: map
	 * references hold map fds (BPF_PSEUDO_MAP_FD), variables a map fd
	 * and an offset (BPF_PSEUDO_MAP_VALUE). */
	fputs(", \"map_refs\": [", f);
	for (i = 0; insns != NULL && i + 1 < n; i++) {
		const struct bpf_insn *insn = &insns[i];
		const char *name;

		if (insn->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (insn->src_reg == BPF_PSEUDO_MAP_FD ||
		    insn->src_reg == BPF_PSEUDO_MAP_VALUE) {
			name = map_name_by_fd(obj, insn->imm);
			fprintf(f, "%s{\"insn\": %zu, \"map\": ", first ? "" : ", ",
				i);
			run_json_string(f, name != NULL ? name : "?");
			fprintf(f, ", \"off\": %u, \"kind\": \"%s\"}",
				insn->src_reg == BPF_PSEUDO_MAP_VALUE ?
				(unsigned int)insn[1].imm : 0,
				insn->src_reg == BPF_PSEUDO_MAP_VALUE ?
				"value" : "map");
			first = false;
		}
		i++;
	}
	fputc(']', f);
}

int
kernel_run_check_created_maps(struct bpf_object *obj)
{
	struct bpf_map *map;
	int bad = 0;

	/* --list prints libbpf's definitions; make sure they are what the
	 * kernel created (libbpf could have adjusted a map to the kernel's
	 * abilities), so the tests compare against the kernel's word. */
	bpf_object__for_each_map(map, obj) {
		struct bpf_map_info info;
		__u32 len = sizeof(info);
		int fd = bpf_map__fd(map);
		__u32 flags = bpf_map__map_flags(map);

		/* The kernel makes devmaps read-only for programs itself. */
		if (bpf_map__type(map) == BPF_MAP_TYPE_DEVMAP ||
		    bpf_map__type(map) == BPF_MAP_TYPE_DEVMAP_HASH)
			flags |= BPF_F_RDONLY_PROG;

		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		if (bpf_obj_get_info_by_fd(fd, &info, &len) < 0) {
			fprintf(stderr, "map %s: BPF_OBJ_GET_INFO_BY_FD failed\n",
				bpf_map__name(map));
			bad = -1;
			continue;
		}
		if (info.type != bpf_map__type(map) ||
		    info.key_size != bpf_map__key_size(map) ||
		    info.value_size != bpf_map__value_size(map) ||
		    info.max_entries != bpf_map__max_entries(map) ||
		    info.map_flags != flags) {
			fprintf(stderr, "map %s: the kernel created type %u, key %u, value %u, %u entries, flags 0x%x; libbpf says type %u, key %u, value %u, %u entries, flags 0x%x\n",
				bpf_map__name(map), info.type, info.key_size,
				info.value_size, info.max_entries,
				info.map_flags, bpf_map__type(map),
				bpf_map__key_size(map), bpf_map__value_size(map),
				bpf_map__max_entries(map),
				bpf_map__map_flags(map));
			bad = -1;
		}
	}
	return bad;
}
