/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * Objects uxdp must refuse, one per -D switch (tests/meson.build compiles
 * this file once for each), each with the name the refusal must give:
 *  BAD_FIELD     a load of a field the target types lack      'iphdr___bad'
 *  BAD_ENUM      the value of an enumerator they lack         'xdp_action___bad'
 *  BAD_RESIZE    a signed 8-byte load of a 1-byte field       'iphdr___signed'
 *  BAD_KCONFIG   a strong CONFIG_ extern no config sets       'CONFIG_UXDP_TEST_NO_SUCH_OPTION'
 *  BAD_VIRTUAL   a .kconfig extern neither CONFIG_ nor LINUX_ 'UXDP_TEST_NOT_KCONFIG'
 *  PLAIN_EXTERN  an extern variable outside .kconfig          'uxdp_test_undefined_var'
 */

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#define PAI __attribute__((preserve_access_index))

#if defined(BAD_FIELD)
struct iphdr___bad {
	__u8 ttl;
	__u32 nosuch;
} PAI;
#define VALUE(p) (((struct iphdr___bad *)(p))->nosuch)
#elif defined(BAD_ENUM)
enum xdp_action___bad { XDP_NOPE___bad = 7 };
#define VALUE(p) bpf_core_enum_value(enum xdp_action___bad, XDP_NOPE___bad)
#elif defined(BAD_RESIZE)
struct iphdr___signed {
	__u64 pad;
	__s64 ttl;
} PAI;
#define VALUE(p) (((struct iphdr___signed *)(p))->ttl)
#elif defined(BAD_KCONFIG)
extern int CONFIG_UXDP_TEST_NO_SUCH_OPTION __kconfig;
#define VALUE(p) CONFIG_UXDP_TEST_NO_SUCH_OPTION
#elif defined(BAD_VIRTUAL)
extern int UXDP_TEST_NOT_KCONFIG __kconfig __weak;
#define VALUE(p) UXDP_TEST_NOT_KCONFIG
#elif defined(PLAIN_EXTERN)
extern __u32 uxdp_test_undefined_var;
#define VALUE(p) uxdp_test_undefined_var
#else
#error "define one of the switches"
#endif

SEC("xdp")
int
xdp_bad(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;

	if (data + 64 > data_end)
		return XDP_PASS;
	return VALUE(data) & 3;
}

char _license[] SEC("license") = "GPL";
