/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

#ifndef TEST_LOADER_DEFS_H
#define TEST_LOADER_DEFS_H

/*
 * Values shared by the loader test objects (BPF C) and test_loader.c, so
 * that the test compares what the loader read with what the source wrote
 * instead of with copied literals. libbpf 1.x refuses legacy "maps"
 * sections, so for those this header is the only independent reference.
 */

#define LEGACY_ARRAY_KEY_SIZE 4
#define LEGACY_ARRAY_VALUE_SIZE 8
#define LEGACY_ARRAY_ENTRIES 16
#define LEGACY_HASH_KEY_SIZE 8
#define LEGACY_HASH_VALUE_SIZE 12
#define LEGACY_HASH_ENTRIES 64
/* BPF_F_NO_PREALLOC: a flag the kernel accepts for hash maps. */
#define LEGACY_HASH_FLAGS 1

/* Initial values of the global variables of test_loader_maps.bpf.c. */
#define MAPS_DATA_INIT 7
#define MAPS_RODATA_INIT 42
#define MAPS_CUSTOM_INIT 5

/* Initial values of the `volatile const` variables of
 * test_loader_consts.bpf.c, and where its program stamps each into the
 * packet (little-endian). */
#define CONSTS_U8_INIT 0x11
#define CONSTS_U16_INIT 0x2233
#define CONSTS_S32_INIT (-44)
#define CONSTS_U64_INIT 0x5566778899aabbccULL
#define CONSTS_NAME_LEN 6
#define CONSTS_NAME_INIT "uxdp1"
#define CONSTS_S8_INIT (-7)
#define CONSTS_OFF_U8 0
#define CONSTS_OFF_U16 1
#define CONSTS_OFF_S32 3
#define CONSTS_OFF_U64 7
#define CONSTS_OFF_MODE 15
#define CONSTS_OFF_NAME 19
#define CONSTS_OFF_FLAG 25
#define CONSTS_OFF_S8 26
#define CONSTS_OFF_LEVEL 27
#define CONSTS_STAMP_LEN 31

#endif /* TEST_LOADER_DEFS_H */
