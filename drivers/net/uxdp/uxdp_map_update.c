/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * map_update=NAME:KEYHEX:VALHEX[:PROG] devargs: entries written into
 * the program's maps at probe, before any packet, as uxdp-run's
 * --map-update does. The control plane's way to fill a devmap with
 * redirect targets (programs cannot write devmaps) without a second
 * process. Hex is memory byte order; the key and value must have the
 * map's exact sizes. Per-CPU maps are refused: one value cannot say which
 * CPU slots to fill.
 *
 * A fourth field, :PROG, puts a devmap program of the same object (function name or
 * section) on a devmap entry: its id overwrites bytes 4..7 of the value,
 * the bpf_devmap_val.bpf_prog field where the kernel takes a program fd.
 * Only 8-byte devmap values have that field.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/bpf.h>

#include "uxdp_ethdev.h"
#include "uxdp_hex.h"

/* Hex from text up to end into at most max bytes: 0, -EINVAL on odd
 * length or a non-hex character, -E2BIG past max bytes. */
static int
decode_hex(const char *text, const char *end, uint8_t *out, uint32_t max,
	   uint32_t *len)
{
	long n = uxdp_hex_decode(text, end - text, out, max);

	if (n < 0)
		return (int)n;
	*len = (uint32_t)n;
	return 0;
}

int
uxdp_map_update_parse(const char *text, struct uxdp_map_update *u)
{
	struct uxdp_map_update scratch;
	const char *c1 = strchr(text, ':');
	const char *c2 = c1 != NULL ? strchr(c1 + 1, ':') : NULL;
	const char *c3 = c2 != NULL ? strchr(c2 + 1, ':') : NULL;
	int ret;

	if (u == NULL)
		u = &scratch;
	if (c1 == NULL || c2 == NULL || c1 == text ||
	    (size_t)(c1 - text) >= sizeof(u->name))
		return -EINVAL;
	memcpy(u->name, text, c1 - text);
	u->name[c1 - text] = '\0';
	u->prog[0] = '\0';
	if (c3 != NULL) {
		const char *name = c3 + 1;

		if (*name == '\0' || strlen(name) >= sizeof(u->prog))
			return -EINVAL;
		strcpy(u->prog, name);
	} else {
		c3 = c2 + 1 + strlen(c2 + 1);
	}
	ret = decode_hex(c1 + 1, c2, u->key, sizeof(u->key), &u->key_len);
	if (ret == 0)
		ret = decode_hex(c2 + 1, c3, u->value, sizeof(u->value),
				 &u->value_len);
	return ret;
}

/* Write the id of u->prog, a devmap program of the port's object, into
 * the value's bpf_prog field. */
static int
set_entry_prog(struct pmd_internals *priv, const char *dev_name,
	       const char *text, const struct uxdp_map_def *def,
	       struct uxdp_map_update *u)
{
	struct uxdp_prog *p = NULL;
	uint32_t id;
	unsigned int i;

	if ((def->type != BPF_MAP_TYPE_DEVMAP &&
	     def->type != BPF_MAP_TYPE_DEVMAP_HASH) || def->value_size != 8) {
		UXDP_LOG(ERR, "%s: map_update=%s: a program needs a devmap with 8-byte values (struct bpf_devmap_val)",
			 dev_name, text);
		return -EINVAL;
	}
	for (i = 0; p == NULL && i < uxdp_obj_prog_count(priv->obj); i++) {
		struct uxdp_prog *c = uxdp_obj_prog_at(priv->obj, i);

		if (strcmp(uxdp_prog_name(c), u->prog) == 0 ||
		    strcmp(uxdp_prog_section(c), u->prog) == 0)
			p = c;
	}
	if (p == NULL) {
		UXDP_LOG(ERR, "%s: map_update=%s: %s has no program %s",
			 dev_name, text, priv->args.prog, u->prog);
		return -ENOENT;
	}
	if (uxdp_prog_attach_type(p) != BPF_XDP_DEVMAP) {
		UXDP_LOG(ERR, "%s: map_update=%s: program %s (section %s) is not a devmap program (SEC(\"xdp/devmap\"))",
			 dev_name, text, u->prog, uxdp_prog_section(p));
		return -EINVAL;
	}
	id = uxdp_prog_id(p);
	memcpy(u->value + 4, &id, sizeof(id));
	return 0;
}

int
uxdp_map_updates_apply(struct pmd_internals *priv, const char *dev_name)
{
	const struct uxdp_devargs *a = &priv->args;
	struct uxdp_map_update u;
	unsigned int i;
	int ret;

	for (i = 0; i < a->n_map_updates; i++) {
		const struct uxdp_map_def *def;
		struct uxdp_map *map;

		if (uxdp_map_update_parse(a->map_updates[i], &u) < 0)
			return -EINVAL; /* checked at parse time */
		map = uxdp_obj_map_by_name(priv->obj, u.name);
		if (map == NULL) {
			UXDP_LOG(ERR, "%s: map_update=%s: %s has no map %s",
				 dev_name, a->map_updates[i], a->prog, u.name);
			return -ENOENT;
		}
		def = uxdp_map_get_def(map);
		if (uxdp_map_type_is_percpu(def->type)) {
			UXDP_LOG(ERR, "%s: map_update=%s: per-CPU map %s is not supported",
				 dev_name, a->map_updates[i], u.name);
			return -ENOTSUP;
		}
		if (u.key_len != def->key_size ||
		    u.value_len != def->value_size) {
			UXDP_LOG(ERR, "%s: map_update=%s: map %s takes %u-byte keys and %u-byte values, not %u and %u",
				 dev_name, a->map_updates[i], u.name,
				 def->key_size, def->value_size, u.key_len,
				 u.value_len);
			return -EINVAL;
		}
		if (u.prog[0] != '\0') {
			ret = set_entry_prog(priv, dev_name, a->map_updates[i],
					     def, &u);
			if (ret < 0)
				return ret;
		}
		ret = uxdp_map_update(map, u.key, u.value, 0);
		if (ret < 0) {
			UXDP_LOG(ERR, "%s: map_update=%s: %s%s", dev_name,
				 a->map_updates[i], rte_strerror(-ret),
				 def->type == BPF_MAP_TYPE_DEVMAP ||
				 def->type == BPF_MAP_TYPE_DEVMAP_HASH ?
				 " (devmap values: ifindex, or ifindex and the id of a devmap program: name it as a fourth field, MAP:KEY:VALUE:PROG)" : "");
			return ret;
		}
	}
	if (a->n_map_updates > 0)
		UXDP_LOG(INFO, "%s: %u map_update= entries written",
			 dev_name, a->n_map_updates);
	return 0;
}
