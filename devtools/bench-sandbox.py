#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Benchmark of the sandbox (issue #9, doc/sandbox.md): ns per run of every
xdp_progs program in uxdp's JIT and interpreter, unchecked and under
uxdp-run --verify sandbox (against --verify none), and the ratios sandboxed / unchecked.

Not a test: numbers depend on the machine and its load. Usage:
  devtools/bench-sandbox.py [--build DIR] [--repeat N] [--variant .v4]
Every program runs over the same packets (app/test/pktset.py) as
devtools/bench-engine.py does: a packet's ns_per_run is the mean of N
in-place runs, the program's figure the median over packets. Ratios are
given on the whole run ("run") and on the program alone ("net": minus the
same mode's XDP_PASS baseline, so the harness cancels out). Which
accesses the sandbox checks is the load-time analysis' business: with
mem_guard unset every access is (the worst case); rerun once it fills it.
"""

import argparse
import glob
import os
import statistics
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'app', 'test'))
sys.path.insert(0, HERE)
import pktset  # noqa: E402

# bench-engine.py's measurement, by import (its name has a dash).
_spec = __import__('importlib.util').util.spec_from_file_location(
    'bench_engine', os.path.join(HERE, 'bench-engine.py'))
bench_engine = __import__('importlib.util').util.module_from_spec(_spec)
_spec.loader.exec_module(bench_engine)

MODES = ('jit', 'jit_sb', 'interp', 'interp_sb')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--repeat', type=int, default=20000)
    ap.add_argument('--variant', default='.v4',
                    help="object variant: '' (v1), .v3 or .v4")
    ap.add_argument('--no-interp', action='store_true',
                    help='JIT columns only (the interpreter is slow)')
    a = ap.parse_args()

    uxdp_run = os.path.join(a.build, 'app', 'uxdp-run', 'uxdp-run')
    objs = sorted(p for p in glob.glob(os.path.join(a.build, 'xdp_progs',
                                                    '*%s.o' % a.variant))
                  if a.variant or p.count('.') == 1)
    cases = [c for c in pktset.packets() if len(c.data) >= 14]
    rep = ['--repeat', str(a.repeat)]
    modes = [m for m in MODES if not (a.no_interp and m.startswith('interp'))]

    with tempfile.TemporaryDirectory(prefix='uxdp-bench-') as tmp:
        pcap = os.path.join(tmp, 'pkts.pcap')
        pktset.write_pcap(pcap, cases)
        cmds = {}
        for m in modes:
            engine = m.split('_')[0]
            cmds[m] = [uxdp_run, '--engine', engine] + \
                ['--verify', 'sandbox' if m.endswith('_sb') else 'none'] + rep + \
                ['--in', pcap]
        raw = {}
        for obj in objs:
            name = os.path.basename(obj)
            raw[name] = {}
            for m in modes:
                try:
                    raw[name][m] = bench_engine.ns_per_run(cmds[m] + [obj])
                except RuntimeError as e:
                    print('  %s/%s: %s' % (name, m, e), file=sys.stderr)
                    raw[name][m] = None
        base_name = 'xdp_pass%s.o' % a.variant
        base = raw.get(base_name, {})

    def ratio(x, y):
        return x / y if x is not None and y is not None and y > 0.5 else None

    def fmt(v, w=8, p=1):
        return '%*.*f' % (w, p, v) if v is not None else '%*s' % (w, '-')

    print('%d packets, --repeat %d, median ns/run; XDP_PASS baseline: %s' %
          (len(cases), a.repeat,
           ', '.join('%s %.1f' % (k, v or 0) for k, v in base.items())))
    pairs = [('jit', 'jit_sb')]
    if not a.no_interp:
        pairs.append(('interp', 'interp_sb'))
    hdr = '%-24s' % 'program'
    for u, s in pairs:
        hdr += ' %8s %8s %9s %9s' % (u, s, u + ' run', 'net')
    print(hdr)
    run_ratios = {p: [] for p in pairs}
    net_ratios = {p: [] for p in pairs}
    for name, r in raw.items():
        line = '%-24s' % name
        for u, s in pairs:
            rr = ratio(r.get(s), r.get(u))
            nu = r[u] - base[u] if r.get(u) is not None and base.get(u) else None
            ns = r[s] - base[s] if r.get(s) is not None and base.get(s) else None
            nr = ratio(ns, nu) if name != base_name and nu is not None and nu > 2 else None
            if rr is not None:
                run_ratios[(u, s)].append(rr)
            if nr is not None:
                net_ratios[(u, s)].append(nr)
            line += ' %s %s %s %s' % (fmt(r.get(u)), fmt(r.get(s)),
                                      fmt(rr, 9, 2), fmt(nr, 9, 2))
        print(line)
    for u, s in pairs:
        rr, nr = run_ratios[(u, s)], net_ratios[(u, s)]
        if rr:
            print('%s/%s: run ratio median %.2f (min %.2f, max %.2f); '
                  'net ratio median %s over %d programs above 2 ns' %
                  (s, u, statistics.median(rr), min(rr), max(rr),
                   '%.2f' % statistics.median(nr) if nr else '-', len(nr)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
