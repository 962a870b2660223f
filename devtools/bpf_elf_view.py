#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""What a libbpf-style loader should make of a BPF object, worked out
independently with pyelftools (ELF and DWARF only: no BTF, no libbpf, no
uxdp code). The test suite compares this view with `uxdp-run --list` and
`uxdp-kernel-run --list`; see doc/loader.md.

Usage: bpf_elf_view.py [--order bfs|dfs] OBJ.o

Prints one JSON object:
  {"programs": [{"name", "section", "insns",
                 "map_refs": [{"insn", "map", "off", "kind"}]}],
   "maps": [{"name", "type", "key_size", "value_size", "max_entries",
             "flags"}],
   "functions": [...], "license": ..., "version": ...}

--order picks how the copies of called subprograms are laid out after the
program's own code: bfs (uxdp's loader: in the order they are first
reached, scanning the copies in turn) or dfs (libbpf: each callee is
appended when first met and scanned at once, before the caller goes on).
The instruction count is the same either way; map_refs indices differ.
"""

import io
import json
import struct
import sys

from elftools.elf.elffile import ELFFile
from elftools.elf.sections import SymbolTableSection
from elftools.elf.relocation import RelocationSection

# ELF and BPF facts (elf.h, linux/bpf.h)
SHT_PROGBITS = 'SHT_PROGBITS'
SHT_NOBITS = 'SHT_NOBITS'
SHF_EXECINSTR = 0x4
R_BPF_64_64 = 1
R_BPF_64_32 = 10
INSN_SIZE = 8
OP_CALL = 0x85          # BPF_JMP | BPF_CALL
OP_LD_IMM64 = 0x18      # BPF_LD | BPF_IMM | BPF_DW
PSEUDO_CALL = 1
PSEUDO_FUNC = 4
BPF_F_NO_PREALLOC = 1 << 0
BPF_F_RDONLY_PROG = 1 << 7
BPF_F_MMAPABLE = 1 << 10
BPF_MAP_TYPE_ARRAY = 2
# BPF_OBJ_NAME_LEN - 1: the longest name the kernel keeps
KERNEL_NAME_MAX = 15
# struct bpf_map_def: type, key_size, value_size, max_entries, map_flags
LEGACY_DEF_MIN = 20

MAP_TYPE_NAMES = [
    'unspec', 'hash', 'array', 'prog_array', 'perf_event_array',
    'percpu_hash', 'percpu_array', 'stack_trace', 'cgroup_array',
    'lru_hash', 'lru_percpu_hash', 'lpm_trie', 'array_of_maps',
    'hash_of_maps', 'devmap', 'sockmap', 'cpumap', 'xskmap', 'sockhash',
    'cgroup_storage', 'reuseport_sockarray', 'percpu_cgroup_storage',
    'queue', 'stack', 'sk_storage', 'devmap_hash', 'struct_ops', 'ringbuf',
    'inode_storage', 'task_storage', 'bloom_filter', 'user_ringbuf',
    'cgrp_storage',
]


class ViewError(Exception):
    """The object is malformed in a way the view cannot describe."""


def map_type_name(t):
    return MAP_TYPE_NAMES[t] if 0 <= t < len(MAP_TYPE_NAMES) else 'unknown'


def is_xdp_section(name):
    """uxdp's rule (lib/uxdp_bpf/loader_progs.c): exact "xdp" and
    "xdp.frags", "xdp/..." and "xdp.frags/...", and the legacy "xdp_" and
    "xdp-" prefixes of pre-1.0 libbpf. libbpf 1.1 itself knows only xdp,
    xdp.frags and their /devmap and /cpumap forms."""
    if name in ('xdp', 'xdp.frags'):
        return True
    return name.startswith(('xdp/', 'xdp.frags/', 'xdp_', 'xdp-'))


def libbpf_knows_xdp(name):
    """Section names libbpf 1.1 gives BPF_PROG_TYPE_XDP by itself."""
    return name in ('xdp', 'xdp.frags', 'xdp/devmap', 'xdp/cpumap',
                    'xdp.frags/devmap', 'xdp.frags/cpumap')


def internal_map_name(obj_path, sec_name):
    """libbpf's name for a global data map: custom sections (a second '.')
    keep their name; .data/.rodata/.bss/.kconfig get the object name
    (base name, at most 15 characters, cut at the first '.') as prefix,
    the section name keeping max(7, len) of 15 characters, and characters
    outside [A-Za-z0-9_.] become '_'."""
    if '.' in sec_name[1:]:
        return sec_name
    base = obj_path.rsplit('/', 1)[-1][:KERNEL_NAME_MAX]
    base = base.split('.', 1)[0]
    sfx_len = min(max(7, len(sec_name)), KERNEL_NAME_MAX)
    pfx_len = min(KERNEL_NAME_MAX - sfx_len, len(base))
    name = base[:pfx_len] + sec_name[:sfx_len]
    return ''.join(c if c.isalnum() and c.isascii() or c in '_.' else '_'
                   for c in name)


class Insn:
    __slots__ = ('code', 'dst', 'src', 'off', 'imm')

    def __init__(self, raw):
        self.code, regs, self.off, self.imm = struct.unpack('<BBhi', raw)
        self.dst = regs & 0xf
        self.src = regs >> 4


class Func:
    def __init__(self, name, sec, start, count, is_global):
        self.name = name
        self.sec = sec
        self.start = start
        self.count = count
        self.is_global = is_global


class Obj:
    """The parts of the ELF file a loader reads."""

    def __init__(self, path):
        self.path = path
        with open(path, 'rb') as f:
            self.blob = f.read()
        self.elf = ELFFile(io.BytesIO(self.blob))
        if self.elf['e_machine'] != 'EM_BPF' or self.elf['e_type'] != 'ET_REL':
            raise ViewError('%s: not a BPF relocatable object' % path)
        self.secs = list(self.elf.iter_sections())
        self.syms = []
        for s in self.secs:
            if isinstance(s, SymbolTableSection):
                self.syms = list(s.iter_symbols())
                break
        # code section index -> {byte offset: (sym index, type)}
        self.rels = {}
        for s in self.secs:
            if not isinstance(s, RelocationSection):
                continue
            target = s['sh_info']
            if not self.is_code(target):
                continue
            table = self.rels.setdefault(target, {})
            for r in s.iter_relocations():
                table[r['r_offset']] = (r['r_info_sym'], r['r_info_type'])
        self.funcs = self.collect_funcs()

    def sec_name(self, idx):
        return self.secs[idx].name

    def is_code(self, idx):
        if not isinstance(idx, int) or idx <= 0 or idx >= len(self.secs):
            return False
        h = self.secs[idx].header
        return h['sh_type'] == SHT_PROGBITS and (h['sh_flags'] & SHF_EXECINSTR) != 0

    def sec_data(self, idx):
        s = self.secs[idx]
        if s.header['sh_type'] == SHT_NOBITS:
            return None
        return s.data()

    def insns(self, sec):
        data = self.sec_data(sec)
        return [Insn(data[i:i + INSN_SIZE]) for i in range(0, len(data), INSN_SIZE)]

    def collect_funcs(self):
        funcs = []
        for sym in self.syms:
            if sym['st_info']['type'] != 'STT_FUNC':
                continue
            shndx = sym['st_shndx']
            if not self.is_code(shndx):
                continue
            if sym['st_value'] % INSN_SIZE or sym['st_size'] % INSN_SIZE or \
                    sym['st_size'] == 0:
                raise ViewError('function %s is not whole instructions' % sym.name)
            funcs.append(Func(sym.name, shndx, sym['st_value'] // INSN_SIZE,
                              sym['st_size'] // INSN_SIZE,
                              sym['st_info']['bind'] in ('STB_GLOBAL', 'STB_WEAK')))
        # symbol order within one start: the first one wins (aliases)
        funcs.sort(key=lambda f: (f.sec, f.start))
        return funcs

    def func_at(self, sec, insn):
        for f in self.funcs:
            if f.sec == sec and f.start == insn:
                return f
        raise ViewError('no function starts at insn %d of section %s' %
                        (insn, self.sec_name(sec)))


# --- linking --------------------------------------------------------------

def call_target(obj, f, k, insn):
    """(section, insn) a call or a function address at f.start + k goes to,
    or None when the instruction refers to no function."""
    orig = f.start + k
    rel = obj.rels.get(f.sec, {}).get(orig * INSN_SIZE)
    if insn.code == OP_CALL:
        if insn.src != PSEUDO_CALL:
            return None
        if rel is None:
            return f.sec, orig + insn.imm + 1
        sym = obj.syms[rel[0]]
        if rel[1] != R_BPF_64_32 or not obj.is_code(sym['st_shndx']):
            raise ViewError('call at %s+%d: relocation is not a call' %
                            (f.name, k))
        return sym['st_shndx'], sym['st_value'] // INSN_SIZE + insn.imm + 1
    if insn.code == OP_LD_IMM64:
        if rel is None:
            return (f.sec, orig + insn.imm + 1) if insn.src == PSEUDO_FUNC else None
        sym = obj.syms[rel[0]]
        if not obj.is_code(sym['st_shndx']):
            return None
        return sym['st_shndx'], (sym['st_value'] + insn.imm) // INSN_SIZE
    return None


def link(obj, main, order):
    """Place main, then every function it reaches; returns [(func, off)]."""
    placed = [(main, 0)]
    total = main.count
    index = {id(main): 0}

    def place(fn):
        nonlocal total
        if id(fn) in index:
            return False
        index[id(fn)] = len(placed)
        placed.append((fn, total))
        total += fn.count
        return True

    def scan(fn):
        code = obj.insns(fn.sec)[fn.start:fn.start + fn.count]
        k = 0
        while k < fn.count:
            t = call_target(obj, fn, k, code[k])
            if t is not None:
                callee = obj.func_at(*t)
                if place(callee) and order == 'dfs':
                    scan(callee)
            k += 2 if code[k].code == OP_LD_IMM64 else 1

    if order == 'dfs':
        scan(main)
    else:
        i = 0
        while i < len(placed):
            scan(placed[i][0])
            i += 1
    return placed, total


# --- maps -------------------------------------------------------------------

class Dwarf:
    """Top-level variables of the DWARF info and the sizes of types."""

    def __init__(self, elf):
        self.vars = {}
        if not elf.has_dwarf_info():
            return
        # BPF relocation types are unknown to pyelftools; in a relocatable
        # object the REL addends in place are already the offsets into
        # .debug_str and friends (their section symbols have value 0).
        info = elf.get_dwarf_info(relocate_dwarf_sections=False)
        for cu in info.iter_CUs():
            top = cu.get_top_DIE()
            for die in top.iter_children():
                if die.tag == 'DW_TAG_variable' and 'DW_AT_name' in die.attributes:
                    name = die.attributes['DW_AT_name'].value.decode()
                    self.vars.setdefault(name, die)

    @staticmethod
    def ref(die):
        return die.get_DIE_from_attribute('DW_AT_type') \
            if 'DW_AT_type' in die.attributes else None

    def strip(self, die):
        while die is not None and die.tag in (
                'DW_TAG_typedef', 'DW_TAG_const_type', 'DW_TAG_volatile_type',
                'DW_TAG_restrict_type', 'DW_TAG_atomic_type'):
            die = self.ref(die)
        return die

    @staticmethod
    def subrange_counts(arr):
        counts = []
        for sub in arr.iter_children():
            if sub.tag != 'DW_TAG_subrange_type':
                continue
            a = sub.attributes
            if 'DW_AT_count' in a:
                counts.append(a['DW_AT_count'].value)
            elif 'DW_AT_upper_bound' in a:
                counts.append(a['DW_AT_upper_bound'].value + 1)
            else:
                counts.append(0)
        return counts

    def size(self, die):
        die = self.strip(die)
        if die is None:
            raise ViewError('type without size')
        if die.tag == 'DW_TAG_array_type':
            n = 1
            for c in self.subrange_counts(die):
                n *= c
            return n * self.size(self.ref(die))
        if 'DW_AT_byte_size' in die.attributes:
            return die.attributes['DW_AT_byte_size'].value
        if die.tag == 'DW_TAG_pointer_type':
            return 8
        raise ViewError('type %s has no size' % die.tag)

    def align(self, die):
        """Alignment as BTF computes it: a scalar's own size (at most 8),
        an array's element's, a struct's largest member's."""
        die = self.strip(die)
        if die.tag == 'DW_TAG_array_type':
            return self.align(self.ref(die))
        if die.tag in ('DW_TAG_structure_type', 'DW_TAG_union_type'):
            return max([self.align(self.ref(m)) for m in die.iter_children()
                        if m.tag == 'DW_TAG_member'] or [1])
        return min(self.size(die), 8)

    def map_def(self, name):
        """A .maps variable: struct members whose types carry the values."""
        die = self.vars.get(name)
        if die is None:
            raise ViewError('map %s: no DWARF variable (compile with -g)' % name)
        st = self.strip(self.ref(die))
        if st is None or st.tag != 'DW_TAG_structure_type':
            raise ViewError('map %s: definition is not a struct' % name)
        d = {'type': 0, 'key_size': 0, 'value_size': 0, 'max_entries': 0,
             'flags': 0}
        for m in st.iter_children():
            if m.tag != 'DW_TAG_member':
                continue
            field = m.attributes['DW_AT_name'].value.decode()
            if field == 'values':
                # __array(values, ...): a flexible array of the initial
                # slots of a prog array or map of maps; libbpf makes their
                # values 4-byte fds/ids
                d['value_size'] = 4
                continue
            ptr = self.strip(self.ref(m))
            if ptr is None or ptr.tag != 'DW_TAG_pointer_type':
                raise ViewError('map %s: member %s is not a pointer' % (name, field))
            target = self.ref(ptr)
            if field in ('type', 'max_entries', 'map_flags', 'key_size',
                         'value_size', 'numa_node', 'pinning'):
                arr = self.strip(target)
                if arr is None or arr.tag != 'DW_TAG_array_type':
                    raise ViewError('map %s: %s is not __uint()' % (name, field))
                value = self.subrange_counts(arr)[0]
                key = {'map_flags': 'flags'}.get(field, field)
                if key in d:
                    d[key] = value
            elif field in ('key', 'value'):
                d[field + '_size'] = self.size(target)
        return d


def read_u32s(data, off, n):
    return struct.unpack_from('<%dI' % n, data, off)


def sym_is_global(sym):
    return sym['st_info']['bind'] in ('STB_GLOBAL', 'STB_WEAK')


def collect_maps(obj):
    """Maps in uxdp's (and libbpf's) creation order, each with the section
    it comes from and, for user maps, its offset there."""
    maps = []
    by_name = {s.name: i for i, s in enumerate(obj.secs)}

    legacy = by_name.get('maps')
    if legacy is not None and obj.secs[legacy].header['sh_type'] == SHT_PROGBITS:
        syms = [s for s in obj.syms if s['st_shndx'] == legacy and
                s['st_info']['type'] != 'STT_SECTION']
        size = obj.secs[legacy].header['sh_size']
        if not syms or size % len(syms) or size // len(syms) < LEGACY_DEF_MIN:
            raise ViewError('section maps: %d bytes for %d definitions' %
                            (size, len(syms)))
        data = obj.sec_data(legacy)
        for s in syms:
            t, ks, vs, me, fl = read_u32s(data, s['st_value'], 5)
            maps.append({'name': s.name, 'type': t, 'key_size': ks,
                         'value_size': vs, 'max_entries': me, 'flags': fl,
                         'sec': legacy, 'off': s['st_value'], 'data': False})

    btf = by_name.get('.maps')
    if btf is not None:
        dwarf = Dwarf(obj.elf)
        # the .maps DATASEC lists the variables in offset order
        syms = sorted((s for s in obj.syms if s['st_shndx'] == btf and
                       s['st_info']['type'] != 'STT_SECTION'),
                      key=lambda s: s['st_value'])
        for s in syms:
            d = dwarf.map_def(s.name)
            d.update({'name': s.name, 'sec': btf, 'off': s['st_value'],
                      'data': False})
            maps.append(d)

    has_btf = '.BTF' in by_name
    for idx, s in enumerate(obj.secs):
        h = s.header
        if h['sh_size'] == 0:
            continue
        if h['sh_type'] == SHT_NOBITS:
            if s.name != '.bss':
                continue
            rodata = False
        elif h['sh_type'] == SHT_PROGBITS and not h['sh_flags'] & SHF_EXECINSTR:
            rodata = s.name == '.rodata' or s.name.startswith('.rodata.')
            if not rodata and s.name != '.data' and not s.name.startswith('.data.'):
                continue
        else:
            continue
        flags = BPF_F_RDONLY_PROG if rodata else 0
        # libbpf 1.1: mmap()-able when a global variable lives there, which
        # it learns from the section's BTF DATASEC: no BTF, no flag
        if has_btf and any(sym['st_shndx'] == idx and sym_is_global(sym) and
               sym['st_info']['type'] == 'STT_OBJECT' for sym in obj.syms):
            flags |= BPF_F_MMAPABLE
        maps.append({'name': internal_map_name(obj.path, s.name),
                     'type': BPF_MAP_TYPE_ARRAY, 'key_size': 4,
                     'value_size': h['sh_size'], 'max_entries': 1,
                     'flags': flags, 'sec': idx, 'off': 0, 'data': True})

    kconfig = kconfig_layout(obj)
    if kconfig:
        size = max(off + sz for off, sz in kconfig.values())
        maps.append({'name': internal_map_name(obj.path, '.kconfig'),
                     'type': BPF_MAP_TYPE_ARRAY, 'key_size': 4,
                     'value_size': size, 'max_entries': 1,
                     'flags': BPF_F_RDONLY_PROG | BPF_F_MMAPABLE,
                     'sec': 'kconfig', 'off': 0, 'data': True,
                     'externs': kconfig})
    return maps


def is_kconfig_name(name):
    """.kconfig externs are the kernel's configuration (CONFIG_*) and
    libbpf's own LINUX_* values; the section is recorded only in BTF,
    which this view does not read, and these names are the only ones a
    loader accepts there."""
    return name.startswith(('CONFIG_', 'LINUX_'))


def kconfig_layout(obj):
    """{extern name: (offset, size)} in the .kconfig map value: sorted by
    alignment (largest first), then size (smallest first), then name, each
    placed at the next multiple of its alignment."""
    externs = [sym.name for sym in obj.syms
               if sym['st_shndx'] == 'SHN_UNDEF' and sym.name and
               sym['st_info']['type'] == 'STT_NOTYPE' and
               sym_is_global(sym) and is_kconfig_name(sym.name)]
    if not externs:
        return {}
    dwarf = Dwarf(obj.elf)
    descs = []
    for name in externs:
        die = dwarf.vars.get(name)
        if die is None:
            raise ViewError('extern %s: no DWARF variable (compile with -g)' % name)
        t = dwarf.ref(die)
        descs.append((-dwarf.align(t), dwarf.size(t), name))
    layout, off = {}, 0
    for neg_align, size, name in sorted(descs):
        align = -neg_align
        off = (off + align - 1) // align * align
        layout[name] = (off, size)
        off += size
    return layout


def map_ref(obj, maps, f, k, insn):
    """The map (and offset) an ld_imm64 with a data relocation names."""
    rel = obj.rels.get(f.sec, {}).get((f.start + k) * INSN_SIZE)
    if rel is None or insn.code != OP_LD_IMM64:
        return None
    sym = obj.syms[rel[0]]
    shndx = sym['st_shndx']
    if obj.is_code(shndx):
        return None
    if shndx == 'SHN_UNDEF':
        for m in maps:
            if sym.name in m.get('externs', {}):
                return {'map': m['name'], 'off': m['externs'][sym.name][0],
                        'kind': 'value'}
    if not isinstance(shndx, int):
        raise ViewError('%s+%d: reference to %s, which is not defined here' %
                        (f.name, k, sym.name or 'a symbol'))
    off = sym['st_value'] + insn.imm
    for m in maps:
        if m['sec'] != shndx:
            continue
        if m['data']:
            return {'map': m['name'], 'off': off, 'kind': 'value'}
        if m['off'] == off:
            return {'map': m['name'], 'off': 0, 'kind': 'map'}
    raise ViewError('%s+%d: no map at offset %d of section %s' %
                    (f.name, k, off, obj.sec_name(shndx)))


def prog_view(obj, maps, main, order):
    placed, total = link(obj, main, order)
    refs = []
    for fn, base in placed:
        code = obj.insns(fn.sec)[fn.start:fn.start + fn.count]
        k = 0
        while k < fn.count:
            r = map_ref(obj, maps, fn, k, code[k])
            if r is not None:
                refs.append(dict(insn=base + k, **r))
            k += 2 if code[k].code == OP_LD_IMM64 else 1
    return {'name': main.name, 'section': obj.sec_name(main.sec),
            'insns': total, 'map_refs': refs,
            'linked': [fn.name for fn, _ in placed],
            'libbpf_knows_section': libbpf_knows_xdp(obj.sec_name(main.sec))}


def view(path, order='bfs'):
    obj = Obj(path)
    maps = collect_maps(obj)
    progs = []
    for f in obj.funcs:
        sec = obj.sec_name(f.sec)
        if f.is_global and sec != '.text' and is_xdp_section(sec):
            progs.append(prog_view(obj, maps, f, order))
    out_maps = [{'name': m['name'], 'type': map_type_name(m['type']),
                 'key_size': m['key_size'], 'value_size': m['value_size'],
                 'max_entries': m['max_entries'], 'flags': m['flags']}
                for m in maps]
    lic = ver = None
    for s in obj.secs:
        if s.name == 'license' and s.header['sh_type'] == SHT_PROGBITS:
            lic = s.data().split(b'\0', 1)[0].decode(errors='replace')
        elif s.name == 'version' and s.header['sh_size'] >= 4:
            ver = read_u32s(s.data(), 0, 1)[0]
    return {'programs': progs, 'maps': out_maps,
            'functions': [{'name': f.name, 'section': obj.sec_name(f.sec),
                           'start': f.start, 'insns': f.count,
                           'global': f.is_global} for f in obj.funcs],
            'license': lic, 'version': ver}


def main(argv):
    order = 'bfs'
    args = argv[1:]
    if len(args) == 3 and args[0] == '--order' and args[1] in ('bfs', 'dfs'):
        order = args[1]
        args = args[2:]
    if len(args) != 1 or args[0].startswith('-'):
        sys.stderr.write('usage: bpf_elf_view.py [--order bfs|dfs] OBJ.o\n')
        return 2
    try:
        v = view(args[0], order)
    except (OSError, ViewError) as e:
        sys.stderr.write('bpf_elf_view: %s\n' % e)
        return 1
    json.dump(v, sys.stdout)
    sys.stdout.write('\n')
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
