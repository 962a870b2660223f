#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Benchmark of map operations from programs (issue #5): ns per lookup and
per update for HASH (1M entries), LRU_HASH (1M capacity, 512k entries) and
LPM_TRIE (10k prefixes), in a program JIT-compiled by uxdp and in the same
program in the kernel (BPF_PROG_TEST_RUN with repeat), and their ratios.

Not a test: numbers depend on the machine and its load. Usage:
  devtools/bench-maps.py [--build DIR] [--trials N] [--ms M] [--no-kernel]
The driver (devtools/bench/maps_bench.c) fills the uxdp and the kernel maps
with the same entries, then times every program of
devtools/bench/maps_bench.bpf.c: each run does 16 operations at random
present keys; the "base" program computes the same keys without a map, and
its time is subtracted before dividing by 16. A figure is the median of
the trials, each ~M ms of runs on one pinned CPU.
"""

import argparse
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

ROWS = [('HASH', 'hash'), ('LRU_HASH', 'lru'), ('LPM_TRIE', 'lpm')]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--trials', type=int, default=5)
    ap.add_argument('--ms', type=int, default=200)
    ap.add_argument('--no-kernel', action='store_true')
    a = ap.parse_args()

    bench = os.path.join(a.build, 'devtools', 'bench')
    cmd = [os.path.join(bench, 'maps-bench'), '--trials', str(a.trials),
           '--ms', str(a.ms)]
    if a.no_kernel:
        cmd.append('--no-kernel')
    cmd.append(os.path.join(bench, 'maps_bench.bpf.o'))
    p = subprocess.run(cmd, stdout=subprocess.PIPE, universal_newlines=True,
                       timeout=1800)
    if p.returncode != 0:
        sys.exit('%s: exit %d' % (' '.join(cmd), p.returncode))
    ns = {}
    ops = 1
    for line in p.stdout.splitlines():
        r = json.loads(line)
        ns[(r['side'], r['prog'])] = r['ns_per_run']
        ops = r['ops']

    def per_op(side, prog):
        if (side, prog) not in ns:
            return None
        return max(ns[(side, prog)] - ns[(side, 'base')], 0) / ops

    def cell(v):
        return '%10.1f' % v if v is not None else '%10s' % '-'

    print('ns per operation (%d per run, minus the base program: uxdp '
          '%.1f, kernel %s ns per run)' %
          (ops, ns[('uxdp', 'base')],
           '%.1f' % ns[('kernel', 'base')] if ('kernel', 'base') in ns
           else '-'))
    print('%-9s %-7s %10s %10s %16s' % ('map', 'op', 'uxdp JIT', 'kernel',
                                        'uxdp/kernel'))
    for name, prefix in ROWS:
        for op in ('lookup', 'update'):
            u = per_op('uxdp', prefix + '_' + op)
            k = per_op('kernel', prefix + '_' + op)
            ratio = '%16.2f' % (u / k) if u is not None and k else \
                '%16s' % '-'
            print('%-9s %-7s %s %s %s' % (name, op, cell(u), cell(k), ratio))


if __name__ == '__main__':
    main()
