#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Kernel-differential run of the loader corpus (lib/uxdp_bpf/tests/corpus):
every XDP program of every corpus object, at -mcpu=v1, v3 and v4, runs
over a slice of the pktset in uxdp-run's interpreter, in its JIT and in
the kernel (BPF_PROG_TEST_RUN): identical verdicts, bytes, metadata and
maps. test_oracle_progs.py does the same, with more checks, for xdp_progs;
this one adds what only the corpus has: legacy map definitions, many
programs per object chosen by --prog, cross-section calls, .kconfig.

A program the kernel's test run refuses outright (e.g. one attached to a
devmap, which BPF_PROG_TEST_RUN does not run) is listed with the kernel's
reason and still compared between the two uxdp engines.
Exit 77 (skip) only when the bpf() syscall is not permitted.
"""

import functools
import glob
import json
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import pktset  # noqa: E402
import test_oracle_progs as oracle  # noqa: E402

CORPUS_DIR = os.path.join(oracle.BUILD, 'lib', 'uxdp_bpf', 'tests', 'corpus')
# Every 4th frame of the pktset: all protocols and sizes stay represented
# and the run stays short (66 programs x 3 engines).
PACKET_STRIDE = 4


# Both lists are per object; an object's programs each ask again.
@functools.lru_cache(maxsize=None)
def uxdp_list(obj):
    rc, out, err = oracle.run(oracle.UXDP_RUN, ['--list', obj])
    if rc != 0:
        raise RuntimeError('uxdp-run --list %s: %s' % (obj, err.strip()))
    return json.loads(out[0])


def programs(obj):
    return [p['name'] for p in uxdp_list(obj)['programs']]


@functools.lru_cache(maxsize=None)
def map_types(obj):
    """The kernel's view where libbpf opens the object; uxdp's where it
    does not (libbpf 1.x refuses legacy 'maps' sections)."""
    try:
        return oracle.map_types(obj)
    except RuntimeError:
        return {m['name']: m['type'] for m in uxdp_list(obj)['maps']}


# The corpus holds objects the kernel refuses on purpose (legacy "maps"
# sections libbpf 1.x cannot open, programs the kernel's test run takes
# but its verifier would not): this test compares uxdp's engines with each
# other and with the kernel where the kernel runs them, so uxdp-run trusts
# the objects (--verify none) instead of asking the kernel first.
oracle.UXDP_CTX_ARGS = oracle.UXDP_CTX_ARGS + ['--verify', 'none']


def check_program(obj, prog, pcap, cases):
    """(every comparison that could be made agrees, the kernel ran it)"""
    label = '%s --prog %s' % (os.path.basename(obj), prog)
    args = ['--dump-maps', '--prog', prog, '--in', pcap, obj]
    types = map_types(obj)
    rc_u, uout, err_u = oracle.run(oracle.UXDP_RUN, args)
    if rc_u != 0:
        oracle.R.fail('%s: uxdp-run failed: %s' % (label, err_u.strip()))
        return False, False
    ok = oracle.check_jit_same(label, args, rc_u, uout, types)
    rc_k, kout, err_k = oracle.run(oracle.KERNEL_RUN, args)
    if rc_k != 0:
        # Counted and printed, never a silent pass: the JIT comparison
        # above still ran.
        why = err_k.strip().splitlines() or \
            [line for line in kout if '"error"' in line]
        print('%-40s kernel cannot run it (%s); interp == jit: %s' %
              (label, why[-1] if why else 'exit %d' % rc_k,
               'yes' if ok else 'NO'), flush=True)
        return ok, False
    klines, kmaps = oracle.split_output(kout, True)
    ulines, umaps = oracle.split_output(uout, True)
    same, hist = oracle.compare_packets(label, cases, klines, ulines)
    maps_same = oracle.compare_maps(label, kmaps, umaps, types)
    print('%-40s %3d packets, %3d identical, maps %s; %s' %
          (label, len(cases), sum(hist.values()),
           'identical' if maps_same else 'DIFFER',
           ', '.join('%s %d' % kv for kv in sorted(hist.items()))),
          flush=True)
    return ok and same and maps_same, True


def main():
    for tool in (oracle.UXDP_RUN, oracle.KERNEL_RUN):
        if not os.access(tool, os.X_OK):
            print('FAIL: %s is not built' % tool)
            return 1
    objs = sorted(glob.glob(os.path.join(CORPUS_DIR, '*.o')))
    if not objs:
        print('FAIL: no corpus objects under %s' % CORPUS_DIR)
        return 1
    rc, _, err = oracle.run(oracle.KERNEL_RUN,
                            ['--pkt', '00' * 14, '--prog', programs(objs[0])[0],
                             objs[0]])
    if rc == oracle.SKIP:
        print(err.strip() or 'SKIP: uxdp-kernel-run cannot use the bpf() syscall')
        return oracle.SKIP

    cases = [c for c in pktset.packets()
             if len(c.data) >= oracle.KERNEL_MIN_LEN][::PACKET_STRIDE]
    n_ok = n_bad = n_kernel = 0
    with tempfile.TemporaryDirectory(prefix='uxdp-oracle-corpus-') as tmp:
        pcap = os.path.join(tmp, 'pkts.pcap')
        pktset.write_pcap(pcap, cases)
        for obj in objs:
            for prog in programs(obj):
                ok, by_kernel = check_program(obj, prog, pcap, cases)
                n_kernel += by_kernel
                if ok:
                    n_ok += 1
                else:
                    n_bad += 1
    print('%d corpus programs (%d objects): %d compared with the kernel, '
          '%d packet runs compared, %d identical' %
          (n_ok + n_bad, len(objs), n_kernel, oracle.R.packets_compared,
           oracle.R.packets_identical))
    print('%d passed, %d failed, %d other check(s) failed' %
          (n_ok, n_bad, oracle.R.checks_failed))
    return 0 if n_bad == 0 and oracle.R.checks_failed == 0 else 1


if __name__ == '__main__':
    sys.exit(main())
