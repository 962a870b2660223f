#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""The loader against two independent readings of the same objects.

For every compiled BPF object of the build (xdp_progs/*.o with its .v3/.v4
variants, the loader corpus lib/uxdp_bpf/tests/corpus/*.o and the loader
test objects, globbed so that new objects are covered without a change
here):
  - devtools/bpf_elf_view.py (pyelftools: ELF + DWARF, nothing shared with
    uxdp or libbpf) against `uxdp-run --list`: programs (name, section,
    instructions after linking, every map reference with its linked
    instruction index) and maps (name, type, sizes, entries, flags), field
    by field and in order;
  - where the kernel loads the object, `uxdp-kernel-run --list` (libbpf,
    after a real load) against the same view: the kernel's map
    definitions, and libbpf's relocated references, whose subprogram
    layout is depth-first (bpf_elf_view.py --order dfs).
Objects uxdp refuses (kfuncs, callbacks, ...) are left out with a note;
objects the kernel refuses are compared with pyelftools only, with a note.

The corpus programs also run through uxdp-run and the kernel over the same
packets (identical output and maps), and program selection (--prog by
function name, by section, the default, a function name winning over an
equal section name) is checked on the many-programs and legacy objects. Exit 77 only when nothing at all could be compared.
"""

import glob
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import pktset  # noqa: E402

SKIP = 77
BUILD = os.environ.get('UXDP_BUILD_DIR') or sys.exit('UXDP_BUILD_DIR is not set')
SOURCE = os.environ.get('UXDP_SOURCE_DIR') or os.path.dirname(os.path.dirname(HERE))
UXDP_RUN = os.path.join(BUILD, 'app', 'uxdp-run', 'uxdp-run')
KERNEL_RUN = os.path.join(BUILD, 'app', 'test', 'oracle', 'uxdp-kernel-run')
ELF_VIEW = os.path.join(SOURCE, 'devtools', 'bpf_elf_view.py')
CORPUS = os.path.join(BUILD, 'lib', 'uxdp_bpf', 'tests', 'corpus')
OBJ_GLOBS = [
    os.path.join(BUILD, 'xdp_progs', '*.o'),
    os.path.join(CORPUS, '*.o'),
    os.path.join(BUILD, 'lib', 'uxdp_bpf', 'tests', '*.o'),
]
PROG_FIELDS = ('name', 'section', 'insns')
MAP_FIELDS = ('name', 'type', 'key_size', 'value_size', 'max_entries', 'flags')
REF_FIELDS = ('insn', 'map', 'off', 'kind')
# BPF_PROG_TEST_RUN refuses shorter packets.
KERNEL_MIN_LEN = 14


class Tally:
    def __init__(self):
        self.failures = 0
        self.compared = {'uxdp': 0, 'kernel': 0, 'runs': 0, 'selection': 0}
        self.notes = 0

    def fail(self, msg):
        self.failures += 1
        print('FAIL: ' + msg, flush=True)

    def note(self, msg):
        self.notes += 1
        print('  note: ' + msg, flush=True)


T = Tally()


def loopback_ifindex():
    try:
        with open('/sys/class/net/lo/ifindex') as f:
            return int(f.read())
    except (OSError, ValueError):
        return 1


# The kernel runs test packets on lo's queue 0: uxdp-run is told the same.
# This test is about the loader, over a corpus with objects the kernel
# refuses on purpose (legacy "maps" sections libbpf 1.x cannot open,
# function names the kernel takes for no program name): uxdp-run trusts
# them (--verify none); the kernel's own reading is compared separately.
UXDP_CTX_ARGS = ['--ifindex', str(loopback_ifindex()), '--rxq', '0',
                 '--verify', 'none']


def run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=300)
    return p.returncode, p.stdout, p.stderr


def last_line(text):
    lines = [l for l in text.strip().splitlines() if l.strip()]
    return lines[-1] if lines else ''


def rel(path):
    return os.path.relpath(path, BUILD)


def elf_view(obj, order):
    rc, out, err = run([ELF_VIEW, '--order', order, obj])
    if rc != 0:
        return None, err.strip()
    return json.loads(out), None


def list_of(tool, obj):
    rc, out, err = run([tool, '--list', obj] +
                       (['--verify', 'none'] if tool == UXDP_RUN else []))
    if rc != 0:
        # the kernel oracle checks libbpf's map definitions against the
        # maps the kernel created (BPF_OBJ_GET_INFO_BY_FD)
        for line in err.splitlines():
            if 'the kernel created' in line:
                T.fail('%s: %s' % (rel(obj), line))
        return None, rc, last_line(err)
    return json.loads(out.splitlines()[0]), 0, None


def diff_entries(where, what, fields, want, got, key='name'):
    """Field-by-field diff of two lists of dicts, in order. Returns the
    number of differences, each printed."""
    bad = 0
    if [w.get(key) for w in want] != [g.get(key) for g in got]:
        T.fail('%s: %s differ in %s or order:\n    pyelftools: %s\n    %s: %s' %
               (where, what, key, [w.get(key) for w in want], tool_label(where),
                [g.get(key) for g in got]))
        return 1
    for w, g in zip(want, got):
        for f in fields:
            if w.get(f) != g.get(f):
                T.fail('%s: %s %r field %s: pyelftools %r, %s %r' %
                       (where, what, w.get(key), f, w.get(f), tool_label(where),
                        g.get(f)))
                bad += 1
    return bad


def tool_label(where):
    return 'libbpf' if where.startswith('kernel') else 'uxdp'


def diff_refs(where, prog, want, got):
    bad = 0
    if len(want) != len(got):
        T.fail('%s: program %s: %d map references by pyelftools, %d by %s\n'
               '    pyelftools: %s\n    %s: %s' %
               (where, prog, len(want), len(got), tool_label(where),
                json.dumps(want), tool_label(where), json.dumps(got)))
        return 1
    for i, (w, g) in enumerate(zip(want, got)):
        for f in REF_FIELDS:
            if w.get(f) != g.get(f):
                T.fail('%s: program %s: map reference %d field %s: '
                       'pyelftools %r, %s %r' %
                       (where, prog, i, f, w.get(f), tool_label(where), g.get(f)))
                bad += 1
    return bad


# The kernel, and uxdp with it, make every devmap read-only for programs
# whatever the object asks: loaders report BPF_F_RDONLY_PROG on them.
DEVMAP_TYPES = ('devmap', 'devmap_hash')
BPF_F_RDONLY_PROG = 1 << 7


def as_created(maps):
    return [dict(m, flags=m['flags'] | BPF_F_RDONLY_PROG)
            if m.get('type') in DEVMAP_TYPES else m for m in maps]


def compare_uxdp(obj, view, ulist):
    where = 'uxdp %s' % rel(obj)
    bad = diff_entries(where, 'programs', PROG_FIELDS, view['programs'],
                       ulist['programs'])
    if bad == 0:
        for vp, up in zip(view['programs'], ulist['programs']):
            bad += diff_refs(where, vp['name'], vp['map_refs'],
                             up.get('map_refs', []))
    bad += diff_entries(where, 'maps', MAP_FIELDS, as_created(view['maps']),
                        ulist['maps'])
    T.compared['uxdp'] += 1
    return bad == 0


def compare_kernel(obj, dview, klist):
    """libbpf lists every program (tc, kprobe, ...) and orders maps its own
    way: compare the XDP programs by name and the maps by name."""
    where = 'kernel %s' % rel(obj)
    kprogs = {p['name']: p for p in klist['programs']}
    bad = 0
    for vp in dview['programs']:
        kp = kprogs.get(vp['name'])
        if kp is None:
            T.fail('%s: libbpf has no program %s' % (where, vp['name']))
            bad += 1
            continue
        for f in PROG_FIELDS:
            if vp[f] != kp[f]:
                T.fail('%s: program %s field %s: pyelftools %r, libbpf %r' %
                       (where, vp['name'], f, vp[f], kp[f]))
                bad += 1
        bad += diff_refs(where, vp['name'], vp['map_refs'], kp.get('map_refs', []))
    want = sorted(as_created(dview['maps']), key=lambda m: m['name'])
    got = sorted(klist['maps'], key=lambda m: m['name'])
    bad += diff_entries(where, 'maps', MAP_FIELDS, want, got)
    T.compared['kernel'] += 1
    return bad == 0


def check_object(obj):
    """Returns the kernel's list when the kernel loaded it, else None."""
    view, err = elf_view(obj, 'bfs')
    ulist, rc_u, err_u = list_of(UXDP_RUN, obj)
    if ulist is None:
        T.note('%s: uxdp refuses it, out of the comparison: %s' % (rel(obj), err_u))
        return None
    if view is None:
        T.fail('%s: uxdp loads it but pyelftools cannot read it: %s' % (rel(obj), err))
        return None
    ok = compare_uxdp(obj, view, ulist)

    klist, rc_k, err_k = list_of(KERNEL_RUN, obj)
    if rc_k == SKIP:
        T.note('%s: no bpf() here, kernel comparison skipped' % rel(obj))
    elif klist is None:
        T.note('%s: the kernel (libbpf) refuses it, compared with pyelftools only: %s' %
               (rel(obj), err_k))
    else:
        dview, err = elf_view(obj, 'dfs')
        ok &= compare_kernel(obj, dview, klist)
    print('%-44s %d programs, %d maps: %s' %
          (rel(obj), len(view['programs']), len(view['maps']),
           'agree' if ok else 'DIFFER'), flush=True)
    return klist


def check_runs(obj, view, pcap, n_cases):
    """Each program of a corpus object through uxdp-run and the kernel."""
    for p in view['programs']:
        args = ['--prog', p['name'], '--dump-maps', '--in', pcap, obj]
        rc_k, kout, err_k = run([KERNEL_RUN] + args)
        if rc_k != 0:
            T.note('%s %s: the kernel cannot run it: %s' %
                   (rel(obj), p['name'], last_line(err_k) or kout.split('\n', 1)[0]))
            continue
        rc_u, uout, err_u = run([UXDP_RUN] + UXDP_CTX_ARGS + args)
        klines, ulines = kout.splitlines(), uout.splitlines()
        T.compared['runs'] += 1
        if rc_u != 0 or len(ulines) != n_cases + 1:
            T.fail('%s %s: uxdp-run exit %d, %d lines for %d packets: %s' %
                   (rel(obj), p['name'], rc_u, len(ulines), n_cases, last_line(err_u)))
            continue
        for i, (k, u) in enumerate(zip(klines[:-1], ulines[:-1])):
            if k != u:
                T.fail('%s %s: packet %d differs\n    kernel: %s\n    uxdp:   %s' %
                       (rel(obj), p['name'], i + 1, k[:300], u[:300]))
                break
        kmaps, umaps = json.loads(klines[-1])['maps'], json.loads(ulines[-1])['maps']
        for name in sorted(set(kmaps) | set(umaps)):
            k, u = kmaps.get(name), umaps.get(name)
            same = k == u
            if not same and k is not None and u is not None:
                # hash maps: iteration order is the implementation's business
                same = sorted(json.dumps(e, sort_keys=True) for e in k) == \
                    sorted(json.dumps(e, sort_keys=True) for e in u)
            if not same:
                T.fail('%s %s: map %s differs after the run\n    kernel: %s\n    uxdp:   %s' %
                       (rel(obj), p['name'], name, json.dumps(k)[:300],
                        json.dumps(u)[:300]))


def marker_run(tool, obj, sel):
    """Which program ran: the corpus programs write their id into byte 0."""
    args = ([] if sel is None else ['--prog', sel]) + ['--pkt', 'ff' * 60, obj]
    if tool == UXDP_RUN:
        args = UXDP_CTX_ARGS + args
    rc, out, err = run([tool] + args)
    if rc != 0:
        return None, rc, last_line(err)
    d = json.loads(out.splitlines()[0])
    return (int(d['data'][:2], 16), d['action']), rc, None


def check_selection(obj, cases, kernel_too):
    """--prog by function name, by section (first program there), default
    (first XDP program); an unknown name is an error with a message."""
    for sel, want_id in cases:
        tools = [UXDP_RUN] + ([KERNEL_RUN] if kernel_too else [])
        results = {}
        for tool in tools:
            got, rc, err = marker_run(tool, obj, sel)
            T.compared['selection'] += 1
            label = os.path.basename(tool)
            if want_id is None:
                if rc != 1 or not err:
                    T.fail('%s --prog %s: want exit 1 and a message, got %d %r' %
                           (label, sel, rc, err))
                continue
            if got is None:
                if tool == KERNEL_RUN:
                    T.note('%s --prog %s: the kernel cannot run it: %s' %
                           (rel(obj), sel, err))
                    continue
                T.fail('%s %s --prog %s: exit %d: %s' % (label, rel(obj), sel, rc, err))
                continue
            results[label] = got
            if got[0] != want_id:
                T.fail('%s %s --prog %s: program %d ran, want %d' %
                       (label, rel(obj), sel, got[0], want_id))
        if len(set(results.values())) > 1:
            T.fail('%s --prog %s: uxdp and the kernel differ: %s' % (rel(obj), sel, results))
    print('%-44s selection: %d choices checked' % (rel(obj), len(cases)), flush=True)


def check_name_beats_section(obj, tmp):
    """A function named like another program's section is chosen by name.
    clang cannot write such an object (section names are assembler
    symbols too), so the test renames prog_delta2 (section xdp/delta2) to
    "xdp/delta" in a copy of the string table: --prog xdp/delta must then
    run it (id 9), not prog_delta of section xdp/delta (id 8)."""
    from elftools.elf.elffile import ELFFile
    from elftools.elf.sections import SymbolTableSection
    with open(obj, 'rb') as f:
        blob = bytearray(f.read())
        elf = ELFFile(f)
        where = None
        for sec in elf.iter_sections():
            if not isinstance(sec, SymbolTableSection):
                continue
            strtab = elf.get_section(sec['sh_link'])
            for sym in sec.iter_symbols():
                if sym.name == 'prog_delta2':
                    where = strtab['sh_offset'] + sym['st_name']
    if where is None or blob[where:where + 12] != b'prog_delta2\0':
        T.fail('%s: cannot find the symbol prog_delta2 to rename' % rel(obj))
        return
    blob[where:where + 12] = b'xdp/delta\0\0\0'
    patched = os.path.join(tmp, 'renamed_' + os.path.basename(obj))
    with open(patched, 'wb') as f:
        f.write(blob)
    got, rc, err = marker_run(UXDP_RUN, patched, 'xdp/delta')
    T.compared['selection'] += 1
    if got is None or got[0] != 9:
        T.fail('%s: --prog xdp/delta with a function of that name: got %s '
               '(exit %d %s), want program 9, chosen by name' %
               (rel(obj), got, rc, err))
    else:
        print('%-44s selection: a function name wins over a section name' %
              rel(obj), flush=True)


def main():
    for tool in (UXDP_RUN, KERNEL_RUN, ELF_VIEW):
        if not os.access(tool, os.X_OK):
            print('FAIL: %s is missing' % tool)
            return 1
    objs = sorted({p for g in OBJ_GLOBS for p in glob.glob(g)})
    corpus = [o for o in objs if o.startswith(CORPUS + os.sep)]
    if not corpus:
        print('FAIL: no corpus objects under %s' % CORPUS)
        return 1
    print('%d objects (%d of the corpus)' % (len(objs), len(corpus)), flush=True)

    kernel_loaded = {}
    for obj in objs:
        kernel_loaded[obj] = check_object(obj) is not None

    cases = [c for c in pktset.packets() if len(c.data) >= KERNEL_MIN_LEN][:40]
    with tempfile.TemporaryDirectory(prefix='uxdp-elfview-') as tmp:
        pcap = os.path.join(tmp, 'pkts.pcap')
        pktset.write_pcap(pcap, cases)
        for obj in corpus:
            if not kernel_loaded.get(obj):
                continue
            view, _ = elf_view(obj, 'bfs')
            if view is not None:
                check_runs(obj, view, pcap, len(cases))
        print('corpus runs: %d program runs compared with the kernel' %
              T.compared['runs'], flush=True)
        many = os.path.join(CORPUS, 'many_progs.o')
        if os.path.exists(many):
            check_name_beats_section(many, tmp)

    for suffix in ('', '.v3', '.v4'):
        many = os.path.join(CORPUS, 'many_progs%s.o' % suffix)
        if os.path.exists(many):
            check_selection(many, [
                (None, 1), ('prog_first', 1), ('prog_second', 2),
                ('xdp', 1), ('xdp/alpha', 3), ('prog_beta', 4), ('xdp/beta', 4),
                ('xdp.frags', 5), ('xdp.frags/gamma', 6), ('prog_devmap', 7),
                ('xdp/delta', 8), ('xdp/delta2', 9), ('no_such_prog', None),
                ('xdp/del', None),
            ], kernel_loaded.get(many, False))
        legacy = os.path.join(CORPUS, 'legacy%s.o' % suffix)
        if os.path.exists(legacy):
            check_selection(legacy, [
                (None, 1), ('xdp_second', 2), ('xdp_second_legacy', 2),
                ('xdp_old', 3), ('xdp-dash', 4), ('xdp_cross_caller', 4),
            ], False)

    if sum(T.compared.values()) == 0:
        print('SKIP: nothing could be compared')
        return SKIP
    print('compared: %d objects with uxdp, %d with the kernel, %d corpus runs, '
          '%d selections; %d notes' %
          (T.compared['uxdp'], T.compared['kernel'], T.compared['runs'],
           T.compared['selection'], T.notes))
    print('%d failure(s)' % T.failures)
    return 1 if T.failures else 0


if __name__ == '__main__':
    sys.exit(main())
