#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Benchmark of the RX path's cost of hot-swap support and of a swap
under load: frames per second through net_uxdp in dpdk-testpmd (rxonly,
net_pcap with infinite_rx over 64-byte frames), for this build's plugin
and a baseline plugin (e.g. one built from the commit before the swap
support), alternated in the same run; then the time a prog_swap takes
and whether the rate dips around it.

Not a test: numbers depend on the machine and its load. Usage:
  devtools/bench-rx-swap.py [--build DIR] [--baseline PLUGIN.so]
                            [--rounds N] [--seconds S]
"""

import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'app', 'test'))

import uxdp_testlib as t  # noqa: E402


def frames():
    eth = bytes.fromhex('02000000000b02000000000a0800')
    ip = bytes.fromhex('4500002e000100004011f7d3c0000201c6336401')
    udp = bytes.fromhex('00350035001a0000')
    return [eth + ip + udp + bytes(18)] * 64


def run_rate(plugin, prog, pin, seconds, swap_to=None):
    prefix = 'uxdp_bench_%d_%d' % (os.getpid(), int(time.time() * 1000) % 100000)
    vdevs = ['net_pcap0,rx_pcap=%s,infinite_rx=1,tx_pcap=/dev/null,tx_pcap=/dev/null' % pin,
             'net_uxdp0,dev=net_pcap0,prog=' + prog]
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs))
    if not pmd.ready:
        raise RuntimeError('testpmd did not start:\n' + pmd.output())
    pmd.cmd('set fwd rxonly')
    pmd.cmd('start')
    time.sleep(1.0)
    a = t.telemetry(prefix, '/ethdev/stats,0')['ipackets']
    t0 = time.time()
    time.sleep(seconds)
    b = t.telemetry(prefix, '/ethdev/stats,0')['ipackets']
    rate = (b - a) / (time.time() - t0)
    swap = None
    if swap_to is not None:
        s0 = time.time()
        rep = t.telemetry(prefix, '/uxdp/prog_swap,1,%s' % swap_to)
        swap = (time.time() - s0, rep)
        c = t.telemetry(prefix, '/ethdev/stats,0')['ipackets']
        t1 = time.time()
        time.sleep(seconds)
        d = t.telemetry(prefix, '/ethdev/stats,0')['ipackets']
        swap = swap + ((d - c) / (time.time() - t1),)
    pmd.cmd('stop')
    pmd.quit()
    return rate, swap


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--build', default=os.environ.get('UXDP_BUILD_DIR', 'build'))
    ap.add_argument('--baseline', help='plugin .so to compare with')
    ap.add_argument('--rounds', type=int, default=3)
    ap.add_argument('--seconds', type=float, default=3.0)
    args = ap.parse_args()
    t.BUILD = os.path.abspath(args.build)
    work = t.private_dir('bench-rx-swap')
    plugin = t.stage_plugin(work)
    pin = os.path.join(work, 'in.pcap')
    t.write_pcap(pin, frames())
    prog = t.prog_obj('xdp_pass')
    plugins = [('this', plugin)]
    if args.baseline:
        base = os.path.join(work, 'base', 'librte_net_uxdp.so')
        os.makedirs(os.path.dirname(base), mode=0o755)
        with open(args.baseline, 'rb') as src, open(base, 'wb') as dst:
            dst.write(src.read())
        plugins.append(('baseline', base))
    rates = dict((n, []) for n, _ in plugins)
    for _ in range(args.rounds):
        for name, so in plugins:
            rates[name].append(run_rate(so, prog, pin, args.seconds)[0])
    for name, r in rates.items():
        print('%-9s %s Mpps (median %.3f)' % (name, ' '.join('%.3f' % (x / 1e6) for x in r),
                                              sorted(r)[len(r) // 2] / 1e6))
    if args.baseline:
        m = dict((n, sorted(r)[len(r) // 2]) for n, r in rates.items())
        print('ratio this/baseline: %.3f' % (m['this'] / m['baseline']))
    rate, (took, rep, after) = run_rate(plugin, prog, pin, args.seconds,
                                        swap_to=t.prog_obj('flow_filter'))
    print('swap under load: %.1f ms for the request (load %.1f ms, old program %s); '
          '%.3f Mpps before, %.3f Mpps after (a different program)'
          % (took * 1e3, rep.get('load_ns', 0) / 1e6, rep.get('old_program'),
             rate / 1e6, after / 1e6))


if __name__ == '__main__':
    main()
