#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""The README demo: Debian's stock dpdk-testpmd runs the bundled demo_nf XDP
program through net_uxdp over an embedded pcap (no NIC, no hugepages), then
shows the verdict counters and a map dump over DPDK telemetry and exits."""

import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                '..', 'app', 'test'))
import uxdp_testlib as t  # noqa: E402


def show(title, text):
    print('\n== %s\n%s' % (title, text.rstrip()), flush=True)


def telemetry_py(prefix, commands):
    """Ask the stock dpdk-telemetry.py client, non-interactively."""
    out = subprocess.run(['/usr/bin/python3', t.TELEMETRY_PY, '-f', prefix],
                         input='\n'.join(commands) + '\n', text=True,
                         capture_output=True, timeout=30)
    return out.stdout + out.stderr


def main():
    work = t.private_dir('demo')
    plugin = os.environ.get('UXDP_PLUGIN') or t.stage_plugin(work)
    pcap = os.path.join(t.SOURCE, 'xdp_progs', 'data', 'demo.pcap')
    n_in = len(t.read_pcap(pcap))
    prefix = 'uxdp_demo_%d' % os.getpid()
    vdevs = ['net_pcap0,rx_pcap=%s,tx_pcap=%s' % (pcap, os.path.join(work, 'out.pcap')),
             'net_uxdp0,dev=net_pcap0,prog=%s' % t.prog_obj('demo_nf')]
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs))
    show('command', pmd.cmdline)
    if not pmd.ready:
        show('testpmd failed to start', pmd.output())
        pmd.quit()
        return 1
    # /uxdp/list is columns: port, sub_port, sub_device, program, engine.
    port = t.telemetry(prefix, '/uxdp/list')['port'][0]
    show('ports', 'testpmd sees only the net_uxdp port %d; the pcap sub-port is owned and hidden' % port)
    pmd.cmd('set fwd rxonly')
    pmd.cmd('start')

    def done():
        info = t.telemetry(prefix, '/uxdp/info,%d' % port)
        return sum(info[k] for k in ('xdp_pass', 'xdp_drop', 'xdp_tx',
                                     'xdp_aborted')) >= n_in
    t.wait_for(done, timeout=20)
    pmd.cmd('stop')
    info = t.telemetry(prefix, '/uxdp/info,%d' % port)
    xs = pmd.cmd('show port xstats %d' % port)
    show('testpmd: show port xstats %d (verdicts)' % port,
         '\n'.join(l for l in xs.splitlines() if 'xdp_' in l))
    show('dpdk-telemetry.py: /uxdp/info and map dumps',
         telemetry_py(prefix, ['/uxdp/info,%d' % port,
                               '/uxdp/maps,%d' % port,
                               '/uxdp/map_dump,%d,verdicts' % port,
                               '/uxdp/map_dump,%d,proto_count' % port]))
    rc = pmd.quit()
    tx = t.read_pcap(os.path.join(work, 'out.pcap'))
    show('result', '%d packets in, %d ICMP echo replies sent back by XDP_TX (out.pcap); testpmd exit code %d'
         % (n_in, len(tx), rc))
    # The demo is also a test (meson test demo): every packet has a
    # verdict, and what XDP_TX counted left through the pcap.
    verdicts = sum(info[k] for k in ('xdp_pass', 'xdp_drop', 'xdp_tx',
                                     'xdp_aborted'))
    if rc != 0 or verdicts != n_in or len(tx) != info['xdp_tx']:
        show('FAILED', '%d verdicts for %d packets, %d XDP_TX counted, %d sent'
             % (verdicts, n_in, info['xdp_tx'], len(tx)))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
