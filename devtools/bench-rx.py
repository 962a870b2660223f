#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Benchmark of net_uxdp's RX path: ns per packet through net_uxdp
(xdp_pass, JIT) minus a bare net_ring port fed the same bursts, in the same
process (devtools/bench/rx_bench.c). With --other-plugin, the same figures
for another build's librte_net_uxdp.so, runs interleaved, so that two
versions of the RX path compare under the same load.

Then the alloc mode (rx-bench ... alloc): fresh mbufs every burst, freed
by the application as testpmd's rxonly does, through a bare net_ring port
(plain), the same with DPDK's librte_bpf RX callback running
devtools/bench/parse_drop.bpf.c's .text (rte_bpf), and net_uxdp with
xdp_pass (pass) or parse_drop's XDP program (drop): in-process, in turn,
the end-to-end targets' ratios (XDP_PASS against the plain port,
parse-and-drop against librte_bpf) over a port whose own cost is
near zero, which a busy machine disturbs far less than testpmd.

Not a test: numbers depend on the machine and its load. Usage:
  devtools/bench-rx.py [--build DIR] [--other-plugin SO] [--runs N] [--rounds N]
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'app', 'test'))


def stage(path, tag):
    import uxdp_testlib as t
    work = t.private_dir('bench-rx-' + tag)
    dst = os.path.join(work, 'librte_net_uxdp.so')
    shutil.copyfile(path, dst)
    return dst


def one(build, plugin, prog, frame_len, segs, rounds):
    cmd = [os.path.join(build, 'devtools', 'bench', 'rx-bench'),
           '-l', '0', '--no-huge', '-m', '256', '--no-pci', '--log-level=*:error',
           '--file-prefix=bench_rx_%d' % os.getpid(), '-d', plugin,
           '--vdev=net_ring0', '--vdev=net_uxdp0,dev=net_ring0,prog=' + prog,
           '--', str(rounds), str(frame_len), str(segs)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        sys.exit('rx-bench failed: %s' % out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def alloc(build, plugin, prog, frame_len, rounds):
    drop = os.path.join(build, 'devtools', 'bench', 'parse_drop.bpf.o')
    cmd = [os.path.join(build, 'devtools', 'bench', 'rx-bench'),
           '-l', '0', '--no-huge', '-m', '256', '--no-pci', '--log-level=*:error',
           '--file-prefix=bench_rx_%d' % os.getpid(), '-d', plugin,
           '--vdev=net_ring0', '--vdev=net_uxdp0,dev=net_ring0,prog=' + prog,
           '--vdev=net_ring1', '--vdev=net_ring2',
           '--', str(rounds), str(frame_len), 'alloc', drop]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    if out.returncode != 0:
        sys.exit('rx-bench alloc failed: %s' % out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.path.join(HERE, '..', 'build'))
    ap.add_argument('--other-plugin')
    ap.add_argument('--runs', type=int, default=5)
    ap.add_argument('--rounds', type=int, default=50)
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    os.environ['UXDP_BUILD_DIR'] = build
    plugins = {'this': stage(os.path.join(build, 'drivers', 'net', 'uxdp',
                                          'librte_net_uxdp.so'), 'this')}
    if a.other_plugin:
        plugins['other'] = stage(a.other_plugin, 'other')
    prog = os.path.join(build, 'xdp_progs', 'xdp_pass.o')
    for frame_len, segs in ((64, 1), (1500, 1)):
        res = {k: [] for k in plugins}
        for _ in range(a.runs):
            for name, so in plugins.items():
                res[name].append(one(build, so, prog, frame_len, segs, a.rounds))
        line = {'frame_len': frame_len, 'segs': segs}
        for name, rs in res.items():
            line[name + '_ring_ns'] = round(statistics.median(r['ring_ns'] for r in rs), 2)
            line[name + '_uxdp_minus_ring_ns'] = round(
                statistics.median(r['uxdp_minus_ring_ns'] for r in rs), 2)
        print(json.dumps(line), flush=True)
    progs = {'pass': prog,
             'drop': os.path.join(build, 'devtools', 'bench', 'parse_drop.bpf.o')}
    res = {}
    for _ in range(a.runs):
        for name, so in plugins.items():
            for pn, po in progs.items():
                res.setdefault((name, pn), []).append(
                    alloc(build, so, po, 64, a.rounds * 4))
    for (name, pn), rs in res.items():
        med = {k: statistics.median(r[k] for r in rs)
               for k in ('plain_ns', 'rte_bpf_ns', 'uxdp_ns')}
        line = {'mode': 'alloc', 'plugin': name, 'prog': pn, 'frame_len': 64}
        line.update({k: round(v, 2) for k, v in med.items()})
        # throughput ratios: the other's ns per packet over uxdp's
        line['uxdp_vs_plain'] = round(med['plain_ns'] / med['uxdp_ns'], 3)
        if pn == 'drop':
            line['uxdp_vs_rte_bpf'] = round(med['rte_bpf_ns'] / med['uxdp_ns'], 3)
        else:
            del line['rte_bpf_ns']
        print(json.dumps(line), flush=True)


if __name__ == '__main__':
    main()
