/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * map_update=NAME:KEYHEX:VALHEX devargs: entries written into the
 * program's maps at probe, before any packet, as uxdp-run's --map-update
 * does. The control plane's way to fill a devmap with redirect targets
 * (programs cannot write devmaps) without a second process. Hex is memory
 * byte order; the key and value must have the map's exact sizes. Per-CPU
 * maps are refused: one value cannot say which CPU slots to fill.
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
	int ret;

	if (u == NULL)
		u = &scratch;
	if (c1 == NULL || c2 == NULL || c1 == text ||
	    (size_t)(c1 - text) >= sizeof(u->name))
		return -EINVAL;
	memcpy(u->name, text, c1 - text);
	u->name[c1 - text] = '\0';
	ret = decode_hex(c1 + 1, c2, u->key, sizeof(u->key), &u->key_len);
	if (ret == 0)
		ret = decode_hex(c2 + 1, c2 + 1 + strlen(c2 + 1), u->value,
				 sizeof(u->value), &u->value_len);
	return ret;
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
		ret = uxdp_map_update(map, u.key, u.value, 0);
		if (ret < 0) {
			UXDP_LOG(ERR, "%s: map_update=%s: %s%s", dev_name,
				 a->map_updates[i], rte_strerror(-ret),
				 def->type == BPF_MAP_TYPE_DEVMAP ||
				 def->type == BPF_MAP_TYPE_DEVMAP_HASH ?
				 " (devmap values: ifindex, or ifindex and program fd 0; uxdp runs no devmap programs)" : "");
			return ret;
		}
	}
	if (a->n_map_updates > 0)
		UXDP_LOG(INFO, "%s: %u map_update= entries written",
			 dev_name, a->n_map_updates);
	return 0;
}
