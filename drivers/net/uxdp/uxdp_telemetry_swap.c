/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * /uxdp/prog_swap,<port>,<file>[,<program or section>]: replace a port's
 * program under traffic (uxdp_swap.c). The reply names the new program
 * and the maps kept and started fresh; a failed swap replies with an
 * error, and the old program keeps running.
 */

#include <stdio.h>
#include <string.h>

#include "uxdp_telemetry.h"

int
uxdp_tel_prog_swap(const char *cmd __rte_unused, const char *params,
		   struct rte_tel_data *d)
{
	static const char usage[] = "usage: /uxdp/prog_swap,<port>,<file>[,<program or section>]";
	struct rte_tel_data *kept, *fresh;
	struct uxdp_swap_report rep;
	char buf[PATH_MAX + 128], *f[3], err[512];
	struct pmd_internals *p;
	unsigned int i;
	int n;

	if (params == NULL || strlen(params) >= sizeof(buf))
		return uxdp_tel_error(d, usage);
	strcpy(buf, params);
	n = uxdp_tel_split(buf, f, RTE_DIM(f));
	if (n < 2)
		return uxdp_tel_error(d, usage);
	if (f[1][0] == '\0')
		return uxdp_tel_error(d, "file: expected a BPF object file");
	kept = rte_tel_data_alloc();
	fresh = rte_tel_data_alloc();
	if (kept == NULL || fresh == NULL) {
		rte_tel_data_free(kept);
		rte_tel_data_free(fresh);
		return uxdp_tel_error(d, "out of memory");
	}
	uxdp_tel_lock();
	p = uxdp_tel_port(f[0], d);
	if (p == NULL)
		goto fail;
	/* The old object's maps may be freed from here on. */
	uxdp_tel_dump_forget();
	if (uxdp_prog_swap(p, f[1], n == 3 ? f[2] : NULL, &rep, err,
			   sizeof(err)) < 0) {
		uxdp_tel_error(d, "file: %s", err);
		goto fail;
	}
	rte_tel_data_start_array(kept, RTE_TEL_STRING_VAL);
	rte_tel_data_start_array(fresh, RTE_TEL_STRING_VAL);
	for (i = 0; i < rep.n_kept; i++)
		uxdp_tel_array_str(kept, rep.kept[i]);
	for (i = 0; i < rep.n_fresh; i++)
		uxdp_tel_array_str(fresh, rep.fresh[i]);
	rte_tel_data_start_dict(d);
	rte_tel_data_add_dict_int(d, "port", p->port_id);
	uxdp_tel_dict_str(d, "prog_file", p->prog_path);
	uxdp_tel_dict_str(d, "program", uxdp_prog_name(p->prog));
	uxdp_tel_dict_str(d, "section", uxdp_prog_section(p->prog));
	uxdp_tel_dict_str(d, "engine",
		uxdp_prog_engine(p->prog) == UXDP_ENGINE_JIT ? "jit" : "interp");
	uxdp_tel_dict_str(d, "verify",
		uxdp_verify_name(uxdp_prog_verify(p->prog)));
	rte_tel_data_add_dict_u64(d, "load_ns", p->load_ns);
	rte_tel_data_add_dict_container(d, "maps_kept", kept, 0);
	rte_tel_data_add_dict_container(d, "maps_fresh", fresh, 0);
	uxdp_tel_dict_str(d, "old_program",
		rep.old_freed ? "freed" : "freed once every RX queue has been polled");
	rte_tel_data_add_dict_u64(d, "swaps", p->swaps);
	uxdp_tel_unlock();
	return 0;
fail:
	uxdp_tel_unlock();
	rte_tel_data_free(kept);
	rte_tel_data_free(fresh);
	return 0;
}
