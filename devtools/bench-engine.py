#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Benchmark of the execution engines (issue #4): ns per run of every
xdp_progs program in uxdp's interpreter, uxdp's JIT and the kernel
(BPF_PROG_TEST_RUN), each minus its own XDP_PASS baseline so that harness
costs cancel out, and the ratios between them.

Not a test: numbers depend on the machine and its load. Usage:
  devtools/bench-engine.py [--build DIR] [--repeat N] [--variant .v4]
Every program runs over the same packets (app/test/pktset.py); a packet's
ns_per_run is the mean of N in-place runs, the program's figure is the
median over packets (robust against a run preempted by other load).
"""

import argparse
import glob
import json
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'app', 'test'))
import pktset  # noqa: E402


def ns_per_run(cmd):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       universal_newlines=True, timeout=600)
    if p.returncode != 0:
        raise RuntimeError('%s: exit %d: %s' % (' '.join(cmd), p.returncode,
                                                p.stderr.strip()))
    vals = [json.loads(l)['ns_per_run'] for l in p.stdout.splitlines()
            if l.startswith('{') and 'ns_per_run' in l]
    if not vals:
        raise RuntimeError('%s: no ns_per_run in the output' % ' '.join(cmd))
    return statistics.median(vals)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--repeat', type=int, default=20000)
    ap.add_argument('--variant', default='.v4',
                    help="object variant: '' (v1), .v3 or .v4")
    ap.add_argument('--no-kernel', action='store_true')
    a = ap.parse_args()

    uxdp_run = os.path.join(a.build, 'app', 'uxdp-run', 'uxdp-run')
    kernel_run = os.path.join(a.build, 'app', 'test', 'oracle', 'uxdp-kernel-run')
    progs = os.path.join(a.build, 'xdp_progs')
    objs = sorted(p for p in glob.glob(os.path.join(progs, '*%s.o' % a.variant))
                  if a.variant or p.count('.') == 1)
    cases = [c for c in pktset.packets() if len(c.data) >= 14]
    rep = ['--repeat', str(a.repeat)]

    with tempfile.TemporaryDirectory(prefix='uxdp-bench-') as tmp:
        pcap = os.path.join(tmp, 'pkts.pcap')
        pktset.write_pcap(pcap, cases)
        engines = {
            'interp': [uxdp_run, '--engine', 'interp'] + rep + ['--in', pcap],
            'jit': [uxdp_run, '--engine', 'jit'] + rep + ['--in', pcap],
        }
        if not a.no_kernel:
            engines['kernel'] = [kernel_run] + rep + ['--in', pcap]
        raw = {}
        for obj in objs:
            name = os.path.basename(obj)
            raw[name] = {}
            for eng, cmd in engines.items():
                try:
                    raw[name][eng] = ns_per_run(cmd + [obj])
                except RuntimeError as e:
                    print('  %s/%s: %s' % (name, eng, e), file=sys.stderr)
                    raw[name][eng] = None
        base_name = 'xdp_pass%s.o' % a.variant
        base = raw.get(base_name, {})

    print('%d packets, --repeat %d, median ns/run minus each engine\'s '
          'XDP_PASS baseline (%s)' % (len(cases), a.repeat,
                                     ', '.join('%s %.1f' % (k, v or 0)
                                               for k, v in base.items())))
    hdr = '%-26s %10s %10s %10s %12s %12s' % ('program', 'interp', 'jit',
                                             'kernel', 'interp/jit',
                                             'jit/kernel')
    print(hdr)
    for name, r in raw.items():
        if name == base_name:
            continue
        net = {k: (v - base[k]) if v is not None and base.get(k) is not None
               else None for k, v in r.items()}

        def fmt(v):
            return '%10.1f' % v if v is not None else '%10s' % '-'

        def ratio(x, y):
            if x is None or y is None or y <= 0.5:
                return '%12s' % '-'
            return '%12.2f' % (x / y)
        print('%-26s %s %s %s %s %s' % (name, fmt(net.get('interp')),
                                        fmt(net.get('jit')),
                                        fmt(net.get('kernel')),
                                        ratio(net.get('interp'), net.get('jit')),
                                        ratio(net.get('jit'), net.get('kernel'))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
