#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Hand-built mbuf chains through net_uxdp over net_ring (chain_app.c):
linearised or dropped and counted for a program without xdp.frags,
fragments for frags_len (empty segments left out, shrinks releasing
segments, growth into the last one, more than 17 fragments linearised),
and the mempool's in-use count back to its baseline. Then frags_len over
chains shaped like the kernel test run's frames (pktset.frags_cases()):
every output frame byte for byte as the kernel's (uxdp-kernel-run)."""

import os
import subprocess

import pktset
import uxdp_testlib as t


def main():
    f = t.Failures('chain_app')
    work = t.private_dir('chain-app')
    plugin = t.stage_plugin(work)
    vdevs = ['net_ring0', 'net_uxdp0,dev=net_ring0,prog=' + t.prog_obj('xdp_pass'),
             'net_ring1', 'net_uxdp1,dev=net_ring1,prog=' + t.prog_obj('frags_len')]
    app = os.path.join(t.BUILD, 'app', 'test', 'uxdp-chain-app')
    prefix = 'uxdp_chain_%d' % os.getpid()
    out = subprocess.run([app] + t.eal_args(prefix, plugin, vdevs),
                         capture_output=True, text=True, timeout=60)
    print(out.stdout, end='')
    f.equal(out.returncode, 0, 'uxdp-chain-app exit code (stderr: %s)'
            % out.stderr[-2000:])
    f.check('PASS' in out.stdout.splitlines(), 'uxdp-chain-app reports PASS')
    kernel_shaped(f, work, plugin, vdevs, app)
    f.finish()


def kernel_shaped(f, work, plugin, vdevs, app):
    """frags_len over chains shaped like the kernel test run's frames:
    every output byte as the kernel's."""
    cases = pktset.frags_cases()
    pin = os.path.join(work, 'frags.pcap')
    pout = os.path.join(work, 'frags_out.pcap')
    pktset.write_pcap(pin, cases)
    rc, kern, err = t.uxdp_run(t.prog_obj('frags_len'), pin, binary=t.kernel_run_bin())
    if rc == t.SKIP:
        print('kernel-shaped chains not compared: the kernel oracle cannot run: '
              + err.strip())
        return
    if not f.check(rc == 0 and len(kern) == len(cases), 'uxdp-kernel-run: rc %d %s'
                   % (rc, err[:300])):
        return
    prefix = 'uxdp_chain_k_%d' % os.getpid()
    out = subprocess.run([app] + t.eal_args(prefix, plugin, vdevs) + ['--', pin, pout],
                         capture_output=True, text=True, timeout=60)
    print(out.stdout, end='')
    if not f.equal(out.returncode, 0, 'uxdp-chain-app kernel-shaped (stderr: %s)'
                   % out.stderr[-1500:]):
        return
    got = t.read_pcap(pout)
    f.equal(len(got), len(cases), 'kernel-shaped: frames out')
    same = 0
    for c, g, k in zip(cases, got, kern):
        if f.check(g.hex() == k['data'], '%s: net_uxdp %d bytes, kernel %d'
                   % (c.name, len(g), len(k['data']) // 2)):
            same += 1
    print('kernel-shaped chains: %d of %d frames as the kernel' % (same, len(cases)))


if __name__ == '__main__':
    main()
