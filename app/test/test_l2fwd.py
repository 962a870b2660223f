#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""dpdk-l2fwd, built unmodified from Debian's dpdk-doc example sources, runs
with net_uxdp and forwards the frames the program passes.

Port ids: the owned sub-port keeps its id (net_pcap0 is port 0) and the
net_uxdp port is port 1, so the portmask is 0x2. l2fwd refuses a mask bit
at or above the number of available ports (it assumes ids 0..n-1), and the
hidden sub-port is not available: a second port (net_null0, port 2, not in
the mask) makes port 1 acceptable. l2fwd pairs an odd port with itself:
PASSed frames go back out of port 1, i.e. the sub-port's first TX queue
(fwd.pcap), while XDP_TX uses the sub-port's second queue."""

import os
import signal
import subprocess
import sys

from scapy.all import IP, UDP, Ether, Raw

import uxdp_testlib as t

L2FWD = os.path.join(t.BUILD, 'app', 'test', 'dpdk-l2fwd')


def main():
    if not os.path.exists(L2FWD):
        t.skip('dpdk-l2fwd was not built (dpdk-doc example sources missing)')
    f = t.Failures('l2fwd')
    work = t.private_dir('l2fwd')
    plugin = t.stage_plugin(work)
    frames = []
    for v in (2, 3, 1, 2, 2, 0, 3, 2):
        frames.append(bytes(Ether(src='02:00:00:00:00:0a', dst='02:00:00:00:00:0b',
                                  type=0x88B5) / Raw(bytes([v]) + b'l2fwd' * 10)))
    frames.append(bytes(Ether() / IP() / UDP() / Raw(b'z' * 30)))
    pin = os.path.join(work, 'in.pcap')
    t.write_pcap(pin, frames)
    obj = t.prog_obj('verdict_from_pkt')
    rc, preds, err = t.uxdp_run(obj, pin)
    f.check(rc == 0 and len(preds) == len(frames), 'uxdp-run: %s' % err)
    prefix = 'uxdp_l2fwd_%d' % os.getpid()
    eal = t.eal_args(prefix, plugin, [
        'net_pcap0,rx_pcap=%s,tx_pcap=%s,tx_pcap=%s' % (
            pin, os.path.join(work, 'fwd.pcap'), os.path.join(work, 'xdptx.pcap')),
        'net_uxdp0,dev=net_pcap0,prog=' + obj, 'net_null0'])
    proc = subprocess.Popen([L2FWD] + eal + ['--', '-p', '0x2', '-q', '1', '-T', '0',
                                             '--no-mac-updating'],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)

    def counted():
        try:
            x = t.xstats(prefix, 1)
        except (OSError, KeyError, ValueError):
            return None
        return x if x['xdp_pass'] + x['xdp_drop'] + x['xdp_tx'] + x['xdp_aborted'] \
            >= len(frames) else None
    xs = t.wait_for(counted, timeout=30)
    proc.send_signal(signal.SIGINT)
    try:
        out, _ = proc.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, _ = proc.communicate()
    f.equal(proc.returncode, 0, 'l2fwd exit code')
    f.check(xs is not None, 'l2fwd never processed the frames:\n' + out)
    want = {a: [p['data'] for p in preds if p['action'] == a] for a in ('XDP_PASS', 'XDP_TX')}
    f.check(len(want['XDP_PASS']) > 0 and len(want['XDP_TX']) > 0, 'frame set exercises PASS and TX')
    f.equal([x.hex() for x in t.read_pcap(os.path.join(work, 'fwd.pcap'))], want['XDP_PASS'],
            'frames forwarded by l2fwd')
    f.equal([x.hex() for x in t.read_pcap(os.path.join(work, 'xdptx.pcap'))], want['XDP_TX'],
            'frames sent by XDP_TX')
    if xs:
        f.equal(xs['xdp_pass'], len(want['XDP_PASS']), 'xdp_pass')
        f.equal(xs['xdp_tx'], len(want['XDP_TX']), 'xdp_tx')
    f.finish()


if __name__ == '__main__':
    sys.exit(main())
