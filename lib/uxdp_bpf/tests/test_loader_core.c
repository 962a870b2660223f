/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (c) 2026 The uxdp authors
 */

/*
 * CO-RE relocations and .kconfig externs, on real clang objects:
 *  - every relocation kind of test_loader_core.bpf.c, whose local types
 *    differ from uxdp's target on purpose, gives the value of the uapi
 *    layout as the host compiler lays it out (offsetof, sizeof, bitfield
 *    positions), when the program runs;
 *  - the objects of test_loader_core_bad.bpf.c are refused with a message
 *    naming the section, instruction, type and access string (or the
 *    extern);
 *  - malformed .BTF.ext sections are refused with a clear message, never
 *    a crash;
 *  - the .kconfig externs of test_loader_extern.bpf.c read the running
 *    kernel's version and config, and the .kconfig map holds the same
 *    bytes as the one libbpf fills in the kernel (when bpf() is allowed).
 *
 * Usage: test_loader_core --core O --extern O [--bad NAME=O]...
 */

#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <zlib.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <linux/ip.h>
#include <linux/ipv6.h>

#include "uxdp_bpf_internal.h"
#include "loader.h"
#include "test_loader_core_defs.h"
#include "test_loader_util.h"

#define MAX_BAD 16

static struct uxdp_obj *
load(const char *path, char *err, size_t err_len)
{
	struct uxdp_obj *obj = NULL;

	err[0] = '\0';
	if (uxdp_obj_load(path, NULL, &obj, err, err_len) < 0)
		return NULL;
	return obj;
}

/* The value of the object's one-entry map whose name ends in sfx. */
static uint8_t *
map_value(struct uxdp_obj *obj, const char *sfx, uint32_t *size)
{
	const uint32_t zero = 0;
	unsigned int i;

	for (i = 0; i < uxdp_obj_map_count(obj); i++) {
		struct uxdp_map *m = uxdp_obj_map_at(obj, i);
		const char *name = uxdp_map_name(m);
		size_t n = strlen(name), k = strlen(sfx);

		if (n >= k && strcmp(name + n - k, sfx) == 0) {
			if (size != NULL)
				*size = uxdp_map_get_def(m)->value_size;
			return uxdp_map_lookup(m, &zero);
		}
	}
	return NULL;
}

/* Run the first program over len bytes of pkt (copied in place, the
 * result copied back). */
static uint32_t
run_prog(struct uxdp_obj *obj, uint8_t *pkt, size_t len, uint32_t rxq)
{
	static uint8_t frame[UXDP_XDP_FRAME_SIZE];
	struct uxdp_prog *prog = uxdp_obj_prog_at(obj, 0);
	struct uxdp_xdp_buff b;
	uint32_t ret;

	memset(frame, 0, sizeof(frame));
	memcpy(frame + UXDP_XDP_HEADROOM, pkt, len);
	memset(&b, 0, sizeof(b));
	b.data_hard_start = frame;
	b.data = frame + UXDP_XDP_HEADROOM;
	b.data_meta = b.data;
	b.data_end = (uint8_t *)b.data + len;
	b.data_hard_end = frame + sizeof(frame) - UXDP_XDP_TAILROOM;
	b.ingress_ifindex = 1;
	b.rx_queue_index = rxq;
	ret = uxdp_prog_run(prog, &b);
	memcpy(pkt, b.data, len);
	return ret;
}

/* Where a bitfield of the host's struct iphdr lies: set all its bits in
 * an otherwise zero header and look at which bits came out. */
#define BITFIELD_POS(field, off, size) do { \
	union { struct iphdr h; uint64_t w; } u_; \
	memset(&u_, 0, sizeof(u_)); \
	u_.h.field--; /* all ones */ \
	*(off) = __builtin_ctzll(u_.w); \
	*(size) = __builtin_popcountll(u_.w); \
} while (0)

static void
test_core_values(const char *path)
{
	uint8_t pkt[PKT_LEN];
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj = load(path, err, sizeof(err));
	struct btf *local = NULL, *targ = NULL;
	unsigned int ihl_off, ihl_sz, ver_off, ver_sz;
	uint32_t daddr, ret, size = 0;
	uint64_t *out;
	size_t i;

	CHECK(obj != NULL, "load %s: %s", path, err);
	if (obj == NULL)
		return;
	for (i = 0; i < sizeof(pkt); i++)
		pkt[i] = 0x80 + i;
	pkt[0] = 0x45;              /* version 4, ihl 5 */
	pkt[PKT_V6_OFF] = 0x60;     /* version 6 */
	ret = run_prog(obj, pkt, sizeof(pkt), PKT_RXQ);
	out = (uint64_t *)map_value(obj, ".bss", &size);
	CHECK(ret == XDP_PASS && out != NULL &&
	      size == OUT_COUNT * sizeof(uint64_t),
	      "run: verdict %u, .bss %p of %u bytes", ret, (void *)out, size);
	if (out == NULL)
		goto done;

	BITFIELD_POS(ihl, &ihl_off, &ihl_sz);
	BITFIELD_POS(version, &ver_off, &ver_sz);
	memcpy(&daddr, pkt + offsetof(struct iphdr, daddr), sizeof(daddr));
	local = btf__parse_elf(path, NULL);
	targ = btf__new(uxdp_target_btf, uxdp_target_btf_size);
	CHECK(local != NULL && targ != NULL, "cannot read the BTFs");

	struct {
		enum core_out slot;
		uint64_t want;
		const char *what;
	} exp[] = {
		{ OUT_DADDR_OFF, offsetof(struct iphdr, daddr), "offset of iphdr.daddr" },
		{ OUT_DADDR_SIZE, sizeof(((struct iphdr *)0)->daddr), "size of iphdr.daddr" },
		{ OUT_DADDR_LOAD, daddr, "iphdr.daddr loaded (8-byte load made 4)" },
		{ OUT_SADDR_ADDRS_OFF, offsetof(struct iphdr, saddr), "offset of iphdr.addrs.saddr" },
		{ OUT_V6_DADDR8_5_OFF, offsetof(struct ipv6hdr, daddr) + 5, "offset of ipv6hdr.daddr.in6_u.u6_addr8[5]" },
		{ OUT_TTL_EXISTS, 1, "iphdr.ttl exists" },
		{ OUT_NOSUCH_EXISTS, 0, "iphdr.nosuch exists" },
		{ OUT_TTL_SIGNED, 0, "iphdr.ttl is signed" },
		{ OUT_IHL_LSHIFT, 64 - (ihl_off + ihl_sz), "ihl left shift" },
		{ OUT_IHL_RSHIFT, 64 - ihl_sz, "ihl right shift" },
		{ OUT_VER_LSHIFT, 64 - (ver_off + ver_sz), "version left shift" },
		{ OUT_VER_RSHIFT, 64 - ver_sz, "version right shift" },
		{ OUT_IHL, 5, "ihl read as a bitfield" },
		{ OUT_VERSION, 4, "version read as a bitfield" },
		{ OUT_TYPE_ID_LOCAL, local != NULL ? btf__find_by_name_kind(local, "iphdr___mine", BTF_KIND_STRUCT) : 0, "local type id" },
		{ OUT_TYPE_ID_TARGET, targ != NULL ? btf__find_by_name_kind(targ, "iphdr", BTF_KIND_STRUCT) : 0, "target type id" },
		{ OUT_TYPE_EXISTS, 1, "iphdr exists" },
		{ OUT_NOSUCH_TYPE_EXISTS, 0, "uxdp_no_such_type exists" },
		{ OUT_NOSUCH_TYPE_SIZE, 0, "size of uxdp_no_such_type" },
		{ OUT_TYPE_SIZE, sizeof(struct iphdr), "size of iphdr" },
		{ OUT_UDP_MATCHES, 1, "udphdr___same matches" },
		{ OUT_UDP_BAD_MATCHES, 0, "udphdr___bad matches" },
		{ OUT_PASS_EXISTS, 1, "XDP_PASS exists" },
		{ OUT_NOPE_EXISTS, 0, "XDP_NOPE exists" },
		{ OUT_PASS_VALUE, XDP_PASS, "value of XDP_PASS" },
		{ OUT_REDIRECT_VALUE64, XDP_REDIRECT, "value of XDP_REDIRECT (ld_imm64)" },
		{ OUT_RXQ, PKT_RXQ, "ctx->rx_queue_index through a shuffled xdp_md" },
		{ OUT_LEN, PKT_LEN, "data_end - data through a shuffled xdp_md" },
	};

	CHECK(sizeof(exp) / sizeof(exp[0]) == OUT_COUNT,
	      "%zu expectations for %d slots", sizeof(exp) / sizeof(exp[0]),
	      OUT_COUNT);
	for (i = 0; i < sizeof(exp) / sizeof(exp[0]); i++)
		CHECK(out[exp[i].slot] == exp[i].want,
		      "%s: uxdp %llu, uapi layout %llu", exp[i].what,
		      (unsigned long long)out[exp[i].slot],
		      (unsigned long long)exp[i].want);
	CHECK(pkt[offsetof(struct iphdr, tos)] == PKT_TOS_STORED,
	      "a store to iphdr.tos wrote 0x%02x at its offset",
	      pkt[offsetof(struct iphdr, tos)]);
done:
	btf__free(local);
	btf__free(targ);
	uxdp_obj_close(obj);
}

/* A refused object: no object, and each of the words in the message. */
static void
expect_refusal(const char *path, const char *const *words)
{
	char err[UXDP_ERR_MAX];
	struct uxdp_obj *obj = load(path, err, sizeof(err));
	const char *const *w;

	CHECK(obj == NULL, "%s loaded", path);
	for (w = words; *w != NULL; w++)
		CHECK(strstr(err, *w) != NULL, "%s: message lacks '%s': '%s'",
		      path, *w, err);
	uxdp_obj_close(obj);
}

static void
test_bad(const char *name, const char *path)
{
	static const struct {
		const char *name;
		const char *words[8];
	} cases[] = {
		{ "BAD_FIELD", { "section 'xdp' insn ", "'iphdr___bad'",
			"access string '0:1'", "byte_off",
			"iphdr___bad.nosuch is not in the types uxdp gives", NULL } },
		{ "BAD_ENUM", { "section 'xdp' insn ", "'xdp_action___bad'",
			"access string '0'", "enumval_value",
			"XDP_NOPE___bad is not in the types", NULL } },
		{ "BAD_RESIZE", { "section 'xdp' insn ", "'iphdr___signed'",
			"access string '0:1'",
			"8-byte field here is 1 bytes", NULL } },
		{ "BAD_KCONFIG", { "'CONFIG_UXDP_TEST_NO_SUCH_OPTION'",
			"no value", NULL } },
		{ "BAD_VIRTUAL", { "'UXDP_TEST_NOT_KCONFIG'", "unknown extern",
			NULL } },
		{ "PLAIN_EXTERN", { "'uxdp_test_undefined_var'", "insn ",
			"not a __kconfig variable", NULL } },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (strcmp(cases[i].name, name) == 0) {
			expect_refusal(path, cases[i].words);
			return;
		}
	}
	CHECK(false, "no expectations for bad object %s", name);
}

/* The object's bytes, and where its .BTF.ext lies in them. */
struct image {
	uint8_t *bytes;
	size_t size;
	size_t ext_off;
	size_t ext_size;
};

static int
read_image(const char *path, struct image *im)
{
	struct stat st;
	Elf_Scn *scn = NULL;
	size_t shstrndx;
	Elf *elf;
	int fd;

	memset(im, 0, sizeof(*im));
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0)
		return -errno;
	im->size = st.st_size;
	im->bytes = malloc(im->size);
	if (im->bytes == NULL || read(fd, im->bytes, im->size) != (ssize_t)im->size) {
		close(fd);
		return -EIO;
	}
	close(fd);
	elf_version(EV_CURRENT);
	elf = elf_memory((char *)im->bytes, im->size);
	if (elf == NULL || elf_getshdrstrndx(elf, &shstrndx) != 0)
		return -EINVAL;
	while ((scn = elf_nextscn(elf, scn)) != NULL) {
		GElf_Shdr sh;
		const char *name;

		if (gelf_getshdr(scn, &sh) == NULL)
			continue;
		name = elf_strptr(elf, shstrndx, sh.sh_name);
		if (name != NULL && strcmp(name, ".BTF.ext") == 0) {
			im->ext_off = sh.sh_offset;
			im->ext_size = sh.sh_size;
		}
	}
	elf_end(elf);
	return im->ext_size >= 32 ? 0 : -ENOENT;
}

static uint32_t
ext_u32(const struct image *im, size_t off)
{
	uint32_t v;

	memcpy(&v, im->bytes + im->ext_off + off, sizeof(v));
	return v;
}

static void
put_u32(uint8_t *bytes, size_t off, uint32_t v)
{
	memcpy(bytes + off, &v, sizeof(v));
}

enum mut_where { AT_HDR, AT_CORE, AT_REC };

static void
test_malformed_ext(const char *path, const char *tmpdir)
{
	/* Offsets: AT_HDR from the section's start, AT_CORE from the CO-RE
	 * part (record size at 0, first block at 4), AT_REC from the first
	 * record. size: 1, 2 or 4 bytes. */
	static const struct {
		enum mut_where where;
		size_t off;
		int size;
		uint32_t value;
		const char *want;
	} muts[] = {
		{ AT_HDR, 0, 2, 0x1234, "bad magic 0x1234" },
		{ AT_HDR, 2, 1, 2, "unsupported version 2" },
		{ AT_HDR, 4, 4, 4, "header length 4" },
		{ AT_HDR, 4, 4, 0x7fffffff, "header length" },
		{ AT_HDR, 24, 4, 0xfffffff0, "lie outside the section" },
		{ AT_HDR, 24, 4, 2, "lie outside the section" },
		{ AT_HDR, 28, 4, 0xfffffff0, "lie outside the section" },
		{ AT_HDR, 28, 4, 2, "no record size" },
		{ AT_HDR, 28, 4, 4, "a record size but no records" },
		{ AT_HDR, 28, 4, 9, "trailing bytes" },
		{ AT_CORE, 0, 4, 8, "bad record size 8" },
		{ AT_CORE, 0, 4, 17, "bad record size 17" },
		{ AT_CORE, 0, 4, 0x40000000, "cut off" },
		{ AT_CORE, 4, 4, 0xffffffff, "bad section name offset" },
		{ AT_CORE, 8, 4, 0, "a block of 0 records" },
		{ AT_CORE, 8, 4, 0x10000000, "cut off" },
		{ AT_REC, 0, 4, 3, "is not an instruction" },
		{ AT_REC, 0, 4, 0x7ffffff8, "is not an instruction" },
		{ AT_REC, 4, 4, 0, "no such type" },
		{ AT_REC, 4, 4, 0xffffff, "no such type" },
		{ AT_REC, 8, 4, 0xffffffff, "bad access string offset" },
		{ AT_REC, 12, 4, 99, "unknown relocation kind 99" },
	};
	char file[PATH_MAX];
	struct image im;
	size_t i, core;
	int ret;

	ret = read_image(path, &im);
	CHECK(ret == 0, "%s: no .BTF.ext with CO-RE relocations (%d)", path,
	      ret);
	if (ret < 0) {
		free(im.bytes);
		return;
	}
	core = ext_u32(&im, 4) + ext_u32(&im, 24);
	snprintf(file, sizeof(file), "%s/core_mut.o", tmpdir);
	for (i = 0; i < sizeof(muts) / sizeof(muts[0]); i++) {
		uint8_t *copy = malloc(im.size);
		const char *words[] = { ".BTF.ext", muts[i].want, NULL };
		size_t at = im.ext_off + muts[i].off;
		FILE *f;

		if (copy == NULL)
			break;
		memcpy(copy, im.bytes, im.size);
		if (muts[i].where != AT_HDR)
			at += core;
		if (muts[i].where == AT_REC)
			at += 12;
		if (muts[i].size == 4)
			put_u32(copy, at, muts[i].value);
		else if (muts[i].size == 2)
			memcpy(copy + at, &(uint16_t){ muts[i].value }, 2);
		else
			copy[at] = muts[i].value;
		f = fopen(file, "wb");
		CHECK(f != NULL && fwrite(copy, 1, im.size, f) == im.size,
		      "cannot write %s", file);
		if (f != NULL)
			fclose(f);
		free(copy);
		/* Messages about one record name the section, not .BTF.ext. */
		if (muts[i].where == AT_REC)
			words[0] = "section 'xdp' insn ";
		expect_refusal(file, words);
	}
	unlink(file);
	free(im.bytes);
}

/* KERNEL_VERSION() of the running kernel, as libbpf computes it. */
static uint64_t
kernel_version(void)
{
	unsigned int a, b, c;
	struct utsname u;
	FILE *f = fopen("/proc/version_signature", "r");

	if (f != NULL) {
		int n = fscanf(f, "%*s %*s %u.%u.%u", &a, &b, &c);

		fclose(f);
		if (n == 3)
			return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
	}
	if (uname(&u) != 0 || sscanf(u.release, "%u.%u.%u", &a, &b, &c) != 3)
		return 0;
	return (a << 16) + (b << 8) + (c > 255 ? 255 : c);
}

/* The value of one option in the kernel config ("" when unset), and
 * whether a config exists at all. */
static bool
config_value(const char *opt, char *val, size_t len)
{
	char path[PATH_MAX], line[4096];
	size_t n = strlen(opt);
	struct utsname u;
	gzFile f = NULL;

	val[0] = '\0';
	if (uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		f = gzopen(path, "r");
	}
	if (f == NULL)
		f = gzopen("/proc/config.gz", "r");
	if (f == NULL)
		return false;
	while (gzgets(f, line, sizeof(line)) != NULL) {
		if (strncmp(line, opt, n) == 0 && line[n] == '=') {
			snprintf(val, len, "%s", line + n + 1);
			val[strcspn(val, "\n")] = '\0';
			break;
		}
	}
	gzclose(f);
	return true;
}

/* The kernel's answer: libbpf loads the object and fills its .kconfig
 * map; 0 and no bytes when bpf() is not allowed here. */
static int
kernel_kconfig(const char *path, uint8_t *buf, size_t len)
{
	struct bpf_object *bo = bpf_object__open_file(path, NULL);
	struct bpf_map *m;
	const uint32_t zero = 0;
	int ret = -ENOENT;

	if (bo == NULL)
		return -EINVAL;
	if (bpf_object__load(bo) < 0) {
		ret = -errno;
		goto out;
	}
	bpf_object__for_each_map(m, bo) {
		const char *name = bpf_map__name(m);
		size_t n = strlen(name);

		if (n > 8 && strcmp(name + n - 8, ".kconfig") == 0 &&
		    bpf_map__value_size(m) == len)
			ret = bpf_map__lookup_elem(m, &zero, sizeof(zero), buf,
						   len, 0);
	}
out:
	bpf_object__close(bo);
	return ret;
}

static void
test_kconfig(const char *path)
{
	char err[UXDP_ERR_MAX], v[256];
	struct uxdp_obj *obj = load(path, err, sizeof(err));
	uint64_t want[8] = { 0 }, *out;
	uint8_t pkt[64] = { 0 }, *kcfg, kbuf[256];
	uint32_t kcfg_size = 0;
	bool have_config;
	int ret;
	size_t i;

	CHECK(obj != NULL, "load %s: %s", path, err);
	if (obj == NULL)
		return;
	run_prog(obj, pkt, sizeof(pkt), 0);
	out = (uint64_t *)map_value(obj, ".bss", NULL);
	kcfg = map_value(obj, ".kconfig", &kcfg_size);
	CHECK(out != NULL && kcfg != NULL, "no .bss or .kconfig map");
	if (out == NULL || kcfg == NULL)
		goto done;

	want[0] = kernel_version();
	want[1] = 1;
	have_config = config_value("CONFIG_BPF", v, sizeof(v));
	want[3] = strcmp(v, "y") == 0;
	config_value("CONFIG_HZ", v, sizeof(v));
	want[4] = strtoull(v, NULL, 0);
	config_value("CONFIG_TCP_CONG_CUBIC", v, sizeof(v));
	want[5] = v[0] == 'y' ? 1 : v[0] == 'm' ? 2 : 0;
	config_value("CONFIG_DEFAULT_HOSTNAME", v, sizeof(v));
	want[7] = v[0] == '"' ? (uint8_t)v[1] : 0;
	if (v[0] == '"' && v[1] == '"')
		want[7] = 0;
	if (!have_config)
		printf("no kernel config: CONFIG_ externs checked as 0 only\n");
	for (i = 0; i < 8; i++)
		CHECK(out[i] == want[i], "extern #%zu: uxdp %llu, want %llu",
		      i, (unsigned long long)out[i],
		      (unsigned long long)want[i]);

	ret = kcfg_size <= sizeof(kbuf) ?
	      kernel_kconfig(path, kbuf, kcfg_size) : -E2BIG;
	if (ret == -EPERM || ret == -EACCES || (ret < 0 && !have_config))
		printf("SKIP kernel comparison of .kconfig: libbpf load: %s\n",
		       strerror(-ret));
	else
		CHECK(ret == 0 && memcmp(kbuf, kcfg, kcfg_size) == 0,
		      ".kconfig map differs from libbpf's in the kernel (%d)",
		      ret);
done:
	uxdp_obj_close(obj);
}

int
main(int argc, char **argv)
{
	const char *core = NULL, *ext = NULL, *bad[MAX_BAD];
	char tmpdir[] = "/tmp/uxdp-core-XXXXXX";
	size_t n_bad = 0, i;
	int a;

	for (a = 1; a + 1 < argc; a += 2) {
		if (strcmp(argv[a], "--core") == 0)
			core = argv[a + 1];
		else if (strcmp(argv[a], "--extern") == 0)
			ext = argv[a + 1];
		else if (strcmp(argv[a], "--bad") == 0 && n_bad < MAX_BAD)
			bad[n_bad++] = argv[a + 1];
	}
	if (core == NULL || ext == NULL || mkdtemp(tmpdir) == NULL) {
		fprintf(stderr, "usage: %s --core O --extern O [--bad NAME=O]...\n",
			argv[0]);
		return 2;
	}
	libbpf_set_print(NULL);

	test_core_values(core);
	for (i = 0; i < n_bad; i++) {
		char name[64];
		const char *eq = strchr(bad[i], '=');

		if (eq == NULL || (size_t)(eq - bad[i]) >= sizeof(name))
			continue;
		snprintf(name, sizeof(name), "%.*s", (int)(eq - bad[i]), bad[i]);
		test_bad(name, eq + 1);
	}
	test_malformed_ext(core, tmpdir);
	test_kconfig(ext);
	rmdir(tmpdir);
	return test_summary();
}
