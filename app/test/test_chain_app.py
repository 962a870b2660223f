#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Hand-built mbuf chains through net_uxdp over net_ring (chain_app.c):
linearised or dropped and counted for a program without xdp.frags,
fragments for frags_len (empty segments left out, shrinks releasing
segments, growth into the last one, more than 17 fragments linearised),
and the mempool's in-use count back to its baseline."""

import os
import subprocess

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
    f.finish()


if __name__ == '__main__':
    main()
