#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""XDP metadata reaches the application: uxdp-meta-app (meta_app.c) runs
EAL --no-huge with net_uxdp (adjust_head_tail) over net_pcap and checks,
through the installed header rte_pmd_uxdp.h, the metadata length field
and the bytes in front of every passed mbuf's data, and the mempool's
in-use count against its baseline."""

import os
import subprocess

import uxdp_testlib as t


def main():
    f = t.Failures('meta_app')
    work = t.private_dir('meta-app')
    plugin = t.stage_plugin(work)
    pin = os.path.join(work, 'in.pcap')
    vdevs = ['net_pcap0,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s' %
             (pin, os.path.join(work, 'tx0.pcap'), os.path.join(work, 'tx1.pcap')),
             'net_uxdp0,dev=net_pcap0,prog=' + t.prog_obj('adjust_head_tail')]
    app = os.path.join(t.BUILD, 'app', 'test', 'uxdp-meta-app')
    prefix = 'uxdp_meta_%d' % os.getpid()
    cmd = [app] + t.eal_args(prefix, plugin, vdevs) + ['--', pin]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    print(out.stdout, end='')
    f.equal(out.returncode, 0, 'uxdp-meta-app exit code (stderr: %s)'
            % out.stderr[-2000:])
    f.check('PASS' in out.stdout.splitlines(), 'uxdp-meta-app reports PASS')
    f.finish()


if __name__ == '__main__':
    main()
