#!/usr/bin/python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (c) 2026 The uxdp authors
"""XDP_REDIRECT end to end in Debian's stock dpdk-testpmd (rxonly):
two net_uxdp ports over net_pcap sub-ports redirect to each other, to
themselves, to a plain port, through bpf_redirect(), DEVMAP, DEVMAP_HASH
and broadcasts with and without BPF_F_EXCLUDE_INGRESS, and to targets that
do not exist. Every frame's fate is checked in the output pcaps and the
counters, and the mbuf pool's in-use count must come back to its baseline.

Ports (ifindex = port id for dev= ports and plain ports):
  0 net_pcap0  sub-port of 1; TX queues: 0-1 app, 2 XDP (XDP_TX, redirects)
  1 net_uxdp0  redirect_map.o, rx in0.pcap
  2 net_pcap2  sub-port of 3; same queues
  3 net_uxdp1  redirect_map.o, rx in2.pcap
  4 net_pcap4  plain port; TX queue 1 (its last) takes redirects
"""

import collections
import os
import struct

from scapy.all import Ether, Raw

import uxdp_testlib as t

ETH_P_REDIRECT_TEST = 0x88B8
BCAST, EXCL = 1 << 3, 1 << 4
XDP_DROP, XDP_PASS, XDP_TX = 1, 2, 3

# Each port's maps (map_update= devargs): key -> ifindex.
MAPS = {
    1: {'tx_ports': {0: 3, 1: 1, 2: 4}, 'tx_ports_hash': {42: 3, 7: 20}},
    3: {'tx_ports': {0: 1, 1: 3, 2: 4}, 'tx_ports_hash': {5: 3}},
}
# Output files: XDP queue of each net_uxdp port's sub-port, and the plain
# port's redirect queue.
OUT = {1: 'sub0_tx2.pcap', 3: 'sub2_tx2.pcap', 4: 'plain_tx1.pcap'}


def cmd(op, arg, flags=0, tag=0):
    """A redirect_map command frame; tag keeps frames distinct."""
    return bytes(Ether(src='02:00:00:00:00:0a', dst='02:00:00:00:00:0b',
                       type=ETH_P_REDIRECT_TEST) /
                 Raw(struct.pack('<BxxxIII', op, arg, flags, 0) +
                     struct.pack('<I', tag) + b'r' * 24))


# (frame args, fate): fate is a list of egress ifindexes for redirects,
# or 'pass'/'drop'/'tx'/'aborted', or ('err', n, [egress...]) for
# redirects that lose n frames (and send to the listed ports).
CASES = {
    1: [
        ((1, 3), [3]),                      # bpf_redirect to the other uxdp port
        ((1, 4), [4]),                      # to a plain port
        ((1, 1), [1]),                      # to itself
        ((1, 2), [3]),                      # by the other's sub-port id
        ((1, 0), ('err', 1, [])),           # ifindex 0: no device
        ((1, 9), ('err', 1, [])),           # no such port
        ((1, 3, 1), 'aborted'),             # a flag: XDP_ABORTED
        ((2, 0), [3]),                      # DEVMAP key 0
        ((2, 2), [4]),                      # DEVMAP key 2 -> plain port
        ((2, 7, XDP_DROP), 'drop'),         # missing key: fallbacks
        ((2, 7, XDP_PASS), 'pass'),
        ((2, 7, XDP_TX), 'tx'),
        ((2, 7, 0), 'aborted'),
        ((3, 42), [3]),                     # DEVMAP_HASH
        ((3, 7), ('err', 1, [])),           # entry names no port
        ((2, 0, BCAST), [3, 1, 4]),         # broadcast, ingress included
        ((2, 5, BCAST | EXCL), [3, 4]),     # key need not exist
        ((3, 0, BCAST | EXCL), ('err', 1, [3])),  # one entry names no port
        ((4, 7), ('err', 1, [])),           # REDIRECT after a failed lookup
        ((2, 0, 1 << 5), 'aborted'),        # unknown flag
    ],
    3: [
        ((2, 0), [1]),                      # back to uxdp0 through DEVMAP
        ((1, 1), [1]),                      # bpf_redirect to uxdp0
        ((2, 0, BCAST | EXCL), [1, 4]),     # itself excluded
        ((2, 0, BCAST), [1, 3, 4]),
        ((3, 5), [3]),                      # DEVMAP_HASH to itself
        ((3, 0, BCAST | EXCL), ('err', 1, [])),  # only itself: nowhere to go
        ((3, 9, XDP_PASS), 'pass'),
    ] + [((2, 0, BCAST), [1, 3, 4])] * 64,  # a stream of copies
}


def frames_of(port):
    return [cmd(*(list(args) + [0] * (3 - len(args))), tag=port * 1000 + i)
            for i, (args, _) in enumerate(CASES[port])]


def devargs_maps(port):
    out = []
    for name, entries in MAPS[port].items():
        vsize = 8 if name == 'tx_ports_hash' else 4
        for k, ifi in entries.items():
            val = struct.pack('<I', ifi) + bytes(vsize - 4)
            out.append('map_update=%s:%s:%s' % (name, struct.pack('<I', k).hex(),
                                                 val.hex()))
    return ','.join(out)


def expectations():
    """Per output file the frames it must hold, and per port the counters."""
    files = {k: [] for k in OUT}
    counters = {}
    for port, cases in CASES.items():
        c = dict.fromkeys(('xdp_pass', 'xdp_drop', 'xdp_tx', 'xdp_aborted',
                           'xdp_redirect', 'xdp_redirect_errors'), 0)
        for frame, (_, fate) in zip(frames_of(port), cases):
            if fate in ('pass', 'drop', 'tx', 'aborted'):
                c['xdp_' + fate] += 1
                if fate == 'tx':
                    files[port].append(frame)
                continue
            targets = fate
            if isinstance(fate, tuple):
                c['xdp_redirect_errors'] += fate[1]
                targets = fate[2]
            for egress in targets:
                files[egress].append(frame)
                c['xdp_redirect'] += 1
        counters[port] = c
    return files, counters


def main():
    f = t.Failures('redirect')
    work = t.private_dir('e2e-redirect')
    plugin = t.stage_plugin(work)
    obj = t.prog_obj('redirect_map')
    for port, name in ((1, 'in0.pcap'), (3, 'in2.pcap')):
        t.write_pcap(os.path.join(work, name), frames_of(port))
    empty = os.path.join(work, 'empty.pcap')
    t.write_pcap(empty, [])

    def pcap(n, rx, ntx, txname):
        return ','.join(['net_pcap%d' % n, 'rx_pcap=' + os.path.join(work, rx)] +
                        ['tx_pcap=' + os.path.join(work, '%s_tx%d.pcap' % (txname, q))
                         for q in range(ntx)])
    vdevs = [pcap(0, 'in0.pcap', 3, 'sub0'),
             'net_uxdp0,dev=net_pcap0,prog=%s,%s' % (obj, devargs_maps(1)),
             pcap(2, 'in2.pcap', 3, 'sub2'),
             'net_uxdp1,dev=net_pcap2,prog=%s,%s' % (obj, devargs_maps(3)),
             pcap(4, 'empty.pcap', 2, 'plain')]
    prefix = 'uxdp_redirect_%d' % os.getpid()
    pmd = t.Testpmd(t.eal_args(prefix, plugin, vdevs), ['--rxq=1', '--txq=2'])
    if not f.check(pmd.ready, 'testpmd did not start:\n%s' % pmd.output()):
        pmd.quit()
        f.finish()
    f.equal(t.telemetry(prefix, '/ethdev/list'), [1, 3, 4], 'ports the app sees')
    base = t.mbufs_in_use(pmd)
    f.check(base is not None, 'dump_mempool shows the pool')
    pmd.cmd('set fwd rxonly')
    pmd.cmd('start')
    files, want = expectations()
    n_in = {p: len(CASES[p]) for p in CASES}

    def done():
        for p in CASES:
            x = t.xstats(prefix, p)
            if x['xdp_pass'] + x['xdp_drop'] + x['xdp_tx'] + x['xdp_aborted'] + \
                    x['xdp_redirect'] + x['xdp_redirect_errors'] < \
                    sum(want[p].values()):
                return False
        return True
    t.wait_for(done, timeout=20)
    pmd.cmd('stop')
    for p in CASES:
        x = t.xstats(prefix, p)
        f.equal({k: x[k] for k in want[p]}, want[p], 'port %d counters' % p)
        f.equal(x['xdp_tx_errors'], 0, 'port %d xdp_tx_errors' % p)
        f.equal(x.get('sub_rx_good_packets'), n_in[p], 'port %d frames received' % p)
    f.equal(t.mbufs_in_use(pmd), base, 'mbufs in use back to the baseline (%d)' % base)
    shown = pmd.cmd('show port xstats 1')
    f.check('xdp_redirect_errors' in shown, 'testpmd shows xdp_redirect_errors')
    rc = pmd.quit()
    f.equal(rc, 0, 'testpmd exit code')

    for egress, name in OUT.items():
        got = collections.Counter(p.hex() for p in t.read_pcap(os.path.join(work, name)))
        want_out = collections.Counter(x.hex() for x in files[egress])
        f.check(got == want_out, 'frames out of ifindex %d (%s): %d, want %d; '
                'unexpected %s, missing %s' %
                (egress, name, sum(got.values()), sum(want_out.values()),
                 list(got - want_out)[:3], list(want_out - got)[:3]))
    # Nothing may leave through queues the application owns.
    for name in ('sub0_tx0', 'sub0_tx1', 'sub2_tx0', 'sub2_tx1', 'plain_tx0'):
        f.equal(len(t.read_pcap(os.path.join(work, name + '.pcap'))), 0,
                '%s.pcap stays empty' % name)
    print('%d frames in, %d out through redirects and XDP_TX; %d mbufs in use '
          'before and after' % (sum(n_in.values()),
                                sum(len(v) for v in files.values()), base))
    f.finish()


if __name__ == '__main__':
    main()
