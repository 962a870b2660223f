#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""Two RX queues on two lcores (issue #6): testpmd forwards with two
lcores, each polling one RX queue of net_uxdp over net_pcap's two queues,
and both run flow_filter at once. Checked after every frame was read:

  - each queue's verdict counters are its own pcap's frames (a rule drops
    flow A, the rest pass);
  - the per-CPU verdict_count has one slot per lcore: the main lcore's
    slots are zero, each forwarding lcore's slots equal one queue's
    counters, and the slots add up to every frame sent;
  - flow A's hit counter, incremented by both lcores with atomic adds in
    the same map value, is the exact number of A frames;
  - the mempool's in-use count returns to its baseline.
"""

import os
import re
import struct

from scapy.all import IP, UDP, TCP, Ether, Raw

import uxdp_testlib as t

PORT = 1  # net_pcap0 comes first and is the (hidden) sub-port 0
XDP_DROP, XDP_PASS = 1, 2
DST = '198.51.100.1'
FLOWS = {
    'A': (Ether() / IP(src='192.0.2.1', dst=DST) / UDP(dport=53) / Raw(b'a' * 20),
          ('192.0.2.1', 53, 17)),
    'B': (Ether() / IP(src='192.0.2.2', dst=DST) / TCP(dport=80) / Raw(b'b' * 20),
          ('192.0.2.2', 80, 6)),
    'C': (Ether() / IP(src='192.0.2.3', dst=DST) / UDP(dport=53) / Raw(b'c' * 30),
          ('192.0.2.3', 53, 17)),
}
# Different lengths and mixes per queue, so that a slot holding the
# other queue's counts (or a sum of both) cannot pass.
QUEUES = [('ABC' * 100), ('ABCCB' * 140)]


def flow_key(saddr, dport, proto):
    return (bytes(int(x) for x in saddr.split('.')) +
            bytes(int(x) for x in DST.split('.')) +
            struct.pack('!H', dport) + bytes([proto, 0])).hex()


def u64(hexval):
    return int.from_bytes(bytes.fromhex(hexval), 'little')


def main():
    f = t.Failures('multicore')
    work = t.private_dir('multicore')
    plugin = t.stage_plugin(work)
    pcaps = []
    for q, names in enumerate(QUEUES):
        path = os.path.join(work, 'rx%d.pcap' % q)
        t.write_pcap(path, [bytes(FLOWS[n][0]) for n in names])
        pcaps.append(path)
    pcap0 = 'net_pcap0,' + ','.join('rx_pcap=' + p for p in pcaps)
    uxdp0 = 'net_uxdp0,dev=net_pcap0,prog=' + t.prog_obj('flow_filter')
    prefix = 'uxdp_mc_%d' % os.getpid()
    # Three lcores on the machine's two CPUs: the main one (idle at the
    # prompt) shares CPU 0 with the first forwarding lcore.
    eal = t.eal_args(prefix, plugin, [pcap0, uxdp0],
                     lcores=('--lcores=0@0,1@0,2@1',))
    pmd = t.Testpmd(eal, ['--rxq=2', '--txq=2', '--nb-cores=2',
                          '--forward-mode=rxonly'])
    if not f.check(pmd.ready, 'testpmd did not start:\n%s' % pmd.output()):
        pmd.quit()
        f.finish()
    try:
        conn = t.TelemetryConn(prefix)
        rep, _ = conn.request('/uxdp/map_update,%d,flows,%s,%s' % (
            PORT, flow_key(*FLOWS['A'][1]),
            struct.pack('<IIQ', XDP_DROP, 0, 0).hex()))
        f.check('error' not in rep, 'rule for flow A: %s' % rep)
        baseline = t.mbufs_in_use(pmd)
        fwd = pmd.cmd('show config fwd')
        f.equal(sorted(set(re.findall(r'RX P=%d/Q=(\d)' % PORT, fwd))),
                ['0', '1'], 'two forwarding streams, one per queue:\n%s' % fwd)
        pmd.cmd('start')
        total = sum(len(q) for q in QUEUES)
        info = t.wait_for(lambda: (lambda i: i if sum(i.get('rxq_pass', [])) +
                                   sum(i.get('rxq_drop', [])) >= total else None)(
            conn.request('/uxdp/info,%d' % PORT)[0]), timeout=20)
        pmd.cmd('stop')
        info, _ = conn.request('/uxdp/info,%d' % PORT)
        want = [(names.count('A'), len(names) - names.count('A'))
                for names in QUEUES]
        f.equal(list(zip(info['rxq_drop'], info['rxq_pass'])), want,
                'per-queue (drop, pass) counters')

        dump, _ = conn.request('/uxdp/map_dump,%d,verdict_count,0,5' % PORT)
        cpus = dump.get('cpus', [])
        f.equal(cpus, [0, 1, 2], 'per-CPU slots: one per lcore')
        slots = {c: (u64(dump['values_cpu%d' % c][XDP_DROP]),
                     u64(dump['values_cpu%d' % c][XDP_PASS]))
                 for c in cpus if 'values_cpu%d' % c in dump}
        print('per-lcore (drop, pass): %s' % slots)
        f.equal(slots.get(0), (0, 0), 'the main lcore ran nothing')
        f.equal(sorted(v for c, v in slots.items() if c != 0), sorted(want),
                'each forwarding lcore counted exactly one queue')
        f.equal(sum(sum(v) for v in slots.values()), total,
                'per-CPU slots add up to every frame')

        rep, _ = conn.request('/uxdp/map_lookup,%d,flows,%s' % (
            PORT, flow_key(*FLOWS['A'][1])))
        hits = struct.unpack('<Q', bytes.fromhex(rep.get('value', '00' * 16))[8:])[0]
        f.equal(hits, sum(names.count('A') for names in QUEUES),
                'flow A hits from both lcores')
        conn.close()
        f.equal(t.mbufs_in_use(pmd), baseline, 'mbufs in use back to baseline')
    finally:
        rc = pmd.quit()
    f.equal(rc, 0, 'testpmd exit code')
    f.finish()


if __name__ == '__main__':
    main()
